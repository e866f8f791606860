package org.sfc.dataplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sfc.dataplane.ControllerDaemonTest.await;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.sfc.controller.ControllerDaemon;
import org.sfc.dataplane.target.SoftwareSwitchTarget;
import org.sfc.dataplane.target.Target;
import org.sfc.dataplane.target.TargetKind;

/**
 * The controller daemon driving a redundant pair (seed Fig. 15, ¶158): the standby follows every change and every
 * failover of the active switch; when the active switch dies the standby takes over by itself and announces the
 * addresses; the returning switch is the standby until an operator moves the traffic back; the roles outlive a
 * restart of the controller. The active switch is the software switch; the standby runs on each target (BMv2 where
 * installed).
 */
@ParameterizedClass(name = "standby on the {0}")
@EnumSource(value = TargetKind.class, names = {"SOFTWARE_SWITCH", "BMV2"})
class RedundantPairDaemonTest {
    static final String TOKEN = "s3cret";
    static final int UPLINK = 1, FW_OUT = 2, FW_IN = 3, VPN = 4;

    @Parameter
    TargetKind kind;
    @TempDir
    Path dir;

    SoftwareSwitchTarget a;
    Target b;
    ControllerDaemon daemon;

    @AfterEach
    void stop() {
        if (daemon != null) {
            daemon.close();
        }
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
    }

    ControllerDaemon startDaemon() throws Exception {
        return ControllerDaemon.start(new ControllerDaemon.Config(a.host(), a.grpcPort(), 1, 10, a.pipeline(),
                dir.resolve("sfc.db"), "127.0.0.1", 0, TOKEN, null)
                .with(new ControllerDaemon.Standby(b.host(), b.grpcPort(), 1, Duration.ofMillis(300), b.pipeline())));
    }

    HttpResponse<String> call(String method, String path, String body) throws Exception {
        return new DaemonApi(daemon, TOKEN).call(method, path, body);
    }

    String switches() {
        return new DaemonApi(daemon, TOKEN).switches();
    }

    boolean is(String sw, String role, boolean connected, int version) {
        return new DaemonApi(daemon, TOKEN).is(sw, role, connected, version);
    }

    boolean answersArp(Target t) {
        return !t.send(UPLINK, RedundantPairTest.whoHas()).isEmpty();
    }

    /** Where the client's request leaves (the controller's heartbeats leaving meanwhile are not counted). */
    List<Integer> requestGoesTo(Target t) {
        byte[] client = {(byte) 198, 51, 100, 7};
        return Sfc.ports(t.send(UPLINK, RedundantPairTest.request()).stream()
                .filter(o -> o.data().length > 30 && java.util.Arrays.equals(o.data(), 26, 30, client, 0, 4)).toList());
    }

    /**
     * Both switches number every step and tag alike (the standby compiles from the version's recorded ids) and both
     * keep a cut-over's old steps for the drain time: a request that fw-1 holds across a per-packet cut-over and the
     * death of the active switch comes back to the new active one, which takes it on to vpn-1.
     */
    @Test
    void aPacketInsideADeviceAcrossACutOverAndTheTakeoverFinishesItsChainOnTheStandby() throws Exception {
        a = SoftwareSwitchTarget.start();
        b = kind.start();
        daemon = startDaemon();
        String nameB = b.host() + ":" + b.grpcPort() + "/1";
        String quiet = Files.readString(Path.of("../examples/figure-7.yaml"))
                .replace("    function: ", "    health: {probe: none}\n    function: ");
        await(() -> daemon.ready(), "the daemon takes charge of the active switch");
        assertEquals(200, call("POST", "/v1/catalog?file=figure-7.yaml", quiet).statusCode());
        await(() -> is(nameB, "standby", true, 1), "the standby holds version 1");
        List<org.sfc.sw.runtime.V1ModelPipeline.Output> toFirewall = a.send(UPLINK, RedundantPairTest.request());
        assertEquals(List.of(FW_OUT), Sfc.ports(toFirewall), "the active switch sends the request to fw-1");
        byte[] held = toFirewall.get(0).data(); // fw-1 holds it, its step tag in the DSCP

        // A change of vpn-access cut over per packet on both switches: its new steps under the other version, the
        // old ones kept for the drain time (2 s) on the standby too.
        HttpResponse<String> cut = call("POST", "/v1/catalog?file=figure-7.yaml", quiet.replace("dscp: 10 ", "dscp: 12 "));
        assertTrue(cut.statusCode() == 200 && cut.body().contains("\"versioned\": [\"vpn-access\"]"), cut.body());
        assertTrue(is(nameB, "standby", true, 2), switches());
        a.die();
        await(() -> is(nameB, "active", true, 2), "the standby takes over");
        assertEquals(List.of(VPN), Sfc.ports(b.send(FW_IN, held)), "fw-1 hands it back to the new active switch, "
                + "which knows its tag (the old version's, still draining there) and takes it on to vpn-1");
    }

