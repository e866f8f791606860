package org.sfc.dataplane.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

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
import org.sfc.controller.ControllerDaemon;
import org.sfc.controller.Frame;
import org.sfc.controller.PipelineConfig;
import org.sfc.dataplane.target.SoftwareSwitchTarget;
import org.sfc.sw.SoftwareSwitch;
import org.sfc.sw.server.SwitchServer;

/**
 * Issue 16's figure for a redundant pair: from the active switch's death (its P4Runtime server killed) to the first
 * client packet the standby forwards, with the controller daemon's defaults (takeover after 300 ms out of reach),
 * 1, 1,000 or 10,000 services each with an address of its own (the standby writes an ARP answer per address and
 * announces each), a client request every millisecond toward the standby (the router's bridge has moved to it:
 * what the gratuitous ARP does). Both switches are software switches in this JVM, gRPC on loopback. Prints what
 * the takeover wrote, from the daemon's event.
 * Run: scripts/bench.sh -m bmv2-tests PairTakeoverBench
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgs = {"-Xmx4g", "-XX:+UseParallelGC"})
public class PairTakeoverBench {
    static final long SWITCH_MAC = 0x02000000fe01L;
    static final long CLIENT = 0xC6336407L; // 198.51.100.7
    static final String TOKEN = "bench";

    @Param({"1", "1000", "10000"})
    int services;

    PipelineConfig pipeline;
    SoftwareSwitch a, b;
    SwitchServer serverA, serverB;
    ControllerDaemon daemon;
    Path dir;
    ExecutorService wire;
    final BlockingQueue<Long> atFirewall = new LinkedBlockingQueue<>();
    final HttpClient http = HttpClient.newHttpClient();

    static String catalog(int services) {
        StringBuilder c = new StringBuilder("""
                switch:
                  mac: 02:00:00:00:fe:01
                  uplinks:
                    - {name: internet, port: 1, router-mac: 00:00:00:00:00:a1}
                devices:
                  fw-1: {function: firewall, health: {probe: none}, outside: {port: 2, mac: 00:00:00:00:02:01}, inside: {port: 3, mac: 00:00:00:00:03:01}}
                  app-1: {function: server, tag: port, health: {probe: none}, port: 8, mac: 00:00:00:00:08:01}
                services:
                """);
        for (int i = 0; i < services; i++) {
            c.append(String.format("  svc-%d:%n    address: {ip: 10.%d.%d.%d, protocol: tcp, port: 443}%n"
                    + "    sequence: [fw-1, app-1]%n", i, (i >> 16) & 255, (i >> 8) & 255, i & 255));
        }
        return c.toString();
    }

    @Setup(Level.Trial)
    public void program() {
        pipeline = SoftwareSwitchTarget.sfcPipeline();
    }

    @Setup(Level.Iteration)
    public void pairInCharge() throws Exception {
        a = new SoftwareSwitch(1, 255);
        b = new SoftwareSwitch(1, 255);
        serverA = SwitchServer.start(a, "127.0.0.1", 0);
        serverB = SwitchServer.start(b, "127.0.0.1", 0);
        dir = Files.createTempDirectory("sfc-pair-bench");
        daemon = ControllerDaemon.start(new ControllerDaemon.Config("127.0.0.1", serverA.port(), 1, 10, pipeline,
                dir.resolve("sfc.db"), "127.0.0.1", 0, TOKEN, null).with(new ControllerDaemon.Standby("127.0.0.1",
                serverB.port(), 1, ControllerDaemon.Standby.DEFAULT_TAKEOVER_AFTER)));
        await(daemon::ready);
        HttpResponse<String> r = call("POST", "/v1/catalog?file=bench.yaml", catalog(services));
        if (r.statusCode() != 200) {
            throw new IllegalStateException("apply: " + r.body());
        }
        String standby = "127.0.0.1:" + serverB.port() + "/1\", \"role\": \"standby\", \"connected\": true, \"version\": 1";
        await(() -> call("GET", "/v1/switches", null).body().contains(standby));
        wire = Executors.newSingleThreadExecutor();
        atFirewall.clear();
        b.attachPort(2, f -> {
            if (new Frame(f).srcIp() == CLIENT) {
                atFirewall.add(System.nanoTime());
            }
        });
    }

    interface Check {
        boolean ok() throws Exception;
    }

    static void await(Check c) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!c.ok()) {
            if (System.nanoTime() > until) {
                throw new IllegalStateException("timed out setting up the pair");
            }
            Thread.sleep(20);
        }
    }

    HttpResponse<String> call(String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + daemon.httpPort() + path))
                .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Benchmark
    public long deathToFirstPacketThroughTheStandby() throws Exception {
        long t0 = System.nanoTime();
        serverA.kill();
        int sport = 10000;
        Long first = null;
        while (first == null) {
            Frame syn = Frame.tcp(SWITCH_MAC, 0xa1, CLIENT, 0x0A000000L, sport++, 443, 0x02, 7, 0, "");
            wire.execute(() -> b.receive(1, syn.bytes()));
            first = atFirewall.poll(1, TimeUnit.MILLISECONDS);
            if (System.nanoTime() - t0 > TimeUnit.SECONDS.toNanos(30)) {
                throw new IllegalStateException("no packet went through the standby within 30 s");
            }
        }
        firstPacketMs = (first - t0) / 1_000_000;
        return firstPacketMs;
    }

    long firstPacketMs;

    /**
     * What the takeover wrote, from its event (not measured: the event is written once every address is announced,
     * which may be after the first packet went through).
     */
    void report() throws Exception {
        java.util.regex.Matcher m = null;
        for (long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); m == null && System.nanoTime() < until; ) {
            var found = java.util.regex.Pattern.compile("took over from [^\"]*?: (\\d+ entry points[^;]*in \\d+ ms)")
                    .matcher(call("GET", "/v1/events?limit=5", null).body());
            if (found.find()) {
                m = found;
            } else {
                Thread.sleep(10);
            }
        }
        System.out.printf("%n%d services: active switch dead -> first packet through the standby in %d ms; takeover: %s%n",
                services, firstPacketMs, m != null ? m.group(1) : "no event within 30 s");
    }

    @TearDown(Level.Iteration)
    public void stop() throws Exception {
        report();
        daemon.close();
        wire.shutdownNow();
        serverB.close();
        serverA.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
