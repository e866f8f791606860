package org.sfc.sw;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sfc.sw.runtime.V1ModelPipeline.Output;
import org.sfc.sw.server.Bytes;
import org.sfc.sw.testing.P4Rt;
import org.sfc.sw.testing.Packets;

import com.google.protobuf.ByteString;

import io.grpc.Status;
import p4.v1.P4RuntimeOuterClass.*;

/** Runs real packets through tests/p4/router.p4 on the software switch, programmed through P4Runtime entities. */
class RouterPipelineTest {
    static final long ROUTER_MAC = 0x00aa00000001L;
    static final long HOST_MAC = 0x00bb00000002L;
    static final long NEXT_MAC = 0x00cc00000003L;

    SoftwareSwitch sw;
    P4Rt rt;

    @BeforeEach
    void load() throws Exception {
        sw = new SoftwareSwitch(1, 255);
        String src = Files.readString(Path.of("src/test/resources/p4/router.p4"));
        sw.setPipeline(SoftwareSwitch.ConfigAction.VERIFY_AND_COMMIT, null, ByteString.copyFromUtf8(src), 1);
        rt = new P4Rt(sw.pipeline().p4info);
    }

    void writeOk(List<Update> updates) {
        for (SoftwareSwitch.UpdateResult r : sw.write(updates, WriteRequest.Atomicity.CONTINUE_ON_ERROR)) {
            assertTrue(r.ok(), r.message());
        }
    }

    byte[] packet(String dst, int dport, int ttl) {
        return Packets.tcp(ROUTER_MAC, HOST_MAC, "192.168.1.10", dst, 40000, dport, ttl, 0, "hello".getBytes());
    }

    /** The frame the router should emit for {@link #packet}: MACs rewritten, TTL - 1, checksum fixed. */
    byte[] routed(byte[] in, long newDst) {
        byte[] out = in.clone();
        System.arraycopy(Packets.mac(newDst), 0, out, 0, 6);
        System.arraycopy(Packets.mac(ROUTER_MAC), 0, out, 6, 6);
        out[14 + 8]--;
        Packets.fixIpv4Checksum(out, 14);
        return out;
    }

    @Test
    void lpmForwardsRewritesAndFixesTheChecksum() {
        writeOk(P4Rt.inserts(rt.entry("ipv4_lpm", rt.call("MyIngress.forward", NEXT_MAC, 2), 0,
                rt.lpm("ipv4_lpm", "hdr.ipv4.dstAddr", Packets.ip("10.0.0.0"), 8))));
        byte[] in = packet("10.1.2.3", 80, 64);
        List<Output> out = sw.receive(1, in);
        assertEquals(1, out.size());
        assertEquals(2, out.get(0).port());
        assertEquals(Packets.hex(routed(in, NEXT_MAC)), Packets.hex(out.get(0).data()));
    }

    @Test
    void longestPrefixWins() {
        writeOk(P4Rt.inserts(
                rt.entry("ipv4_lpm", rt.call("MyIngress.forward", NEXT_MAC, 2), 0,
                        rt.lpm("ipv4_lpm", "hdr.ipv4.dstAddr", Packets.ip("10.0.0.0"), 8)),
                rt.entry("ipv4_lpm", rt.call("MyIngress.forward", NEXT_MAC, 3), 0,
                        rt.lpm("ipv4_lpm", "hdr.ipv4.dstAddr", Packets.ip("10.1.2.0"), 24))));
        assertEquals(3, sw.receive(1, packet("10.1.2.3", 80, 64)).get(0).port());
        assertEquals(2, sw.receive(1, packet("10.1.3.3", 80, 64)).get(0).port());
    }

    @Test
    void defaultActionDropsUnroutedPackets() {
        assertEquals(List.of(), sw.receive(1, packet("10.1.2.3", 80, 64)));
    }

