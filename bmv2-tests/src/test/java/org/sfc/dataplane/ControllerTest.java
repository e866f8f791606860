package org.sfc.dataplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sfc.catalog.CatalogException;
import org.sfc.compiler.DesiredState;
import org.sfc.compiler.DeviceStates;
import org.sfc.compiler.Diff;
import org.sfc.controller.P4RuntimeClient;
import org.sfc.controller.PipelineConfig;
import org.sfc.controller.Provisioner;
import org.sfc.controller.Store;
import org.sfc.dataplane.target.Target;
import org.sfc.sw.testing.Packets;

import com.google.protobuf.ByteString;

import p4.v1.P4RuntimeOuterClass.Entity;
import p4.v1.P4RuntimeOuterClass.WriteRequest;

/**
 * The controller against a P4Runtime target over real gRPC: apply, minimal diffs, rollback, failure policies
 * (spare, bypass, drop) and failback, a refused update undone, reconcile after a switch restart, a controller
 * killed mid-apply, a backup refused, a bad catalog writing nothing. Runs on every target: {@link
 * ControllerOnSoftwareSwitchTest} always, {@link ControllerOnBmv2Test} where BMv2 and p4c are installed.
 */
abstract class ControllerTest {
    static final String SW = "sw1";

    @TempDir
    Path dir;
    Target target;
    Store store;
    PipelineConfig pipeline;
    List<P4RuntimeClient> clients = new ArrayList<>();
    String v1;

    /** Starts the target this suite runs against. */
    abstract Target startTarget() throws Exception;

    @BeforeEach
    void start() throws Exception {
        target = startTarget();
        pipeline = target.pipeline();
        store = Store.open(dir.resolve("sfc.db"));
        v1 = Files.readString(Path.of("../examples/figure-7.yaml"));
    }

    @AfterEach
    void stop() {
        clients.forEach(P4RuntimeClient::close);
        if (target != null) {
            target.close();
        }
        if (store != null) {
            store.close();
        }
    }

    P4RuntimeClient connect(long election) {
        P4RuntimeClient c = P4RuntimeClient.connect(target.host(), target.grpcPort(), 1, election, 5000);
        clients.add(c);
        return c;
    }

    /** Writes behind the controller's back, through the primary connection it uses (clients.get(0)). */
    void writeBehindTheControllersBack(List<p4.v1.P4RuntimeOuterClass.Update> updates) {
        clients.get(0).write(updates, WriteRequest.Atomicity.CONTINUE_ON_ERROR); // every target implements this one
    }

    Provisioner controller() {
        return Provisioner.start(connect(10), pipeline, store, SW, "test");
    }

    /** The switch's entities (as the controller reads them) and the desired ones, as comparable text. */
    static Set<String> text(DesiredState names, List<Entity> entities) {
        Set<String> out = new TreeSet<>();
        entities.forEach(e -> out.add(names.describe(e)));
        return out;
    }

    /** The store says the switch has {@code version}, finished, under the pipeline it runs now. */
    void assertApplied(int version) {
        assertApplied(version, "");
    }

    void assertApplied(int version, String why) {
        Store.Applied a = store.applied(SW);
        assertEquals(version, a.version(), why);
        assertFalse(a.applying(), why);
        assertEquals(connect(1).installed().cookie(), a.cookie(), "recorded under the switch's pipeline");
    }

    static void assertSwitchHolds(Provisioner p, DesiredState desired) {
        assertEquals(text(desired, desired.entities()), text(desired, p.readAll()));
    }

    @Test
    void applyPushesThePipelineWritesTheCatalogAndRecordsIt() {
        Provisioner p = controller();
        Provisioner.Report r = p.apply("figure-7.yaml", v1, "alice", "first");
        assertEquals(1, r.version());
        assertEquals(p.desired().entities().size(), r.writes());
        assertSwitchHolds(p, p.desired());
        assertEquals(1, store.history().size());
        assertApplied(1);
        assertTrue(store.auditLog().stream().anyMatch(a -> a.who().equals("alice") && a.action().equals("apply")));
    }

