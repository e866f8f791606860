package org.sfc.dataplane.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.sfc.controller.P4RuntimeClient;
import org.sfc.controller.PipelineConfig;
import org.sfc.controller.Provisioner;
import org.sfc.controller.Store;
import org.sfc.sw.SoftwareSwitch;
import org.sfc.sw.frontend.Preprocessor;
import org.sfc.sw.server.SwitchServer;

import com.google.protobuf.ByteString;

/**
 * Issue 5's figure: entries per second the controller programs into the software switch over P4Runtime
 * (gRPC on loopback), for 100,000 services x 4 steps (16 chains of firewall, IPS, load balancer, server) on
 * a fresh switch: validate, compile, diff from nothing, write in requests of 5,000 updates. The program's
 * tables are enlarged with -D (p4src/include/size.p4) to hold a million entries.
 * Run: scripts/bench.sh -m bmv2-tests
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgs = {"-Xmx10g", "-XX:+UseParallelGC"})
public class ProgramBench {
    static final int SERVICES = 100_000;

    PipelineConfig pipeline;
    String catalog;
    SoftwareSwitch sw;
    SwitchServer server;
    P4RuntimeClient client;
    Store store;
    Path db;
    Provisioner provisioner;

    public static String catalog(int services) {
        StringBuilder b = new StringBuilder("switch:\n  mac: 02:00:00:00:fe:01\n  uplinks:\n"
                + "    - {name: internet, port: 1, router-mac: 00:00:00:00:00:a1}\ndevices:\n");
        int port = 2;
        for (int k = 0; k < 16; k++) {
            b.append(String.format("  fw-%d: {function: firewall, outside: {port: %d, mac: 00:00:00:00:%02x:01}, "
                    + "inside: {port: %d, mac: 00:00:00:00:%02x:02}}%n", k, port, port, port + 1, port));
            port += 2;
            for (String f : List.of("ips", "lb", "srv")) {
                b.append(String.format("  %s-%d: {function: %s,%s port: %d, mac: 00:00:00:00:%02x:01}%n", f, k, f,
                        f.equals("srv") ? " tag: port," : "", port, port));
                port++;
            }
        }
        b.append("services:\n");
        for (int i = 0; i < services; i++) {
            int k = i % 16;
            b.append(String.format("  svc-%d:%n    address: {ip: 10.%d.%d.%d, protocol: tcp, port: 443}%n"
                    + "    sequence: [fw-%d, ips-%d, lb-%d, srv-%d]%n", i, (i >> 16) & 255, (i >> 8) & 255, i & 255, k, k, k, k));
        }
        return b.toString();
    }

    @Setup(Level.Trial)
    public void program() throws Exception {
        Map<String, String> big = Map.of("SEQUENCE_SIZE", "1048576", "CLASSIFY_SIZE", "262144", "MAX_SERVICES", "262144");
        String text = Preprocessor.run(Path.of("../p4src/v1model/sfc.p4"), List.of(), big).text();
        SoftwareSwitch probe = new SoftwareSwitch(1, 255);
        probe.setPipeline(SoftwareSwitch.ConfigAction.VERIFY_AND_COMMIT, null, ByteString.copyFromUtf8(text), 1);
        pipeline = new PipelineConfig(probe.pipeline().p4info, ByteString.copyFromUtf8(text));
        catalog = catalog(SERVICES);
    }

    @Setup(Level.Iteration)
    public void freshSwitch() throws Exception {
        sw = new SoftwareSwitch(1, 255);
        server = SwitchServer.start(sw, "127.0.0.1", 0);
        client = P4RuntimeClient.connect("127.0.0.1", server.port(), 1, 10, 5000);
        db = Files.createTempFile("sfc-bench", ".db");
        store = Store.open(db);
        provisioner = Provisioner.start(client, pipeline, store, "bench", "bench");
    }

    @Benchmark
    public int applyToAFreshSwitch() {
        Provisioner.Report r = provisioner.apply("bench.yaml", catalog, "bench", null);
        System.out.printf("%n%d services: %d entries written in %d ms = %.0f entries/s (apply: validate, compile, diff, "
                + "write)%n", SERVICES, r.writes(), r.millis(), r.writes() * 1000.0 / r.millis());
        return r.writes();
    }

    @TearDown(Level.Iteration)
    public void stop() throws Exception {
        client.close();
        server.close();
        store.close();
        Files.deleteIfExists(db);
    }
}