    @Test
    void truncatedAndMalformedPacketsAreDroppedWithoutHarm() {
        writeOk(P4Rt.inserts(rt.entry("ipv4_lpm", rt.call("MyIngress.forward", NEXT_MAC, 2), 0,
                rt.lpm("ipv4_lpm", "hdr.ipv4.dstAddr", Packets.ip("10.0.0.0"), 8))));
        byte[] good = packet("10.1.2.3", 80, 64);
        // Truncated in the middle of the IPv4 header: PacketTooShort, dropped by ingress.
        assertEquals(List.of(), sw.receive(1, java.util.Arrays.copyOf(good, 14 + 10)));
        // Truncated inside the Ethernet header.
        assertEquals(List.of(), sw.receive(1, new byte[] {1, 2, 3}));
        // Empty frame.
        assertEquals(List.of(), sw.receive(1, new byte[0]));
        // IHL 4 fails verify(ihl >= 5): HeaderTooShort, dropped.
        byte[] badIhl = good.clone();
        badIhl[14] = 0x44;
        Packets.fixIpv4Checksum(badIhl, 14);
        assertEquals(List.of(), sw.receive(1, badIhl));
        // The switch still forwards the next good packet.
        assertEquals(1, sw.receive(1, good).size());
    }

    @Test
    void nestedAclWithTernaryRangeAndPriorityCountsPerEntry() {
        writeOk(P4Rt.inserts(rt.entry("ipv4_lpm", rt.call("MyIngress.forward", NEXT_MAC, 2), 0,
                rt.lpm("ipv4_lpm", "hdr.ipv4.dstAddr", Packets.ip("10.0.0.0"), 8))));
        // Deny 192.168.0.0/16 to ports 80..90, but a higher-priority permit for port 85.
        TableEntry deny = rt.entry("acl", rt.call("MyIngress.acl_ctl.deny"), 10,
                rt.ternary("acl", "hdr.ipv4.srcAddr", Packets.ip("192.168.0.0"), 0xFFFF0000L),
                rt.range("acl", "l4_dport", 80, 90));
        TableEntry permit85 = rt.entry("acl", rt.call("MyIngress.acl_ctl.permit"), 20,
                rt.range("acl", "l4_dport", 85, 85));
        writeOk(P4Rt.inserts(deny, permit85));
        assertEquals(List.of(), sw.receive(1, packet("10.1.2.3", 80, 64)));
        assertEquals(List.of(), sw.receive(1, packet("10.1.2.3", 90, 64)));
        assertEquals(1, sw.receive(1, packet("10.1.2.3", 85, 64)).size());
        assertEquals(1, sw.receive(1, packet("10.1.2.3", 91, 64)).size());

        // Counter data comes back only when the read asks for it (P4Runtime spec, as BMv2 answers).
        assertFalse(sw.read(Entity.newBuilder().setTableEntry(deny.toBuilder().clearAction()).build())
                .get(0).getTableEntry().hasCounterData(), "counter data nobody asked for");
        TableEntry readDeny = sw.read(Entity.newBuilder().setTableEntry(deny.toBuilder().clearAction()
                .setCounterData(CounterData.getDefaultInstance())).build()).get(0).getTableEntry();
        assertEquals(2, readDeny.getCounterData().getPacketCount());
        assertEquals(2L * packet("10.1.2.3", 80, 64).length, readDeny.getCounterData().getByteCount());
        TableEntry readPermit = sw.read(Entity.newBuilder().setTableEntry(permit85.toBuilder().clearAction()
                .setCounterData(CounterData.getDefaultInstance())).build()).get(0).getTableEntry();
        assertEquals(1, readPermit.getCounterData().getPacketCount());
    }

