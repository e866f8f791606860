package org.sfc.dataplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sfc.controller.Frame;
import org.sfc.controller.HealthMonitor;
import org.sfc.controller.HealthMonitor.Event;
import org.sfc.controller.HealthMonitor.State;
import org.sfc.controller.P4RuntimeClient;
import org.sfc.controller.Provisioner;
import org.sfc.controller.Store;
import org.sfc.dataplane.target.Target;


/**
 * The health monitor against a P4Runtime target over gRPC ({@link HealthMonitorOnSoftwareSwitchTest}; {@link
 * HealthMonitorOnBmv2Test} where BMv2 is installed), with every device played by the test on the switch's ports
 * (a two-port firewall passes frames across, one-port appliances hand them back, the server
 * answers SYNs): a device that goes silent is failed over by its policy — to the spare, bypassed, dropped —
 * and failed back when it answers again; healthy devices under a steady load never are.
 */
abstract class HealthMonitorTest {
    static final long SWITCH_MAC = 0x02000000fe01L;
    static final long CLIENT = ip("198.51.100.7");
    static final long PROBE_IP = ip("198.18.0.1");
    static final int PATH_PORT = 49152; // the first probe path's port: a flood that looks like an answer
    static final String CATALOG = """
            switch:
              mac: 02:00:00:00:fe:01
              uplinks:
                - {name: internet, port: 1, router-mac: 00:00:00:00:00:a1}
            devices:
              fw-1: {function: firewall, failure: spare, health: {interval-ms: 40, misses: 3, hold-down-ms: 200},
                     outside: {port: 2, mac: 00:00:00:00:02:01}, inside: {port: 3, mac: 00:00:00:00:03:01}}
              fw-3: {function: firewall, failure: bypass, health: {interval-ms: 40, misses: 3, hold-down-ms: 200},
                     outside: {port: 4, mac: 00:00:00:00:04:01}, inside: {port: 5, mac: 00:00:00:00:05:01}}
              ips-1: {function: ips, failure: bypass, health: {interval-ms: 40, misses: 3, hold-down-ms: 200}, port: 6, mac: 00:00:00:00:06:01}
              av-1: {function: antivirus, failure: drop, health: {interval-ms: 40, misses: 3, failback: manual}, port: 7, mac: 00:00:00:00:07:01}
              app-1: {function: server, tag: port, health: {interval-ms: 40}, port: 8, mac: 00:00:00:00:08:01}
            pools:
              firewalls: {function: firewall, members: [fw-1], spares: [fw-3]}
            services:
              w1:
                address: {ip: 203.0.113.1, protocol: tcp, port: 443}
                sequence: [firewalls, ips-1, app-1]
              w2:
                address: {ip: 203.0.113.2, protocol: tcp, port: 443}
                sequence: [av-1, app-1]
            """;

    @TempDir
    Path dir;
    Target target;
    Store store;
    P4RuntimeClient client;
    Provisioner provisioner;
    HealthMonitor monitor;
    final Set<Integer> silent = ConcurrentHashMap.newKeySet();       // ports whose device keeps what it gets
    final Map<Integer, AtomicLong> received = new ConcurrentHashMap<>(); // traffic (not probes) each port got
    final BlockingQueue<Frame> atClient = new LinkedBlockingQueue<>();
    final BlockingQueue<Event> events = new LinkedBlockingQueue<>();

    /** Starts the target this suite runs against. */
    abstract Target startTarget() throws Exception;

    @BeforeEach
    void start() throws Exception {
        target = startTarget();
        store = Store.open(dir.resolve("sfc.db"));
        client = P4RuntimeClient.connect(target.host(), target.grpcPort(), 1, 10, 5000);
        provisioner = Provisioner.start(client, target.pipeline(), store, "sw1", "test");
        provisioner.apply("health.yaml", CATALOG, "alice", null);
        play();
    }

    @AfterEach
    void stop() {
        if (monitor != null) {
            monitor.close();
        }
        if (client != null) {
            client.close();
        }
        if (target != null) {
            target.close();
        }
        if (store != null) {
            store.close();
        }
    }

    /** The devices and the client, on the switch's ports; what they send back is injected like over a cable. */
    void play() {
        target.onFrame(1, f -> atClient.add(new Frame(f)));
        device(2, 3);
        device(3, 2);
        device(4, 5);
        device(5, 4);
        device(6, 6);
        device(7, 7);
        target.onFrame(8, f -> {
            Frame in = new Frame(f);
            count(8, in);
            if (!silent.contains(8) && in.protocol() == 6 && in.tcpFlags() == 0x02) { // a SYN: SYN-ACK
                Frame reply = Frame.tcp(SWITCH_MAC, 0x080001L, in.dstIp(), in.srcIp(), in.dport(), in.sport(), 0x12,
                        1000, in.tcpSeq() + 1, "");
                target.inject(8, reply.bytes());
            }
        });
    }

