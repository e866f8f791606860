package org.sfc.dataplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.sfc.controller.Frame;
import org.sfc.controller.HealthMonitor;
import org.sfc.controller.P4RuntimeClient;
import org.sfc.controller.Provisioner;
import org.sfc.controller.Store;
import org.sfc.dataplane.target.Target;
import org.sfc.dataplane.target.TargetKind;

/**
 * The client-side engine of a split pair (seed Fig. 15A, ¶160) sees a client's SYNs but never the server's answers
 * (they leave through the other engine): several SYNs in a row with no client ACK between mean the server does not
 * answer. The switch counts both per service (Handshake); the health monitor, for a server with {@code syn-retries},
 * fails it by its policy (here drop: the service is down, having no alternate). An ACK between SYNs resets the count;
 * a server without {@code syn-retries} is never judged by SYNs. On each target.
 */
@ParameterizedClass(name = "on the {0}")
@EnumSource(TargetKind.class)
class SynWatchTest {
    static final long SWITCH_MAC = 0x02000000fe01L;
    static final long CLIENT = 0xC6336407L; // 198.51.100.7
    static final long W1 = 0xCB00710AL;     // 203.0.113.10
    static final long W2 = 0xCB00710BL;     // 203.0.113.11
    static final int UPLINK = 1, APP1 = 2, APP2 = 3;
    static final String CATALOG = """
            switch:
              mac: 02:00:00:00:fe:01
              uplinks:
                - {name: internet, port: 1, router-mac: 00:00:00:00:00:a1}
            devices:
              app-1: {function: server, tag: port, failure: drop, health: {probe: none, syn-retries: 3}, port: 2,
                      mac: 00:00:00:00:02:01}
              app-2: {function: server, tag: port, failure: drop, health: {probe: none}, port: 3, mac: 00:00:00:00:03:01}
            services:
              web:
                address: {ip: 203.0.113.10, protocol: tcp, port: 443}
                sequence: [app-1]
              mail:
                address: {ip: 203.0.113.11, protocol: tcp, port: 25}
                sequence: [app-2]
            """;

    @Parameter
    TargetKind kind;
    @TempDir
    Path dir;
    Target target;
    Store store;
    P4RuntimeClient client;
    HealthMonitor monitor;
    final BlockingQueue<HealthMonitor.Event> events = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() throws Exception {
        target = kind.start();
        store = Store.open(dir.resolve("sfc.db"));
        client = P4RuntimeClient.connect(target.host(), target.grpcPort(), 1, 10, 5000);
        Provisioner p = Provisioner.start(client, target.pipeline(), store, "sw1", "test");
        p.apply("syn.yaml", CATALOG, "test", null);
        monitor = HealthMonitor.start(p, client, store, HealthMonitor.Passive.OFF);
        monitor.onEvent(events::add);
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

    /** A client's TCP segment (flags) to {@code ip}:{@code port} from the uplink; where it left the switch. */
    List<Integer> send(long ip, int port, int flags, int sport) {
        Frame f = Frame.tcp(SWITCH_MAC, 0xa1, CLIENT, ip, sport, port, flags, 1000, flags == 0x02 ? 0 : 7001, "");
        return Sfc.ports(target.send(UPLINK, f.bytes()));
    }

    HealthMonitor.State state(String device) {
        return monitor.status().stream().filter(s -> s.device().equals(device)).findFirst().orElseThrow().state();
    }

    /** Waits for the SYN watch to have read the counters at least once more (it reads them every 200 ms). */
    static void aLook() throws InterruptedException {
        Thread.sleep(3 * HealthMonitor.SYN_WATCH_MILLIS);
    }

    @Test
    void syn_retriesInARowFailTheServerAndItsServiceGoesDown() throws Exception {
        aLook(); // the watch's first look: where its counting starts
        assertEquals(List.of(APP1), send(W1, 443, 0x02, 40000), "the client's SYN reaches app-1");
        assertEquals(List.of(APP1), send(W1, 443, 0x02, 40000), "its retransmission too");
        assertEquals(HealthMonitor.State.UNPROBED, state("app-1"), "two SYNs in a row: not yet");
        assertEquals(List.of(APP1), send(W1, 443, 0x02, 40000));
        HealthMonitor.Event e = events.poll(5, TimeUnit.SECONDS);
        assertNotNull(e, "the third SYN in a row fails app-1");
        assertEquals("app-1", e.device());
        assertEquals(HealthMonitor.State.FAILED, e.to());
        assertTrue(e.detail().startsWith("3 SYNs in a row from clients of service web and no handshake completed "
                + "(syn-retries 3): the server does not answer; drop"), e.detail());
        assertEquals(List.of(), send(W1, 443, 0x02, 40001), "web has no alternate server: it is down");
    }

    @Test
    void anAckBetweenSynsMeansTheServerAnswers() throws Exception {
        aLook();
        send(W1, 443, 0x02, 40000);
        send(W1, 443, 0x02, 40001);
        aLook();
        assertEquals(List.of(APP1), send(W1, 443, 0x10, 40001), "the handshake completed: the client's ACK");
        aLook();
        send(W1, 443, 0x02, 40002);
        send(W1, 443, 0x02, 40003);
        aLook();
        assertNull(events.poll(), "two SYNs, an ACK, two SYNs: never three in a row");
        assertEquals(HealthMonitor.State.UNPROBED, state("app-1"));
    }

    @Test
    void aServerWithoutSynRetriesIsNotJudgedBySyns() throws Exception {
        aLook();
        for (int i = 0; i < 6; i++) {
            assertEquals(List.of(APP2), send(W2, 25, 0x02, 40000));
        }
        aLook();
        assertNull(events.poll(), "mail's server has no syn-retries");
        assertEquals(List.of(APP2), send(W2, 25, 0x02, 40000));
    }
}