    @Test
    void selectorGroupSpreadsFlowsAndKeepsEachFlowOnOneMember() {
        int prof = rt.id("profile", "nh_selector");
        List<Update> ups = new ArrayList<>();
        for (int m = 1; m <= 2; m++) {
            ups.add(P4Rt.update(Update.Type.INSERT, Entity.newBuilder().setActionProfileMember(ActionProfileMember
                    .newBuilder().setActionProfileId(prof).setMemberId(m).setAction(rt.call("MyIngress.set_port", 3 + m)))
                    .build()));
        }
        ups.add(P4Rt.update(Update.Type.INSERT, Entity.newBuilder().setActionProfileGroup(ActionProfileGroup.newBuilder()
                .setActionProfileId(prof).setGroupId(7)
                .addMembers(ActionProfileGroup.Member.newBuilder().setMemberId(1).setWeight(1))
                .addMembers(ActionProfileGroup.Member.newBuilder().setMemberId(2).setWeight(1))).build()));
        ups.add(P4Rt.insert(TableEntry.newBuilder().setTableId(rt.table("next_hop").getPreamble().getId())
                .addMatch(rt.exact("next_hop", "nh_dst", Packets.ip("10.9.9.9")))
                .setAction(TableAction.newBuilder().setActionProfileGroupId(7)).build()));
        writeOk(ups);
        Set<Integer> used = new HashSet<>();
        for (int sport = 1000; sport < 1064; sport++) {
            byte[] pkt = Packets.tcp(ROUTER_MAC, HOST_MAC, "192.168.1.10", "10.9.9.9", sport, 80, 64, 0, new byte[0]);
            int port = sw.receive(1, pkt).get(0).port();
            assertEquals(port, sw.receive(1, pkt).get(0).port(), "one flow must stay on one member");
            used.add(port);
        }
        assertEquals(Set.of(4, 5), used);

        // Repointing member 2 moves its flows with a single write.
        writeOk(List.of(P4Rt.update(Update.Type.MODIFY, Entity.newBuilder().setActionProfileMember(ActionProfileMember
                .newBuilder().setActionProfileId(prof).setMemberId(2).setAction(rt.call("MyIngress.set_port", 6))).build())));
        Set<Integer> after = new HashSet<>();
        for (int sport = 1000; sport < 1064; sport++) {
            after.add(sw.receive(1, Packets.tcp(ROUTER_MAC, HOST_MAC, "192.168.1.10", "10.9.9.9", sport, 80, 64, 0,
                    new byte[0])).get(0).port());
        }
        assertEquals(Set.of(4, 6), after);
    }

    @Test
    void packetOutGoesWhereItsMetadataSaysWithoutTheHeader() {
        byte[] payload = packet("10.1.2.3", 80, 64);
        List<Output> out = sw.packetOut(ByteString.copyFrom(payload), List.of(PacketMetadata.newBuilder()
                .setMetadataId(1).setValue(Bytes.canonical(3)).build(), PacketMetadata.newBuilder()
                .setMetadataId(2).setValue(Bytes.canonical(0)).build()));
        assertEquals(1, out.size());
        assertEquals(3, out.get(0).port());
        assertArrayEquals(payload, out.get(0).data());
    }

    @Test
    void toCpuBecomesPacketInWithIngressPortMetadata() {
        writeOk(P4Rt.inserts(rt.entry("ipv4_lpm", rt.call("MyIngress.to_cpu"), 0,
                rt.lpm("ipv4_lpm", "hdr.ipv4.dstAddr", Packets.ip("10.0.0.0"), 8))));
        List<SoftwareSwitch.PacketIn> got = new ArrayList<>();
        sw.addPacketInListener(got::add);
        byte[] in = packet("10.1.2.3", 80, 64);
        sw.receive(7, in);
        assertEquals(1, got.size());
        assertArrayEquals(in, got.get(0).payload().toByteArray());
        assertEquals(7, Bytes.toLong(got.get(0).metadata().get(0).getValue(), 9, "ingress_port"));
    }