    @Test
    void theStandbyFollowsTakesOverWhenTheActiveDiesAndTheTrafficMovesBackOnlyWhenTold() throws Exception {
        a = SoftwareSwitchTarget.start();
        b = kind.start();
        daemon = startDaemon();
        String nameA = "127.0.0.1:" + a.grpcPort() + "/1", nameB = b.host() + ":" + b.grpcPort() + "/1";
        // No device answers heartbeats here: probes stay off until the failover part.
        String quiet = Files.readString(Path.of("../examples/figure-7.yaml"))
                .replace("    function: ", "    health: {probe: none}\n    function: ");
        await(() -> daemon.ready(), "the daemon takes charge of the active switch");
        assertEquals(200, call("POST", "/v1/catalog?file=figure-7.yaml", quiet).statusCode());
        await(() -> is(nameA, "active", true, 1) && is(nameB, "standby", true, 1), "both switches hold version 1");
        assertTrue(answersArp(a), "the active switch answers ARP for W1");
        assertEquals(false, answersArp(b), "the standby does not");
        assertEquals(List.of(), requestGoesTo(b), "nor forwards");

        // A failover on the active switch (its health monitor's) is followed by the standby.
        String probed = quiet.replaceFirst("    health: \\{probe: none}\n    function: firewall",
                "    health: {probe: loop, interval-ms: 50, misses: 2}\n    failure: bypass\n    function: firewall");
        assertEquals(200, call("POST", "/v1/catalog?file=figure-7.yaml", probed).statusCode(), probed);
        assertTrue(is(nameB, "standby", true, 2), "the change reached both switches before it was acknowledged: "
                + switches());
        await(() -> switches().contains("\"switch\": \"" + nameB + "\", \"role\": \"standby\", \"connected\": true, "
                + "\"version\": 2, \"devices_out\": [\"fw-1: bypass\"]"), "fw-1 (silent) bypassed on the standby as "
                + "on the active: " + switches());

        // The active switch dies: the standby takes over and announces W1 through its uplink.
        BlockingQueue<byte[]> atRouter = b.capture(UPLINK);
        long died = System.nanoTime();
        int portA = a.die();
        byte[] announced = atRouter.poll(10, TimeUnit.SECONDS);
        long tookMs = (System.nanoTime() - died) / 1_000_000;
        assertEquals(RedundantPairTest.announcement(), announced == null ? null : Sfc.hex(announced),
                "W1 announced through the standby");
        assertTrue(tookMs < 5_000, "took over in " + tookMs + " ms");
        await(() -> is(nameB, "active", true, 2) && is(nameA, "standby", false, 0), "the roles swapped: " + switches());
        assertTrue(answersArp(b), "the new active switch answers for W1");
        assertEquals(List.of(VPN), requestGoesTo(b), "and still bypasses the silent fw-1");
        assertTrue(call("GET", "/metrics", null).body().contains("\nsfc_pair_takeovers_total 1\n"));

        // The old active switch returns empty: it is repaired as the standby, with the failover, and answers nothing.
        a.comeBack(portA);
        await(() -> switches().contains("\"switch\": \"" + nameA + "\", \"role\": \"standby\", \"connected\": true, "
                + "\"version\": 2, \"devices_out\": [\"fw-1: bypass\"]"), "the returning switch is the standby, with "
                + "the failover: " + switches());
        assertEquals(false, answersArp(a), "and leaves the addresses to the active one");
        assertEquals(List.of(), requestGoesTo(a), "and the traffic");

        // The roles outlive a restart of the controller: nothing moves back by itself.
        daemon.close();
        daemon = startDaemon();
        await(() -> is(nameB, "active", true, 2) && is(nameA, "standby", true, 2), "the roles as they were: " + switches());
        assertTrue(answersArp(b));
        assertEquals(false, answersArp(a));

        // The operator moves the traffic back.
        HttpResponse<String> back = call("POST", "/v1/switches/activate?switch=" + URLEncoder.encode(nameA,
                StandardCharsets.UTF_8), null);
        assertEquals(200, back.statusCode(), back.body());
        assertTrue(is(nameA, "active", true, 2) && is(nameB, "standby", true, 2), switches());
        assertTrue(answersArp(a), "the traffic is back on the first switch");
        assertEquals(List.of(VPN), requestGoesTo(a), "with fw-1 still bypassed");
        assertEquals(false, answersArp(b));
        assertEquals(List.of(), requestGoesTo(b));
        assertEquals(400, call("POST", "/v1/switches/activate?switch=nowhere:1/1", null).statusCode());
    }
}