    @Test
    void routersAreToldByGratuitousArpWhichMacOwnsTheAddressesAnApplyAddsAndOnTakingCharge() throws Exception {
        var atRouter = target.capture(1);
        Provisioner p = controller();
        p.apply("v1.yaml", v1, "alice", null);
        String w1 = announcement("cb00710a"), w2 = announcement("cb007114"); // 203.0.113.10, 203.0.113.20
        assertEquals(w1, Sfc.hex(atRouter.poll(5, java.util.concurrent.TimeUnit.SECONDS)), "W1 announced out of the uplink");
        p.apply("v2.yaml", v1.replace("address: {ip: 203.0.113.10, protocol: tcp, port: 8080}",
                "address: {ip: 203.0.113.20, protocol: tcp, port: 8080}"), "alice", "app moves to W2");
        assertEquals(w2, Sfc.hex(atRouter.poll(5, java.util.concurrent.TimeUnit.SECONDS)), "only the new address");
        assertEquals(null, atRouter.poll(300, java.util.concurrent.TimeUnit.MILLISECONDS));

        clients.forEach(P4RuntimeClient::close);
        clients.clear();
        controller(); // a controller taking charge (a restart, a standby made active) announces every address
        Set<String> announced = new TreeSet<>();
        for (byte[] f; (f = atRouter.poll(2, java.util.concurrent.TimeUnit.SECONDS)) != null; ) {
            announced.add(Sfc.hex(f));
        }
        assertEquals(new TreeSet<>(Set.of(w1, w2)), announced);
    }

    /**
     * An RFC 5227 ARP announcement of the address {@code ipHex} at the switch's MAC: broadcast, a request whose sender
     * and target address are the address, Ethernet-padded to 60 bytes.
     */
    static String announcement(String ipHex) {
        return "ffffffffffff" + "02000000fe01" + "0806" + "0001" + "0800" + "06" + "04" + "0001" + "02000000fe01" + ipHex
                + "000000000000" + ipHex + "00".repeat(18);
    }

    @Test
    void aChangeWritesOnlyTheDifferenceAndRollbackRestoresTheEarlierVersion() {
        Provisioner p = controller();
        p.apply("v1.yaml", v1, "alice", null);
        DesiredState first = p.desired();
        Provisioner.Report r = p.apply("v2.yaml", v1.replace("dscp: 10 ", "dscp: 12 "), "alice", "marking 12");
        assertEquals(2, r.version());
        // The marking is written by two of vpn-access's steps: all four go under its other version (a packet in
        // flight finishes with the marking it started with), its two classifiers flip to them.
        assertEquals(List.of("vpn-access"), r.versioned());
        assertEquals(6, r.writes(), "4 steps beside the old ones, 2 classifiers flipped: " + r.batches());
        assertEquals(4, r.draining(), "the 4 old steps stay for the drain time");
        p.settle(); // (waits for the drain time: then they go)
        assertEquals(0, p.draining());
        assertSwitchHolds(p, p.desired());
        Provisioner.Report back = p.rollback(1, "bob");
        assertEquals(3, back.version(), "a rollback is a new version");
        assertEquals(6, back.writes());
        p.settle();
        assertSwitchHolds(p, first);
        assertEquals("rollback to version 1", store.version(3).note());
    }

    @Test
    void aCatalogThatRemovesASpareStandingInIsRefusedAndOneThatRemovesTheFailedDeviceEndsItsState() throws Exception {
        Provisioner p = controller();
        String fig15b = Files.readString(Path.of("../examples/figure-15b.yaml"));
        p.apply("figure-15b.yaml", fig15b, "alice", null);
        p.fail("fw-1", "monitor");
        assertEquals("spare fw-3", p.deviceStates().describe("fw-1"));
        String noSpare = fig15b.replaceAll("(?m)^  fw-3: .*\n", "").replace("    spares: [fw-3]\n", "");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> p.apply("no-spare.yaml", noSpare, "alice", null));
        assertEquals("device fw-3 stands in for device fw-1, which the catalog keeps, but the catalog removes fw-3; "
                + "nothing was changed. Restore fw-1 first ('sfc device restore fw-1'), or remove it too", e.getMessage());
        assertEquals(1, store.history().size(), "nothing recorded");