    @Test
    void meterDropsTrafficAboveItsRate() {
        int meter = rt.id("meter", "port_meter");
        writeOk(List.of(P4Rt.update(Update.Type.MODIFY, Entity.newBuilder().setMeterEntry(MeterEntry.newBuilder()
                .setMeterId(meter).setIndex(Index.newBuilder().setIndex(1))
                .setConfig(MeterConfig.newBuilder().setCir(1).setCburst(1).setPir(1).setPburst(2))).build())));
        writeOk(P4Rt.inserts(rt.entry("ipv4_lpm", rt.call("MyIngress.forward", NEXT_MAC, 2), 0,
                rt.lpm("ipv4_lpm", "hdr.ipv4.dstAddr", Packets.ip("10.0.0.0"), 8))));
        int delivered = 0;
        for (int i = 0; i < 10; i++) {
            delivered += sw.receive(1, packet("10.1.2.3", 80, 64)).size();
        }
        assertEquals(2, delivered, "peak burst of 2 packets, then red");
        // Port 2's meter cell is not configured: always green.
        for (int i = 0; i < 10; i++) {
            assertEquals(1, sw.receive(2, packet("10.1.2.3", 80, 64)).size());
        }
    }

    @Test
    void indexedCounterAndRegisterAreReadable() {
        byte[] in = packet("10.1.2.3", 80, 64);
        sw.receive(5, in);
        sw.receive(5, in);
        CounterEntry c = sw.read(Entity.newBuilder().setCounterEntry(CounterEntry.newBuilder()
                .setCounterId(rt.id("counter", "port_counter")).setIndex(Index.newBuilder().setIndex(5))).build())
                .get(0).getCounterEntry();
        assertEquals(2, c.getData().getPacketCount());
        assertEquals(2L * in.length, c.getData().getByteCount());
        RegisterEntry r = sw.read(Entity.newBuilder().setRegisterEntry(RegisterEntry.newBuilder()
                .setRegisterId(rt.id("register", "last_len")).setIndex(Index.newBuilder().setIndex(5))).build())
                .get(0).getRegisterEntry();
        assertEquals(in.length, Bytes.toLong(r.getData().getBitstring(), 32, "reg"));
    }

    @Test
    void ingressCloneCarriesTheOriginalPacketAndThePreservedFieldList() {
        writeOk(P4Rt.inserts(
                rt.entry("ipv4_lpm", rt.call("MyIngress.forward", NEXT_MAC, 2), 0,
                        rt.lpm("ipv4_lpm", "hdr.ipv4.dstAddr", Packets.ip("10.0.0.0"), 8)),
                rt.entry("mirror_tbl", rt.call("MyIngress.mirror", 100), 0,
                        rt.exact("mirror_tbl", "standard_metadata.ingress_port", 1))));
        writeOk(List.of(P4Rt.update(Update.Type.INSERT, Entity.newBuilder().setPacketReplicationEngineEntry(
                PacketReplicationEngineEntry.newBuilder().setCloneSessionEntry(CloneSessionEntry.newBuilder()
                        .setSessionId(100).addReplicas(Replica.newBuilder().setEgressPort(9).setInstance(1)))).build())));
        byte[] in = packet("10.1.2.3", 0x1234, 64);
        List<Output> out = sw.receive(1, in);
        assertEquals(2, out.size());
        Output clone = out.stream().filter(o -> o.port() == 9).findFirst().orElseThrow();
        Output routed = out.stream().filter(o -> o.port() == 2).findFirst().orElseThrow();
        assertEquals(Packets.hex(routed(in, NEXT_MAC)), Packets.hex(routed.data()));
        // The clone is the packet as received (MACs and TTL untouched) with DSCP = preserved l4_dport[5:0].
        byte[] expectedClone = in.clone();
        expectedClone[15] = (byte) ((0x1234 & 0x3F) << 2);
        Packets.fixIpv4Checksum(expectedClone, 14);
        assertEquals(Packets.hex(expectedClone), Packets.hex(clone.data()));
    }

