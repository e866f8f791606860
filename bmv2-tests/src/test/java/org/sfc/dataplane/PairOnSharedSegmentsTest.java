package org.sfc.dataplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sfc.dataplane.ControllerDaemonTest.await;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.sfc.controller.ControllerDaemon;
import org.sfc.dataplane.target.Bmv2Target;
import org.sfc.dataplane.target.SharedSegments;
import org.sfc.dataplane.target.SoftwareSwitchProcessTarget;
import org.sfc.dataplane.target.SoftwareSwitchTarget;
import org.sfc.dataplane.target.TargetKind;
import org.sfc.dataplane.target.VethSwitchTarget;

/**
 * A redundant pair on real segments (seed Fig. 15): two switch processes, each port of one bridged with the same port
 * of the other and with a network namespace: a router (the client) on the uplink, a transparent firewall (a Linux
 * bridge in its namespace, which keeps the step tag) and a NAT-mode UDP echo server. The controller daemon drives
 * both. A client stream of a request every few milliseconds runs while the active switch is killed (SIGKILL): the standby takes
 * over, its gratuitous ARP and device-port claims move the bridges to it, and the stream goes on through it; then the
 * killed switch comes back, empty, and is made the standby without a packet lost. Nothing is ever answered twice
 * (a standby that forwarded would double every flooded packet). The active switch is the software switch; the
 * standby is the software switch or BMv2.
 */
@ParameterizedClass(name = "standby on the {0}")
@EnumSource(value = TargetKind.class, names = {"SOFTWARE_SWITCH", "BMV2"})
class PairOnSharedSegmentsTest {
    static final String TOKEN = "s3cret";
    /** A request every 2 ms (every 10 ms with BMv2 in the pair: each takes six passes, and BMv2 does a few thousand a second). */
    double interval() {
        return kind == TargetKind.BMV2 ? 0.010 : 0.002;
    }

    /** Long enough for the killed switch to restart (a JVM, its ports, the pipeline pushed) inside the stream. */
    static final int STREAM_S = 20;

    static final String CATALOG = """
            switch:
              mac: 02:00:00:00:fe:01
              uplinks:
                - {name: internet, port: 1, router-mac: 00:00:00:00:00:a1}
            devices:
              fw-1:
                function: firewall
                tag: dscp                 # a transparent bridge: the step tag passes through it
                health: {probe: none}
                outside: {port: 2, mac: 00:00:00:00:00:f0}
                inside:  {port: 3, mac: 00:00:00:00:00:f1}
              app-1:
                function: server
                mode: nat
                ip: 10.0.0.6
                tag: port
                health: {probe: none}
                port: 6
                mac: 00:00:00:00:00:c1
            services:
              echo:
                tenant: acme
                address: {ip: 203.0.113.10, protocol: udp, port: 7}
                sequence: [fw-1, app-1]
            """;

    /** The client: a numbered request every INTERVAL; counts answers, losses, duplicates and the longest outage. */
    static final String CLIENT = """
            import select, socket, sys, time
            dst, port, interval, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.setblocking(False)
            sent, seen, dups = 0, set(), 0
            start = time.monotonic()
            due = start
            end = start + seconds
            while True:
                now = time.monotonic()
                if now >= end + 0.5:
                    break
                if now >= due and now < end:
                    s.sendto(sent.to_bytes(4, 'big') + b'.' * 28, (dst, port))
                    sent += 1
                    due += interval
                r, _, _ = select.select([s], [], [], max(0.0, min(due, end + 0.5) - time.monotonic()))
                while r:
                    try:
                        n = int.from_bytes(s.recv(2048)[:4], 'big')
                    except BlockingIOError:
                        break
                    if n in seen:
                        dups += 1
                    seen.add(n)
            lost = [n for n in range(sent) if n not in seen]
            run, longest, prev = 0, 0, -2
            for n in lost:
                run = run + 1 if n == prev + 1 else 1
                longest = max(longest, run)
                prev = n
            starts = [n for i, n in enumerate(lost) if i == 0 or lost[i - 1] != n - 1]
            ends = [n for i, n in enumerate(lost) if i == len(lost) - 1 or lost[i + 1] != n + 1]
            spans = ",".join(f"{a}-{b}" for a, b in zip(starts, ends))
            print(f"sent={sent} answered={len(seen)} lost={len(lost)} duplicates={dups} outages={len(starts)} "
                  f"longest={longest} lost_requests=[{spans}]")
            """;