    void device(int port, int backOn) {
        target.onFrame(port, f -> {
            count(port, new Frame(f));
            if (!silent.contains(port)) {
                target.inject(backOn, f);
            }
        });
    }

    void count(int port, Frame f) {
        boolean probe = f.srcIp() == PROBE_IP || f.dstIp() == PROBE_IP;
        if (!probe) {
            received.computeIfAbsent(port, k -> new AtomicLong()).incrementAndGet();
        }
    }

    long got(int port) {
        return received.getOrDefault(port, new AtomicLong()).get();
    }

    HealthMonitor monitor(HealthMonitor.Passive passive) {
        monitor = HealthMonitor.start(provisioner, client, store, passive);
        monitor.onEvent(events::add);
        return monitor;
    }

    /** Waits until every probed device has answered (the monitor's first round trip). */
    void awaitAllAnswered() throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < until) {
            List<HealthMonitor.Status> status = monitor.status(); // (empty until the monitor's first round)
            if (!status.isEmpty() && status.stream().allMatch(s -> s.answers() > 0)) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("not every device answered: " + monitor.status());
    }

    Event next(String device, long timeoutMillis) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        for (long left; (left = until - System.nanoTime()) > 0; ) {
            Event e = events.poll(left, TimeUnit.NANOSECONDS);
            if (e != null && e.device().equals(device)) {
                return e;
            }
        }
        throw new AssertionError("no event for " + device + " within " + timeoutMillis + " ms");
    }

    /** A client's SYN to the service; the SYN-ACK that reaches the client, or null. */
    Frame request(String serviceIp, int sport) throws InterruptedException {
        atClient.clear();
        Frame syn = Frame.tcp(SWITCH_MAC, 0xa1, CLIENT, ip(serviceIp), sport, 443, 0x02, 7, 0, "");
        target.inject(1, syn.bytes());
        return atClient.poll(1, TimeUnit.SECONDS);
    }

    @Test
    void aSilentFirewallMovesToTheSpareAndFailsBackWhenItAnswersAgain() throws Exception {
        monitor(HealthMonitor.Passive.OFF);
        awaitAllAnswered();
        assertNotNull(request("203.0.113.1", 40001), "w1 works");
        long fw1 = got(2);

        silent.add(2);
        silent.add(3);
        long t0 = System.nanoTime();
        Event failed = next("fw-1", 2000);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(State.FAILED, failed.to());
        assertTrue(failed.detail().contains("spare fw-3") && failed.writes() == 2, failed.toString());
        assertTrue(ms < 1000, "detected in " + ms + " ms (3 intervals of 40 ms, then the write)");
        long fw3 = got(4);
        Frame reply = request("203.0.113.1", 40002);
        assertNotNull(reply, "w1 works through the spare");
        assertEquals(ip("203.0.113.1"), reply.srcIp());
        assertTrue(got(4) > fw3, "the spare carried it");

        silent.remove(2);
        silent.remove(3);
        Event back = next("fw-1", 3000);
        assertEquals(State.HEALTHY, back.to(), back.toString());
        assertEquals(2, back.writes(), "fw-1 back where it is attached, a side each");
        long before = got(2);
        assertNotNull(request("203.0.113.1", 40003));
        assertTrue(got(2) > before && got(2) > fw1, "fw-1 carries w1 again");
        assertTrue(store.auditLog().stream().anyMatch(a -> a.action().equals("event") && a.detail().startsWith("fw-1: healthy -> failed")));
    }

    @Test
    void aSpareThatFailsWhileStandingInHandsTheDeviceOnToItsPolicy() throws Exception {
        monitor(HealthMonitor.Passive.OFF);
        awaitAllAnswered();
        silent.addAll(List.of(2, 3));
        assertEquals(State.FAILED, next("fw-1", 2000).to());
        silent.addAll(List.of(4, 5));
        Event spareDown = next("fw-3", 2000);
        assertEquals(State.FAILED, spareDown.to());
        // No healthy spare left: fw-1's fallback, drop by default. A dead firewall never silently becomes none.
        assertEquals("drop", provisioner.deviceStates().describe("fw-1"), "no healthy spare left: fw-1's step drops");
        assertTrue(spareDown.detail().contains("fallback drop"), spareDown.detail());
        assertEquals(java.util.Map.of("drop", 1L), provisioner.fallbacks());
        long ips = got(6);
        assertNull(request("203.0.113.1", 40010), "w1 stops: fw-1 failed with no spare, fallback drop");
        assertEquals(ips, got(6), "nothing reached the IPS behind the missing firewall");
    }

    @Test
    void aDeclaredBypassFallbackSkipsTheFirewallWhenNoSpareIsLeft() throws Exception {
        provisioner.apply("health.yaml", CATALOG.replace("fw-1: {function: firewall, failure: spare,",
                "fw-1: {function: firewall, failure: {policy: spare, fallback: bypass},"), "alice", "fw-1 bypassable");
        monitor(HealthMonitor.Passive.OFF);
        awaitAllAnswered();
        silent.addAll(List.of(2, 3, 4, 5));
        assertEquals(State.FAILED, next("fw-1", 2000).to());
        // fw-3 fails too, before or after fw-1 moved to it: either way fw-1 ends on its fallback.
        long until = System.currentTimeMillis() + 3000;
        while (!provisioner.deviceStates().describe("fw-1").equals("bypass") && System.currentTimeMillis() < until) {
            Thread.sleep(20);
        }
        assertEquals("bypass", provisioner.deviceStates().describe("fw-1"));
        assertEquals(java.util.Map.of("bypass", 1L), provisioner.fallbacks());
        long ips = got(6);
        assertNotNull(request("203.0.113.1", 40011), "w1 goes on without a firewall: its fallback says bypass");
        assertTrue(got(6) > ips);
    }

    @Test
    void bypassSkipsTheSilentStepAndDropDropsTheService() throws Exception {
        monitor(HealthMonitor.Passive.OFF);
        awaitAllAnswered();
        silent.add(6);
        assertTrue(next("ips-1", 2000).detail().contains("bypass"));
        long ips = got(6);
        assertNotNull(request("203.0.113.1", 40020), "w1 without ips-1");
        assertEquals(ips, got(6), "ips-1 got nothing but probes");

        silent.add(7);
        assertTrue(next("av-1", 2000).detail().contains("drop"));
        assertNull(request("203.0.113.2", 40021), "w2 drops where av-1 was");
        assertNotNull(request("203.0.113.1", 40022), "w1 is unaffected");

        silent.remove(7); // failback: manual — it waits for the operator
        Event recovered = next("av-1", 3000);
        assertEquals(State.RECOVERED, recovered.to(), recovered.toString());
        assertNull(request("203.0.113.2", 40023), "still dropped until restored");
        provisioner.restore("av-1", "operator");
        assertEquals(State.HEALTHY, next("av-1", 1000).to());
        assertNotNull(request("203.0.113.2", 40024), "w2 works again");
    }

    /**
     * The controller stands still for 2 s (time jumps while none of its threads ran: a GC pause, a starved
     * process): no device is blamed for the silence, and a device that really goes silent afterwards still is.
     */
    @Test
    void aStalledControllerBlamesNoDeviceButASilentOneIsStillCaught() throws Exception {
        AtomicLong stalled = new AtomicLong();
        monitor = HealthMonitor.start(provisioner, client, store, HealthMonitor.Passive.OFF,
                () -> System.nanoTime() + stalled.get());
        monitor.onEvent(events::add);
        awaitAllAnswered();
        stalled.addAndGet(TimeUnit.SECONDS.toNanos(2));
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (monitor.stalls() == 0 && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertTrue(monitor.stalls() >= 1, "the stall was seen");
        Thread.sleep(600);
        assertEquals(List.of(), List.copyOf(events), "nobody failed");
        silent.add(6);
        Event e = next("ips-1", 2000);
        assertEquals(State.FAILED, e.to(), e.toString());
    }

    /**
     * The default heartbeats (100 ms x 3) on a machine whose every core is busy and whose heap churns for 3 s:
     * healthy devices stay healthy (a run beside a BMv2 build used to fail them within 300 ms).
     */
    @Test
    void healthyDevicesRideOutACpuAndGarbageStormWithTheDefaults() throws Exception {
        provisioner.apply("health.yaml", CATALOG.replace("interval-ms: 40, ", ""), "alice", "default heartbeats");
        monitor(HealthMonitor.Passive.DEFAULT);
        awaitAllAnswered();
        int cores = Runtime.getRuntime().availableProcessors();
        var storm = Executors.newFixedThreadPool(cores + 1);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        long[] sink = new long[cores + 1];
        for (int i = 0; i < cores + 1; i++) {
            int n = i;
            storm.execute(() -> {
                while (System.nanoTime() < end) {
                    if (n == cores) {
                        sink[n] += new byte[4 << 20].length; // garbage, so collections run
                    } else {
                        sink[n] += Long.numberOfTrailingZeros(System.nanoTime());
                    }
                }
            });
        }
        storm.shutdown();
        assertTrue(storm.awaitTermination(10, TimeUnit.SECONDS));
        Thread.sleep(500);
        assertEquals(List.of(), events.stream().filter(e -> e.to() == State.FAILED).toList(),
                "stalls forgiven: " + monitor.stalls());
        assertTrue(sink[0] != 0);
    }

    /**
     * A flood to the probe address from the client's port (seed ¶153: the switch protects itself): that port's punt
     * meter holds it to the punt rate, the rest is dropped and counted as such, and every device's heartbeats —
     * which come back on other ports — are still answered.
     */
    @Test
    void aPuntFloodFromOnePortIsMeteredAndHeartbeatsStillGetThrough() throws Exception {
        // 100 punts a second per port (heartbeats need 25 a path here); flooded at 1,000 a second for 2 s: ten times
        // the rate, and within what every target forwards (BMv2 included), so only the punt path is under test.
        provisioner.apply("health.yaml", CATALOG.replace("  mac: 02:00:00:00:fe:01\n",
                "  mac: 02:00:00:00:fe:01\n  punt-rate: {pps: 100, burst: 20}\n"), "alice", "a low punt rate");
        monitor(HealthMonitor.Passive.OFF);
        awaitAllAnswered();
        byte[] flood = Frame.of(17, SWITCH_MAC, 0xbad, CLIENT, PROBE_IP, 4444, HealthMonitorTest.PATH_PORT, 0, "flood")
                .bytes();
        int sent = 0;
        long start = System.nanoTime();
        while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2)) {
            long due = (System.nanoTime() - start) * 1_000 / 1_000_000_000L;
            for (; sent < due; sent++) {
                target.inject(1, flood);
            }
            Thread.sleep(2);
        }
        Thread.sleep(300);
        assertEquals(List.of(), events.stream().filter(e -> e.to() == State.FAILED).toList(), "nobody failed");
        long overRate = droppedForPuntRate();
        // At 100 a second with a burst of 20, two seconds let about 220 of the 2,000 through.
        assertTrue(overRate >= sent - 400 && overRate > 0, overRate + " of " + sent + " dropped as over the punt rate");
        assertTrue(monitor.status().stream().allMatch(st -> st.lastAnswerMs() >= 0 && st.lastAnswerMs() < 1000),
                "every device answered within the last second: " + monitor.status());
    }

    /** Packets drop_reasons counted as DROP_PUNT_RATE (9). */
    long droppedForPuntRate() {
        return Sfc.dropped(client, target.pipeline().p4info(), 9);
    }

    @Test
    void healthyDevicesUnderASteadyLoadNeverFailOver() throws Exception {
        monitor(new HealthMonitor.Passive(100, 20));
        awaitAllAnswered();
        int sent = 0;
        int answered = 0;
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
        while (System.nanoTime() < until) {
            for (String svc : List.of("203.0.113.1", "203.0.113.2")) {
                sent++;
                if (request(svc, 20000 + sent % 40000) != null) {
                    answered++;
                }
            }
        }
        assertTrue(sent > 100, "a real load: " + sent);
        assertEquals(sent, answered, "every request answered");
        assertTrue(events.isEmpty(), "no failover: " + events);
        assertTrue(monitor.status().stream().allMatch(s -> s.state() == State.HEALTHY), monitor.status().toString());
    }

    @Test
    void aDeviceThatKeepsWhatItIsSentIsProbedAtOnceAndFailsWithinOneInterval() throws Exception {
        // Slow heartbeats (5 s to notice by probes alone); passive counters every 100 ms.
        provisioner.apply("health.yaml", CATALOG.replace("ips-1: {function: ips, failure: bypass, health: {interval-ms: 40, misses: 3,",
                "ips-1: {function: ips, failure: bypass, health: {interval-ms: 1000, misses: 5,"), "alice", "slow ips-1");
        monitor(new HealthMonitor.Passive(100, 20));
        awaitAllAnswered();
        silent.add(6);
        long t0 = System.nanoTime();
        // Clients keep sending (10 requests every 20 ms) until the monitor acts.
        java.util.concurrent.ScheduledExecutorService clients = Executors.newSingleThreadScheduledExecutor();
        AtomicLong sport = new AtomicLong(30000);
        clients.scheduleAtFixedRate(() -> {
            for (int i = 0; i < 10; i++) {
                Frame syn = Frame.tcp(SWITCH_MAC, 0xa1, CLIENT, ip("203.0.113.1"), (int) (sport.incrementAndGet() % 60000),
                        443, 0x02, 7, 0, "");
                target.inject(1, syn.bytes());
            }
        }, 0, 20, TimeUnit.MILLISECONDS);
        Event e;
        try {
            e = next("ips-1", 4000);
        } finally {
            clients.shutdownNow();
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(State.FAILED, e.to());
        assertTrue(e.detail().contains("returned too few"), e.detail());
        assertTrue(ms < 2500, "noticed by counters in " + ms + " ms, not after 5 s of missed heartbeats");
    }

    static long ip(String s) {
        return org.sfc.catalog.Ipv4.parse(s).value();
    }
}
