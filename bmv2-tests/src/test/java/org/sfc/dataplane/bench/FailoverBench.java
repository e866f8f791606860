package org.sfc.dataplane.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.sfc.controller.Frame;
import org.sfc.controller.HealthMonitor;
import org.sfc.controller.P4RuntimeClient;
import org.sfc.controller.PipelineConfig;
import org.sfc.controller.Provisioner;
import org.sfc.controller.Store;
import org.sfc.dataplane.target.SoftwareSwitchTarget;
import org.sfc.sw.SoftwareSwitch;
import org.sfc.sw.server.SwitchServer;


/**
 * Issue 6's figure: from the moment a pooled firewall goes silent to the first client packet delivered
 * through its spare, with 1, 100 or 10,000 services sharing it, heartbeats every 100 ms and 3 misses (the
 * defaults), a client request every millisecond, and the played devices on the software switch's ports
 * (gRPC on loopback between controller and switch). Prints the writes the failover took.
 * Run: scripts/bench.sh -m bmv2-tests FailoverBench
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgs = {"-Xmx4g", "-XX:+UseParallelGC"})
public class FailoverBench {
    static final long SWITCH_MAC = 0x02000000fe01L;
    static final long CLIENT = 0xC6336407L; // 198.51.100.7
    static final long PROBE_IP = 0xC6120001L; // 198.18.0.1

    @Param({"1", "100", "10000"})
    int services;

    PipelineConfig pipeline;
    SoftwareSwitch sw;
    SwitchServer server;
    P4RuntimeClient client;
    Store store;
    Path db;
    Provisioner provisioner;
    HealthMonitor monitor;
    ExecutorService wire;
    final AtomicBoolean fw1Silent = new AtomicBoolean();
    final BlockingQueue<Long> atSpare = new LinkedBlockingQueue<>();
    final BlockingQueue<HealthMonitor.Event> events = new LinkedBlockingQueue<>();

    static String catalog(int services) {
        StringBuilder b = new StringBuilder("""
                switch:
                  mac: 02:00:00:00:fe:01
                  uplinks:
                    - {name: internet, port: 1, router-mac: 00:00:00:00:00:a1}
                devices:
                  fw-1: {function: firewall, failure: spare, outside: {port: 2, mac: 00:00:00:00:02:01}, inside: {port: 3, mac: 00:00:00:00:03:01}}
                  fw-2: {function: firewall, outside: {port: 4, mac: 00:00:00:00:04:01}, inside: {port: 5, mac: 00:00:00:00:05:01}}
                  app-1: {function: server, tag: port, port: 8, mac: 00:00:00:00:08:01}
                pools:
                  firewalls: {function: firewall, members: [fw-1], spares: [fw-2]}
                services:
                """);
        for (int i = 0; i < services; i++) {
            b.append(String.format("  svc-%d:%n    address: {ip: 10.%d.%d.%d, protocol: tcp, port: 443}%n"
                    + "    sequence: [firewalls, app-1]%n", i, (i >> 16) & 255, (i >> 8) & 255, i & 255));
        }
        return b.toString();
    }

    @Setup(Level.Trial)
    public void program() throws Exception {
        pipeline = SoftwareSwitchTarget.sfcPipeline();
    }

    @Setup(Level.Iteration)
    public void healthyNetwork() throws Exception {
        sw = new SoftwareSwitch(1, 255);
        server = SwitchServer.start(sw, "127.0.0.1", 0);
        client = P4RuntimeClient.connect("127.0.0.1", server.port(), 1, 10, 5000);
        db = Files.createTempFile("sfc-bench", ".db");
        store = Store.open(db);
        provisioner = Provisioner.start(client, pipeline, store, "bench", "bench");
        provisioner.apply("bench.yaml", catalog(services), "bench", null);
        wire = Executors.newSingleThreadExecutor();
        fw1Silent.set(false);
        atSpare.clear();
        events.clear();
        passAcross(2, 3, true);
        passAcross(3, 2, true);
        passAcross(4, 5, false);
        passAcross(5, 4, false);
        sw.attachPort(8, f -> {
            Frame in = new Frame(f);
            if (in.protocol() == 6 && in.tcpFlags() == 0x02) {
                Frame reply = Frame.tcp(SWITCH_MAC, 0x080001L, in.dstIp(), in.srcIp(), in.dport(), in.sport(), 0x12,
                        1000, in.tcpSeq() + 1, "");
                wire.execute(() -> sw.receive(8, reply.bytes()));
            }
        });
        monitor = HealthMonitor.start(provisioner, client, store, HealthMonitor.Passive.OFF);
        monitor.onEvent(events::add);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!monitor.status().stream().allMatch(s -> s.answers() > 0)) {
            if (System.nanoTime() > until) {
                throw new IllegalStateException("devices never answered: " + monitor.status());
            }
            Thread.sleep(10);
        }
    }

    /** A two-port device's side: frames pass across; fw-1 keeps them once silent; client frames at the spare are noted. */
    void passAcross(int port, int other, boolean fw1) {
        sw.attachPort(port, f -> {
            if (!fw1 && port == 4 && new Frame(f).srcIp() == CLIENT) {
                atSpare.add(System.nanoTime());
            }
            if (!(fw1 && fw1Silent.get()) && !wire.isShutdown()) {
                wire.execute(() -> sw.receive(other, f));
            }
        });
    }

    @Benchmark
    public long silenceToFirstPacketThroughTheSpare() throws Exception {
        long t0 = System.nanoTime();
        fw1Silent.set(true);
        int sport = 10000;
        Long first = null;
        while (first == null) {
            Frame syn = Frame.tcp(SWITCH_MAC, 0xa1, CLIENT, 0x0A000000L, sport++, 443, 0x02, 7, 0, "");
            wire.execute(() -> sw.receive(1, syn.bytes()));
            first = atSpare.poll(1, TimeUnit.MILLISECONDS);
            if (System.nanoTime() - t0 > TimeUnit.SECONDS.toNanos(10)) {
                throw new IllegalStateException("no packet reached the spare within 10 s");
            }
        }
        long ms = (first - t0) / 1_000_000;
        HealthMonitor.Event e = events.poll(5, TimeUnit.SECONDS);
        System.out.printf("%n%d services: silent -> first packet through the spare in %d ms; failover: %s%n", services, ms,
                e == null ? "?" : Provisioner.writes(e.writes()) + " (" + e.detail() + ")");
        return ms;
    }

    @TearDown(Level.Iteration)
    public void stop() throws Exception {
        monitor.close();
        wire.shutdownNow();
        client.close();
        server.close();
        store.close();
        Files.deleteIfExists(db);
    }
}