    static final String ECHO = """
            import socket
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.bind(('0.0.0.0', 7))
            while True:
                data, peer = s.recvfrom(2048)
                s.sendto(data, peer)
            """;

    @Parameter
    TargetKind kind;
    @TempDir
    Path dir;

    VethSwitchTarget a, b;
    SharedSegments net;
    ControllerDaemon daemon;
    Process echo;

    @AfterEach
    void stop() {
        if (echo != null) {
            echo.destroyForcibly();
        }
        if (daemon != null) {
            daemon.close();
        }
        for (VethSwitchTarget t : new VethSwitchTarget[] {a, b}) {
            if (t != null) {
                t.close();
            }
        }
        if (net != null) {
            net.close();
        }
    }

    HttpResponse<String> call(String method, String path, String body) throws Exception {
        return new DaemonApi(daemon, TOKEN).call(method, path, body);
    }

    boolean is(VethSwitchTarget t, String role) {
        return new DaemonApi(daemon, TOKEN).is("127.0.0.1:" + t.grpcPort() + "/1", role, true, 1);
    }

    @Test
    void theStandbyTakesOverAKilledActiveSwitchUnderAStreamAndItsReturnLosesNothing() throws Exception {
        String missing = SoftwareSwitchProcessTarget.unavailable();
        Assumptions.assumeTrue(missing == null, missing);
        a = SoftwareSwitchProcessTarget.start();
        b = kind == TargetKind.BMV2 ? (VethSwitchTarget) Bmv2Target.startOrSkip(SoftwareSwitchTarget.PROGRAM)
                : SoftwareSwitchProcessTarget.start();
        a.keepEmitted(false);
        b.keepEmitted(false);
        net = new SharedSegments();
        String router = net.segment(1, a, b, "r", "eth0", "00:00:00:00:00:a1");
        String fw = net.segment(2, a, b, "f", "out0", "00:00:00:00:00:02");
        net.segment(3, a, b, "f", "in0", "00:00:00:00:00:03");
        String app = net.segment(6, a, b, "a", "eth0", "00:00:00:00:00:c1");
        SharedSegments.exec(router, "ip", "addr", "add", "198.51.100.1/24", "dev", "eth0");
        SharedSegments.exec(router, "ip", "route", "add", "203.0.113.0/24", "dev", "eth0"); // W1 is on the segment
        SharedSegments.exec(fw, "ip", "link", "add", "fw0", "type", "bridge");
        SharedSegments.exec(fw, "ip", "link", "set", "out0", "master", "fw0");
        SharedSegments.exec(fw, "ip", "link", "set", "in0", "master", "fw0");
        SharedSegments.exec(fw, "ip", "link", "set", "fw0", "up");
        SharedSegments.exec(app, "ip", "addr", "add", "10.0.0.6/24", "dev", "eth0");
        SharedSegments.exec(app, "ip", "neigh", "add", "10.0.0.1", "lladdr", "02:00:00:00:fe:01", "dev", "eth0",
                "nud", "permanent"); // its gateway: the engine
        SharedSegments.exec(app, "ip", "route", "add", "default", "via", "10.0.0.1");
        Files.writeString(dir.resolve("client.py"), CLIENT);
        Files.writeString(dir.resolve("echo.py"), ECHO);
        echo = SharedSegments.start(app, "python3", dir.resolve("echo.py").toString());

        daemon = ControllerDaemon.start(new ControllerDaemon.Config(a.host(), a.grpcPort(), 1, 10, a.pipeline(),
                dir.resolve("sfc.db"), "127.0.0.1", 0, TOKEN, null)
                .with(new ControllerDaemon.Standby(b.host(), b.grpcPort(), 1, Duration.ofMillis(300), b.pipeline())));
        await(() -> daemon.ready(), "the daemon takes charge of the active switch");
        HttpResponse<String> applied = call("POST", "/v1/catalog?file=echo.yaml", CATALOG);
        assertEquals(200, applied.statusCode(), applied.body());
        await(() -> is(a, "active") && is(b, "standby"), "both switches hold version 1");

        long streamStart = System.nanoTime();
        Process client = SharedSegments.start(router, "python3", dir.resolve("client.py").toString(), "203.0.113.10",
                "7", String.valueOf(interval()), String.valueOf(STREAM_S));
        Thread.sleep(2_000);
        long killed = System.nanoTime();
        a.kill();
        await(() -> is(b, "active"), "the standby takes over");
        long tookOverMs = (System.nanoTime() - killed) / 1_000_000;
        Thread.sleep(1_000);
        long relaunched = System.nanoTime();
        a.relaunch(); // empty: the daemon pushes the pipeline and makes it the standby, following
        await(() -> is(a, "standby"), "the returning switch is the standby");
        long back = System.nanoTime();
        String result = new String(client.getInputStream().readAllBytes()).strip();
        client.waitFor();
        System.out.printf("pair on shared segments (standby: %s): %s; takeover seen by the API after %d ms; the killed "
                + "switch back as standby %d ms after its restart%n", kind, result, tookOverMs, (back - relaunched) / 1_000_000);
        assertTrue(back - streamStart < (STREAM_S - 1) * 1_000_000_000L, "the return came too late to be measured: "
                + (back - streamStart) / 1_000_000 + " ms into the stream");
        var m = java.util.regex.Pattern.compile("sent=(\\d+) .*duplicates=(\\d+) .*lost_requests=\\[([-\\d,]*)]").matcher(result);
        assertTrue(m.find(), result);
        int sent = Integer.parseInt(m.group(1));
        assertTrue(sent > STREAM_S / interval() * 0.6, result);
        assertEquals(0, Integer.parseInt(m.group(2)), "nothing answered twice (the standby forwards nothing): " + result);
        // Each outage as the times its lost requests were sent (request n went out n intervals into the stream).
        long killedAt = request(killed - streamStart);
        int takeover = 0, elsewhere = 0;
        for (String span : m.group(3).isEmpty() ? new String[0] : m.group(3).split(",")) {
            long first = Long.parseLong(span.split("-")[0]), last = Long.parseLong(span.split("-")[1]);
            if (first <= killedAt + request(300_000_000L) && last >= killedAt - request(300_000_000L)) {
                takeover += (int) (last - first + 1);
            } else {
                elsewhere += (int) (last - first + 1);
                assertTrue(last < request(relaunched - streamStart) - request(200_000_000L)
                        || first > request(back - streamStart) + request(500_000_000L),
                        "nothing is lost while the killed switch returns (requests " + request(relaunched - streamStart)
                        + ".." + request(back - streamStart) + "): " + result);
            }
        }
        long outageMs = Math.round(takeover * interval() * 1000);
        assertTrue(takeover > 0, "the kill cost packets (else it was not measured): " + result);
        assertTrue(outageMs < 1_500, "the takeover outage: " + outageMs + " ms (" + result + ")");
        assertTrue(elsewhere <= sent / 100, "outside the takeover, losses of a loaded machine only: " + result);
    }

    /** The request sent {@code nanos} into the stream. */
    long request(long nanos) {
        return Math.round(nanos / 1e9 / interval());
    }
}