        String noFw1 = fig15b.replaceAll("(?m)^  fw-1: .*\n", "").replace("members: [fw-1, fw-2]", "members: [fw-2]");
        p.apply("no-fw-1.yaml", noFw1, "alice", "fw-1 is gone");
        assertEquals(DeviceStates.NONE, p.deviceStates(), "what was done to fw-1 ended with it");
        p.settle();
        assertSwitchHolds(p, p.desired());
    }

    @Test
    void aFailoverWhileAChangeWaitsForTheLastDrainIsKeptByTheChange() throws Exception {
        Provisioner p = controller();
        String v1 = Files.readString(Path.of("../ptf-scenarios/catalogs/cutover-v1.yaml"));
        String v2 = Files.readString(Path.of("../ptf-scenarios/catalogs/cutover-v2.yaml"));
        p.apply("v1.yaml", v1, "alice", null);
        p.apply("v2.yaml", v2, "alice", "fw-2 into web"); // web's old steps drain for 2 s
        var third = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> p.apply("v3.yaml", v2.replace("port: 25}", "port: 587}"), "alice", "mail on 587"));
        Thread.sleep(300); // (the third change waits for the drain, letting others through)
        p.fail("fw-2", "monitor");
        assertEquals(3, third.get(10, java.util.concurrent.TimeUnit.SECONDS).version());
        assertEquals("drop", p.deviceStates().describe("fw-2"), "the failover is kept");
        p.settle();
        assertSwitchHolds(p, p.desired());
    }

    @Test
    void aBadCatalogIsRefusedBeforeAnythingIsRecordedOrWritten() {
        Provisioner p = controller();
        p.apply("v1.yaml", v1, "alice", null);
        CatalogException e = assertThrows(CatalogException.class,
                () -> p.apply("bad.yaml", v1.replace("port: 6", "port: 600"), "alice", null));
        assertTrue(e.getMessage().contains("bad.yaml:"), e.getMessage());
        assertEquals(1, store.history().size());
        assertSwitchHolds(p, p.desired());
    }

    @Test
    void bigBatchesGoInSeveralRequestsWithProgress() {
        Provisioner p = controller();
        p.maxUpdatesPerRequest(4);
        List<int[]> seen = new ArrayList<>();
        p.onProgress((done, total) -> seen.add(new int[] {done, total}));
        Provisioner.Report r = p.apply("v1.yaml", v1, "alice", null);
        assertSwitchHolds(p, p.desired());
        assertEquals(r.writes(), seen.get(seen.size() - 1)[0]);
        assertTrue(seen.size() >= r.writes() / 4, "one progress call per request: " + seen.size());
    }

    @Test
    void anUpdateTheSwitchRefusesUndoesTheWholeCutOverAndNamesTheService() {
        Provisioner p = controller();
        p.maxUpdatesPerRequest(2); // the refused update comes after requests that were already written
        p.apply("v1.yaml", v1, "alice", null);
        DesiredState first = p.desired();
        String v2 = v1 + "  status:\n    address: {ip: 203.0.113.10, protocol: tcp, port: 9000}\n    sequence: [fw-1, app-1]\n";
        // Someone else writes the classifier the new service needs after the cut-over began (after the drift
        // check and the first request): the switch will refuse our INSERT.
        var next = org.sfc.compiler.TableCompiler.compile(org.sfc.catalog.CatalogLoader.loadText("v2.yaml", v2),
                p.schema(), p.compiled());
        Entity clash = Diff.between(first, next.state()).stream().flatMap(b -> b.updates().stream())
                .map(u -> u.getEntity()).filter(e -> e.hasTableEntry() && next.state().describe(e).startsWith("classify_dst"))
                .findFirst().orElseThrow();
        boolean[] written = {false};
        p.onProgress((done, total) -> {
            if (!written[0]) {
                written[0] = true;
                writeBehindTheControllersBack(List.of(p4.v1.P4RuntimeOuterClass.Update.newBuilder()
                        .setType(p4.v1.P4RuntimeOuterClass.Update.Type.INSERT).setEntity(clash).build()));
            }
        });
        Provisioner.ApplyFailed e = assertThrows(Provisioner.ApplyFailed.class, () -> p.apply("v2.yaml", v2, "alice", null));
        assertTrue(written[0], "the clash went in mid-apply");
        assertTrue(e.getMessage().contains("status: classify_dst"), e.getMessage());
        assertTrue(e.getMessage().contains("ALREADY_EXISTS"), e.getMessage());
        assertSwitchHolds(p, first);
        assertApplied(1, "the switch still has version 1");
    }

    @Test
    void aRestartedSwitchGetsItsPipelineAndEntriesBack() throws Exception {
        Provisioner p = controller();
        p.apply("v1.yaml", v1, "alice", null);
        DesiredState desired = p.desired();
        clients.forEach(P4RuntimeClient::close);
        clients.clear();
        target.restart();
        assertEquals(null, connect(1).pipeline(), "a fresh switch has nothing");
        Provisioner again = controller();
        assertSwitchHolds(again, desired);
        assertEquals(1, again.version());
    }

    @Test
    void aControllerKilledMidApplyFinishesTheApplyWhenItRestarts() {
        Provisioner p = controller();
        p.apply("v1.yaml", v1, "alice", null);
        // The cut-off apply: version 2 recorded as under way, only its first batch written.
        String v2 = v1.replace("dscp: 10 ", "dscp: 12 ") + "  status:\n    address: {ip: 203.0.113.10, protocol: tcp, "
                + "port: 9000}\n    sequence: [fw-1, app-1]\n";
        var next = org.sfc.compiler.TableCompiler.compile(org.sfc.catalog.CatalogLoader.loadText("v2.yaml", v2),
                p.schema(), p.compiled());
        int version = store.addVersion("alice", null, "v2.yaml", v2, next.ids());
        store.setApplied(SW, version, false, clients.get(0).installed().cookie());
        List<Diff.Batch> batches = Diff.between(p.desired(), next.state());
        assertTrue(batches.size() > 1);
        writeBehindTheControllersBack(batches.get(0).updates());
        clients.forEach(P4RuntimeClient::close);
        clients.clear();

        Provisioner restarted = controller();
        assertEquals(version, restarted.version());
        assertSwitchHolds(restarted, next.state());
        assertApplied(version);
    }

    @Test
    void aBackupControllerCannotTakeCharge() {
        controller().apply("v1.yaml", v1, "alice", null);
        P4RuntimeClient backup = connect(5);
        assertFalse(backup.primary());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Provisioner.start(backup, pipeline, store, SW, "eve"));
        assertTrue(e.getMessage().contains("backup"), e.getMessage());
    }

    @Test
    void packetOutLeavesByTheAskedPortAndPuntedPacketsComeBackWithTheirPort() throws Exception {
        Provisioner p = controller();
        P4RuntimeClient client = clients.get(0);
        java.util.concurrent.BlockingQueue<byte[]> port6 = target.capture(6);
        byte[] probe = org.sfc.sw.testing.Packets.tcp(0x0601, Sfc.SWITCH_MAC, "192.0.2.250", "10.0.0.6", 9, 8080, 64, 0,
                "hb".getBytes());
        client.packetOut(ByteString.copyFrom(probe), org.sfc.controller.PacketOuts.toPort(target.pipeline().p4info(), 6));
        byte[] out = port6.poll(5, java.util.concurrent.TimeUnit.SECONDS);
        assertTrue(out != null && java.util.Arrays.equals(probe, out), "the probe left by port 6 unchanged");

        // Probes coming back from the device (TCP from the heartbeat source) are punted to the controller.
        var punt = p.schema();
        var entry = p4.v1.P4RuntimeOuterClass.TableEntry.newBuilder().setTableId(punt.table("punt").getPreamble().getId())
                .addMatch(punt.ternary("punt", "ipv4_dst", org.sfc.catalog.Ipv4.parse("192.0.2.250").value(), 0xFFFFFFFFL))
                .setPriority(10).setAction(p4.v1.P4RuntimeOuterClass.TableAction.newBuilder()
                        .setAction(punt.action("punt_to_cpu"))).build();
        client.write(List.of(p4.v1.P4RuntimeOuterClass.Update.newBuilder().setType(p4.v1.P4RuntimeOuterClass.Update.Type.INSERT)
                .setEntity(Entity.newBuilder().setTableEntry(entry)).build()), WriteRequest.Atomicity.CONTINUE_ON_ERROR);
        byte[] back = org.sfc.sw.testing.Packets.tcp(Sfc.SWITCH_MAC, 0x0601, "10.0.0.6", "192.0.2.250", 8080, 9, 64, 0,
                "hb".getBytes());
        target.send(6, back);
        var in = client.packetIns().poll(5, java.util.concurrent.TimeUnit.SECONDS);
        assertTrue(in != null, "a packet-in arrived");
        assertEquals(ByteString.copyFrom(back), in.getPayload());
        assertEquals(ByteString.copyFrom(new byte[] {6}), in.getMetadata(0).getValue(), "with its ingress port");
    }

    @Test
    void aReplicaOnANewAddressUsesTheSwappedDeviceAndLeavesTheOriginalAlone() throws Exception {
        Provisioner p = controller();
        String fig6 = Files.readString(Path.of("../examples/figure-6.yaml"));
        p.apply("figure-6.yaml", fig6, "alice", null);
        var resolved = org.sfc.catalog.Validator.validate(org.sfc.catalog.CatalogLoader.loadText("figure-6.yaml", fig6));
        var replica = org.sfc.catalog.CatalogText.replica(resolved, "web", "web-2",
                org.sfc.catalog.Ipv4.parse("203.0.113.20"), java.util.Map.of("web-1", "mail-1"));
        Provisioner.Report r = p.apply("figure-6.yaml", org.sfc.catalog.CatalogText.withService(fig6, replica), "alice",
                "replicate web with mail-1");
        assertEquals(2, r.version());
        // Through the firewall (ports 2 -> 3), the replica's packets go to mail-1 (port 5), web's still to web-1 (4).
        for (String[] c : new String[][] {{"203.0.113.20", "5"}, {"203.0.113.10", "4"}}) {
            byte[] req = org.sfc.sw.testing.Packets.tcp(Sfc.SWITCH_MAC, 0xa1, "198.51.100.7", c[0], 40000, 80, 64, 0,
                    new byte[0]);
            var atFw = target.send(1, req);
            assertEquals(List.of(2), Sfc.ports(atFw), c[0]);
            assertEquals(List.of(Integer.parseInt(c[1])), Sfc.ports(target.send(3, atFw.get(0).data())), c[0]);
        }
    }

    // ------------------------------------------------------------------ failure policies (issue 6)

    static final String CATALOG = """
            switch:
              mac: 02:00:00:00:fe:01
              uplinks:
                - {name: internet, port: 1, router-mac: 00:00:00:00:00:a1}
            devices:
              fw-1: {function: firewall, failure: spare, outside: {port: 2, mac: 00:00:00:00:02:01}, inside: {port: 3, mac: 00:00:00:00:03:01}}
              fw-3: {function: firewall, outside: {port: 4, mac: 00:00:00:00:04:01}, inside: {port: 5, mac: 00:00:00:00:05:01}}
              ips-1: {function: ips, failure: bypass, port: 6, mac: 00:00:00:00:06:01}
              av-1: {function: antivirus, failure: drop, port: 7, mac: 00:00:00:00:07:01}
              app-1: {function: server, tag: port, port: 8, mac: 00:00:00:00:08:01}
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

    /** Sends a request to {@code ip} and plays each device (handing packets back) until it leaves; the ports. */
    List<Integer> walk(String ip) {
        List<Integer> path = new java.util.ArrayList<>();
        var out = target.send(1, Packets.tcp(Sfc.SWITCH_MAC, 0xa1, "198.51.100.7", ip, 40000, 443, 64, 0, new byte[0]));
        while (out.size() == 1 && path.size() < 10) {
            int port = out.get(0).port();
            path.add(port);
            if (port == 8) {
                break;
            }
            int back = port == 2 ? 3 : port == 4 ? 5 : port; // two-port firewalls pass across, others hand back
            out = target.send(back, out.get(0).data());
        }
        return path;
    }

    @Test
    void spareBypassAndDropByPolicyThenFailback() {
        Provisioner p = controller();
        p.apply("health.yaml", CATALOG, "alice", null);
        assertEquals(List.of(2, 6, 8), walk("203.0.113.1"), "w1: firewall fw-1, ips-1, server");
        assertEquals(List.of(7, 8), walk("203.0.113.2"), "w2: av-1, server");

        Provisioner.Report spare = p.fail("fw-1", "monitor");
        assertEquals(2, spare.writes(), "fw-3 is of fw-1's pool: only where fw-1 is attached (a side each): " + spare.batches());
        assertEquals(List.of(4, 6, 8), walk("203.0.113.1"), "w1 now through the spare fw-3");

        Provisioner.Report bypass = p.fail("ips-1", "monitor");
        // w1's steps around ips-1 (3 rewritten, 3 gone) and ips-1's next hop, now unused.
        assertEquals(7, bypass.writes(), "only w1's steps and ips-1's next hop change: " + bypass.batches());
        assertEquals(List.of(4, 8), walk("203.0.113.1"), "w1 skips ips-1");

        p.fail("av-1", "monitor");
        assertEquals(List.of(), walk("203.0.113.2"), "w2 drops where av-1 was");

        // A restarted controller keeps all of it: nothing to repair.
        clients.forEach(org.sfc.controller.P4RuntimeClient::close);
        clients.clear();
        Provisioner again = controller();
        assertEquals(p.deviceStates(), again.deviceStates());
        assertEquals(0, again.reconcile("test").writes());

        assertEquals(2, again.restore("fw-1", "monitor").writes(), "failback is as cheap");
        again.restore("ips-1", "monitor");
        again.restore("av-1", "monitor");
        assertEquals(List.of(2, 6, 8), walk("203.0.113.1"));
        assertEquals(List.of(7, 8), walk("203.0.113.2"));
        assertTrue(store.auditLog().stream().filter(a -> a.action().equals("health")).count() >= 6);
    }

    @Test
    void drainMovesOneDeviceToASpareUntilRestoredAndTouchesNothingElse() {
        Provisioner p = controller();
        p.apply("health.yaml", CATALOG, "alice", null);
        Provisioner.Report drain = p.drain("fw-1", "fw-3", "bob");
        assertEquals(2, drain.writes(), "where fw-1 is attached, a side each (fw-3 is of its pool): " + drain.batches());
        assertEquals(List.of(4, 6, 8), walk("203.0.113.1"), "w1 through fw-3");
        assertEquals(List.of(7, 8), walk("203.0.113.2"), "w2 as it was");
        assertEquals("drained to fw-3", p.deviceStates().describe("fw-1"));
        assertEquals("device fw-1 is already out of service (drained to fw-3); restore it first",
                assertThrows(IllegalArgumentException.class, () -> p.drain("fw-1", "fw-3", "bob")).getMessage());
        assertEquals("device app-1 carries traffic already; drain to a spare that carries none (see sfc device list)",
                assertThrows(IllegalArgumentException.class, () -> p.drain("av-1", "app-1", "bob")).getMessage());
        assertEquals(2, p.restore("fw-1", "bob").writes(), "fw-1 back where it is attached, a side each");
        assertEquals(List.of(2, 6, 8), walk("203.0.113.1"));
    }

    @Test
    void replaceRegeneratesEveryServiceOfTheOldDeviceAsANewVersion() throws Exception {
        Provisioner p = controller();
        String fig20 = Files.readString(Path.of("../examples/figure-20.yaml"));
        p.apply("figure-20.yaml", fig20, "alice", null);
        var atFw = target.send(1, Packets.tcp(Sfc.SWITCH_MAC, 0xa1, "198.51.100.7", "203.0.113.2", 40000, 443, 64, 0,
                new byte[0]));
        int w2Port = Sfc.ports(atFw).get(0);
        Provisioner.Report r = p.replace("fw-2061", "fw-2062", "bob");
        assertEquals(2, r.version());
        assertTrue(store.history().get(1).note().contains("replace fw-2061 with fw-2062"), store.history().get(1).note());
        for (String w : List.of("203.0.113.1", "203.0.113.5", "203.0.113.9")) {
            var out = target.send(1, Packets.tcp(Sfc.SWITCH_MAC, 0xa1, "198.51.100.7", w, 40000, 443, 64, 0, new byte[0]));
            assertEquals(List.of(4), Sfc.ports(out), w + " now enters fw-2062's outside");
        }
        assertEquals(List.of(w2Port), Sfc.ports(target.send(1, Packets.tcp(Sfc.SWITCH_MAC, 0xa1, "198.51.100.7",
                "203.0.113.2", 40000, 443, 64, 0, new byte[0]))), "w2 did not use fw-2061 and stays");
        assertEquals(List.of("w1", "w5", "w9"), r.versioned());
        p.settle();
        assertSwitchHolds(p, p.desired());
        p.rollback(1, "bob");
        assertEquals(List.of(2), Sfc.ports(target.send(1, Packets.tcp(Sfc.SWITCH_MAC, 0xa1, "198.51.100.7",
                "203.0.113.1", 40000, 443, 64, 0, new byte[0]))), "rolled back like any change");
    }

    /** A second controller database (another operator's, or a mistake: the wrong --db). */
    Store otherStore() {
        return Store.open(dir.resolve("other.db"));
    }

    @Test
    void aDatabaseThatNeverWroteToTheSwitchRefusesItAndChangesNothing() {
        Provisioner a = controller();
        a.apply("figure-7.yaml", v1, "alice", null);
        DesiredState fig7 = a.desired();
        try (Store b = otherStore()) {
            Provisioner.ForeignEntries e = assertThrows(Provisioner.ForeignEntries.class,
                    () -> Provisioner.start(connect(11), pipeline, b, SW, "bob"));
            assertEquals(fig7.entities().size(), e.count());
            assertTrue(e.getMessage().startsWith("switch sw1 holds " + e.count() + " entries that no version of this "
                    + "database wrote (this database has applied nothing to it)"), e.getMessage());
            assertTrue(e.getMessage().contains("`sfc switch adopt`") && e.getMessage().contains("`--replace`"));
            assertSwitchHolds(a, fig7);
            assertEquals(null, b.applied(SW), "nothing recorded either");
        }
    }

    @Test
    void theSwitchNotTheDatabaseIsTheTruthAndDriftIsRepaired() throws Exception {
        // The case: figure 7 with database A, figure 6 over it with database B, figure 7 again with A.
        Provisioner a = controller();
        a.apply("figure-7.yaml", v1, "alice", null);
        DesiredState fig7 = a.desired();
        String fig6 = Files.readString(Path.of("../examples/figure-6.yaml"));
        try (Store b = otherStore()) {
            Provisioner pb = Provisioner.start(connect(11), pipeline, b, SW, "bob", Provisioner.Takeover.REPLACE);
            pb.apply("figure-6.yaml", fig6, "bob", null);
            assertSwitchHolds(pb, pb.desired());
            assertTrue(b.auditLog().stream().anyMatch(x -> x.action().equals("replace")
                    && x.detail().contains("overwriting " + fig7.entities().size() + " entries")), "the audit log says so");
        }
        P4RuntimeClient primary = connect(12);
        Provisioner again = Provisioner.start(primary, pipeline, store, SW, "alice");
        assertSwitchHolds(again, fig7);
        assertEquals(1, again.driftFound());
        assertTrue(again.driftRepaired() > 0);
        var drift = store.deviceEvents(10).stream().filter(x -> x.action().equals("drift")).toList();
        assertEquals(1, drift.size(), "drift is an event");
        assertTrue(drift.get(0).detail().matches("sw1 differed from version 1: \\d+ missing.*written by someone else.*"),
                drift.get(0).detail());

        // Drift under a running controller: an apply reads the switch first, so "no change" is never a lie.
        Entity someone = fig7.entities().stream().filter(e -> e.hasTableEntry()
                && fig7.describe(e).startsWith("classify_dst")).findFirst().orElseThrow();
        primary.write(List.of(p4.v1.P4RuntimeOuterClass.Update.newBuilder().setType(p4.v1.P4RuntimeOuterClass.Update.Type
                .DELETE).setEntity(someone).build()), WriteRequest.Atomicity.CONTINUE_ON_ERROR);
        Provisioner.Report r = again.apply("figure-7.yaml", v1, "alice", "the same again");
        assertEquals(0, r.writes(), "nothing changed between the versions");
        assertEquals(1, r.repaired(), "but the deleted classifier was put back");
        assertSwitchHolds(again, fig7);
        assertEquals(2, again.driftFound());
    }

    @Test
    void aRecordIsAboutOnePipelineInstanceNotAnAddress() {
        Provisioner a = controller();
        a.apply("figure-7.yaml", v1, "alice", null);
        // Another switch now answers at the same address (or the same one, reset and set up by someone else):
        // its own pipeline, its own entries.
        P4RuntimeClient other = connect(20);
        other.setPipeline(pipeline.p4info(), pipeline.deviceConfig(), 42);
        try (Store b = otherStore()) {
            Provisioner pb = Provisioner.start(other, pipeline, b, SW, "bob");
            pb.apply("figure-7.yaml", v1.replace("dscp: 10 ", "dscp: 12 "), "bob", null);
        }
        Provisioner.ForeignEntries e = assertThrows(Provisioner.ForeignEntries.class,
                () -> Provisioner.start(connect(21), pipeline, store, SW, "alice"));
        assertTrue(e.getMessage().contains("its pipeline is not the one this database wrote to (cookie 42, recorded "),
                e.getMessage());
    }

    @Test
    void anAdoptedSwitchIsAVersionThatRollbackRestores() throws Exception {
        String fig6 = Files.readString(Path.of("../examples/figure-6.yaml"));
        DesiredState fig6State;
        try (Store b = otherStore()) {
            Provisioner pb = Provisioner.start(connect(11), pipeline, b, SW, "bob");
            pb.apply("figure-6.yaml", fig6, "bob", null);
            fig6State = pb.desired();
        }
        Provisioner adopted = Provisioner.adopt(connect(12), pipeline, store, SW, "alice", "found it so");
        assertEquals(1, adopted.version());
        Store.Version v = store.version(1);
        assertTrue(v.isAdopted());
        assertEquals(fig6State.entities().size(), v.adopted().size());
        assertApplied(1);
        assertEquals("switch sw1 holds entries adopted as found (version 1), not a catalog; apply a catalog first",
                assertThrows(IllegalStateException.class, () -> adopted.fail("fw-1", "x")).getMessage());

        Provisioner p = Provisioner.start(connect(13), pipeline, store, SW, "alice");
        assertEquals(0, p.driftFound(), "taking charge of an adopted switch repairs nothing");
        p.apply("figure-7.yaml", v1, "alice", null);
        assertSwitchHolds(p, p.desired());
        Provisioner.Report back = p.rollback(1, "alice");
        assertEquals(3, back.version());
        assertSwitchHolds(p, fig6State);
        assertEquals(0, p.driftFound());
    }
}