    @Test
    void multicastCopiesCarryTheirReplicaInstance() {
        writeOk(P4Rt.inserts(rt.entry("l2", rt.call("MyIngress.flood", 3), 0,
                rt.exact("l2", "hdr.ethernet.dstAddr", 0xffffffffffffL))));
        writeOk(List.of(P4Rt.update(Update.Type.INSERT, Entity.newBuilder().setPacketReplicationEngineEntry(
                PacketReplicationEngineEntry.newBuilder().setMulticastGroupEntry(MulticastGroupEntry.newBuilder()
                        .setMulticastGroupId(3).addReplicas(Replica.newBuilder().setEgressPort(2).setInstance(11))
                        .addReplicas(Replica.newBuilder().setEgressPort(4).setInstance(12)))).build())));
        byte[] arp = new byte[60];
        System.arraycopy(Packets.mac(0xffffffffffffL), 0, arp, 0, 6);
        arp[12] = 0x08;
        arp[13] = 0x06;
        List<Output> out = sw.receive(1, arp);
        assertEquals(List.of(2, 4), out.stream().map(Output::port).toList());
        assertArrayEquals(Packets.mac(11), java.util.Arrays.copyOfRange(out.get(0).data(), 6, 12));
        assertArrayEquals(Packets.mac(12), java.util.Arrays.copyOfRange(out.get(1).data(), 6, 12));
    }

    @Test
    void constEntriesApplyAndCannotBeWritten() {
        byte[] v6 = new byte[60];
        v6[12] = (byte) 0x86;
        v6[13] = (byte) 0xdd;
        writeOk(P4Rt.inserts(rt.entry("l2", rt.call("MyIngress.set_port", 2), 0,
                rt.exact("l2", "hdr.ethernet.dstAddr", 0))));
        assertEquals(List.of(), sw.receive(1, v6), "const entry 0x86dd -> drop()");
        List<SoftwareSwitch.UpdateResult> r = sw.write(P4Rt.inserts(rt.entry("const_tbl", rt.call("NoAction"), 0,
                rt.exact("const_tbl", "hdr.ethernet.etherType", 0x0800))), WriteRequest.Atomicity.CONTINUE_ON_ERROR);
        assertEquals(Status.Code.PERMISSION_DENIED, r.get(0).code());
    }

    @Test
    void defaultEntryCanBeModifiedAndReset() {
        int table = rt.table("ipv4_lpm").getPreamble().getId();
        TableEntry toCpuDefault = TableEntry.newBuilder().setTableId(table).setIsDefaultAction(true)
                .setAction(TableAction.newBuilder().setAction(rt.call("MyIngress.to_cpu"))).build();
        writeOk(List.of(P4Rt.update(Update.Type.MODIFY, Entity.newBuilder().setTableEntry(toCpuDefault).build())));
        List<SoftwareSwitch.PacketIn> got = new ArrayList<>();
        sw.addPacketInListener(got::add);
        sw.receive(1, packet("10.1.2.3", 80, 64));
        assertEquals(1, got.size());
        // MODIFY without an action restores the program's default (drop()).
        writeOk(List.of(P4Rt.update(Update.Type.MODIFY, Entity.newBuilder().setTableEntry(
                TableEntry.newBuilder().setTableId(table).setIsDefaultAction(true)).build())));
        sw.receive(1, packet("10.1.2.3", 80, 64));
        assertEquals(1, got.size());
        TableEntry read = sw.read(Entity.newBuilder().setTableEntry(TableEntry.newBuilder().setTableId(table)
                .setIsDefaultAction(true)).build()).get(0).getTableEntry();
        assertEquals(rt.action("MyIngress.drop").getPreamble().getId(), read.getAction().getAction().getActionId());
    }

    @Test
    void checksumErrorIsFlaggedButDoesNotDropByItself() {
        writeOk(P4Rt.inserts(rt.entry("ipv4_lpm", rt.call("MyIngress.forward", NEXT_MAC, 2), 0,
                rt.lpm("ipv4_lpm", "hdr.ipv4.dstAddr", Packets.ip("10.0.0.0"), 8))));
        byte[] bad = packet("10.1.2.3", 80, 64);
        bad[14 + 10] ^= 0x55;
        List<Output> out = sw.receive(1, bad);
        assertEquals(1, out.size(), "v1model only sets checksum_error; this program does not act on it");
        assertNotEquals(bad[24], out.get(0).data()[24], "compute checksum rewrote the header checksum");
    }
}
