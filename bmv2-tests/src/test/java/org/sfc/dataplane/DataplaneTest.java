package org.sfc.dataplane;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.sfc.dataplane.target.TargetKind;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sfc.controller.PacketOuts;
import org.sfc.sw.runtime.V1ModelPipeline.Output;
import org.sfc.sw.server.Bytes;
import org.sfc.sw.testing.P4Rt;
import org.sfc.sw.testing.Packets;

import p4.v1.P4RuntimeOuterClass.*;

/**
 * One test per numbered capability of the data plane (issue 3), on a small topology: the uplink on port 1,
 * a loopback-mode server on port 2, two identical firewalls (a group) on ports 3 and 4, an IDS on 5.
 * Each test says what it sends where and exactly what must (and must not) come out.
 */
@ParameterizedClass(name = "on the {0}")
@EnumSource(TargetKind.class)
class DataplaneTest {
    @Parameter
    TargetKind kind;

    static final int UPLINK = 1, SERVER = 2, FW_A = 3, FW_B = 4, IDS = 5;
    static final long ROUTER = 0xa1, SERVER_MAC = 0xc1, FW_A_MAC = 0xf3, FW_B_MAC = 0xf4, IDS_MAC = 0xd5;
    static final String W1 = "203.0.113.10", U1 = "198.51.100.7";
    static final int SVC = 7;
    static final int DROP_PARSER = 1, DROP_UNKNOWN_PORT = 2, DROP_NOT_A_SERVICE = 3, DROP_ACL = 4, DROP_METER = 5,
            DROP_NO_STEP = 6, DROP_BY_STEP = 7, DROP_NO_NEXT_HOP = 8, DROP_PORT_RATE = 10;

    @AutoClose
    Sfc sfc;

    @BeforeEach
    void provision() throws Exception {
        sfc = new Sfc(kind.start());
        sfc.insert(sfc.uplinkPort(UPLINK), sfc.devicePort(SERVER, 2, true), sfc.devicePort(FW_A, 3, true),
                sfc.devicePort(FW_B, 4, true), sfc.devicePort(IDS, 5, true));
        // W1:80 and its negotiated port block 1025..1125 (seed ¶126-127): one service. The block is a port range
        // entry that gives its ports the key 1025, which the exact classifiers know.
        sfc.insert(sfc.serviceByDst(W1, 6, 80, SVC, Sfc.FWD), sfc.serviceByDst(W1, 6, 1025, SVC, Sfc.FWD),
                sfc.dstPortRange(W1, 6, 1025, 1125, 1025, 10),
                sfc.serviceBySrc(W1, 6, 80, SVC, Sfc.REPLY), sfc.serviceBySrc(W1, 6, 1025, SVC, Sfc.REPLY),
                sfc.srcPortRange(W1, 6, 1025, 1125, 1025, 10));
        sfc.nextHop(1, SERVER, SERVER_MAC, 2);
        sfc.nextHop(2, UPLINK, ROUTER, 0);
        sfc.insert(sfc.step(SVC, Sfc.FWD, 0, UPLINK, sfc.toNextHop(1, 0)),
                sfc.step(SVC, Sfc.REPLY, Sfc.STEP_FROM_PORT, SERVER, sfc.toNextHop(2, 0)));
    }

    byte[] request(int dport) {
        return Packets.tcp(Sfc.SWITCH_MAC, ROUTER, U1, W1, 40000, dport, 60, 0, "req".getBytes());
    }

    byte[] toServer(byte[] in) {
        return Packets.edit(in, b -> Sfc.macs(b, SERVER_MAC, Sfc.SWITCH_MAC));
    }

    // 1. Parser --------------------------------------------------------------------------------------------

    @Test
    void item1ParsesVlanUdpIcmpAndDropsMalformedPacketsCountingThem() {
        // UDP to a UDP service.
        sfc.insert(sfc.serviceByDst(W1, 17, 53, 8, Sfc.FWD), sfc.step(8, Sfc.FWD, 0, UPLINK, sfc.toNextHop(1, 0)));
        byte[] dns = Packets.udp(Sfc.SWITCH_MAC, ROUTER, U1, W1, 5353, 53, 60, 0, "q".getBytes());
        assertEquals(Sfc.hex(toServer(dns)), Sfc.hex(sfc.send(UPLINK, dns).get(0).data()));
        // 802.1Q-tagged TCP is classified through the VLAN header and keeps its tag.
        byte[] tagged = vlanTagged(request(80), 100);
        List<Output> out = sfc.send(UPLINK, tagged);
        assertEquals(List.of(SERVER), Sfc.ports(out));
        byte[] expected = tagged.clone();
        System.arraycopy(Packets.mac(SERVER_MAC), 0, expected, 0, 6);
        System.arraycopy(Packets.mac(Sfc.SWITCH_MAC), 0, expected, 6, 6);
        assertEquals(Sfc.hex(expected), Sfc.hex(out.get(0).data()));
        // Malformed: truncated IPv4, IHL 4, IPv4 options, truncated TCP. All dropped and counted as parser errors.
        byte[] good = request(80);
        byte[] ihl4 = good.clone();
        ihl4[14] = 0x44;
        byte[] options = good.clone();
        options[14] = 0x46;
        // An IPv4 total length the frame does not hold (by one byte; tagged too), or shorter than the header.
        byte[] longer = withTotalLength(good, good.length - 14 + 1);
        byte[] taggedLonger = vlanTagged(longer, 100);
        byte[] shorter = withTotalLength(good, 19);
        List<byte[]> bad = List.of(java.util.Arrays.copyOf(good, 20), ihl4, options, java.util.Arrays.copyOf(good, 40),
                longer, taggedLonger, shorter);
        long before = sfc.dropped(DROP_PARSER);
        for (byte[] b : bad) {
            assertEquals(List.of(), sfc.send(UPLINK, b));
        }
        assertEquals(before + bad.size(), sfc.dropped(DROP_PARSER));
        // Ethernet padding after the IPv4 packet is not malformed: forwarded, padding and all.
        byte[] padded = java.util.Arrays.copyOf(good, good.length + 7);
        byte[] paddedToServer = padded.clone(); // (toServer() would recompute the TCP checksum over the padding)
        System.arraycopy(Packets.mac(SERVER_MAC), 0, paddedToServer, 0, 6);
        System.arraycopy(Packets.mac(Sfc.SWITCH_MAC), 0, paddedToServer, 6, 6);
        assertEquals(Sfc.hex(paddedToServer), Sfc.hex(sfc.send(UPLINK, padded).get(0).data()));
    }

    static byte[] withTotalLength(byte[] frame, int totalLength) {
        return Packets.edit(frame, b -> b.putShort(16, (short) totalLength));
    }

    static byte[] vlanTagged(byte[] frame, int vid) {
        byte[] out = new byte[frame.length + 4];
        System.arraycopy(frame, 0, out, 0, 12);
        out[12] = (byte) 0x81;
        out[13] = 0x00;
        out[14] = (byte) (vid >>> 8);
        out[15] = (byte) vid;
        System.arraycopy(frame, 12, out, 16, frame.length - 12);
        return out;
    }

    // 2. Port roles -----------------------------------------------------------------------------------------

    @Test
    void item2UnknownPortIsDroppedAndCounted() {
        long before = sfc.dropped(DROP_UNKNOWN_PORT);
        assertEquals(List.of(), sfc.send(9, request(80)));
        assertEquals(before + 1, sfc.dropped(DROP_UNKNOWN_PORT));
    }

    // 3. Classification ---------------------------------------------------------------------------------------

    @Test
    void item3PortRangesOwnedByAServicePortAndNothingElse() {
        for (int port : new int[] {80, 1025, 1100, 1125}) {
            assertEquals(List.of(SERVER), Sfc.ports(sfc.send(UPLINK, request(port))), "port " + port);
        }
        long before = sfc.dropped(DROP_NOT_A_SERVICE);
        for (int port : new int[] {81, 1024, 1126}) {
            assertEquals(List.of(), sfc.send(UPLINK, request(port)), "port " + port);
        }
        assertEquals(before + 3, sfc.dropped(DROP_NOT_A_SERVICE));
        // A reply from the negotiated port range is the same service's reply.
        byte[] reply = Packets.tcp(Sfc.SWITCH_MAC, SERVER_MAC, W1, U1, 1100, 40000, 64, 0, new byte[0]);
        assertEquals(List.of(UPLINK), Sfc.ports(sfc.send(SERVER, reply)));
    }

    @Test
    void item3SourceKeyedServiceChoosesTheChainByTheClient() {
        // ISP mode (seed Fig. 23): the subscriber's own address picks its chain, whatever it connects to.
        // Every source port is key 0: the range field is omitted (P4Runtime: a don't-care range must not be sent).
        sfc.insert(sfc.serviceBySrc("198.51.100.99", 6, 0, 9, Sfc.FWD),
                sfc.rt.entry("src_port_range", sfc.rt.call("set_src_port_key", 0), 1,
                        sfc.rt.exact("src_port_range", "ipv4_src", Packets.ip("198.51.100.99")),
                        sfc.rt.exact("src_port_range", "ip_proto", 6)));
        sfc.nextHop(3, FW_A, FW_A_MAC, 3);
        sfc.insert(sfc.step(9, Sfc.FWD, 0, UPLINK, sfc.toNextHop(3, 0)));
        byte[] anyDst = Packets.tcp(Sfc.SWITCH_MAC, ROUTER, "198.51.100.99", "192.0.2.55", 1234, 25, 60, 0, new byte[0]);
        assertEquals(List.of(FW_A), Sfc.ports(sfc.send(UPLINK, anyDst)));
    }

    @Test
    void item3NatServerRepliesAreTranslatedBackToTheServiceAddressAndPort() {
        // Server S2 runs in NAT mode and listens on 8080 for service port 80 (Fig. 5H + Fig. 8).
        sfc.insert(sfc.serviceByDst(W1, 6, 443, 11, Sfc.FWD),
                sfc.replyFromNatServer("10.0.0.2", 6, 8443, 11, W1, 443));
        sfc.natNextHop(4, SERVER, SERVER_MAC, 2, "10.0.0.2");
        sfc.insert(sfc.step(11, Sfc.FWD, 0, UPLINK, sfc.rt.call("to_next_hop_translate", 4, 0, 8443)),
                sfc.step(11, Sfc.REPLY, Sfc.STEP_FROM_PORT, SERVER, sfc.toNextHop(2, 0)));
        byte[] req = request(443);
        assertEquals(Sfc.hex(Packets.edit(req, b -> {
            Sfc.macs(b, SERVER_MAC, Sfc.SWITCH_MAC);
            Sfc.dstIp(b, "10.0.0.2");
            Sfc.dstPort(b, 8443);
        })), Sfc.hex(sfc.send(UPLINK, req).get(0).data()), "NAT to S2 and port translation 443 -> 8443");
        byte[] reply = Packets.tcp(Sfc.SWITCH_MAC, SERVER_MAC, "10.0.0.2", U1, 8443, 40000, 64, 0, "resp".getBytes());
        assertEquals(Sfc.hex(Packets.edit(reply, b -> {
            Sfc.macs(b, ROUTER, Sfc.SWITCH_MAC);
            Sfc.srcIp(b, W1);
            Sfc.srcPort(b, 443);
        })), Sfc.hex(sfc.send(SERVER, reply).get(0).data()), "reply leaves as W1:443 with correct checksums");
    }

    // 4. ACL ---------------------------------------------------------------------------------------------------

    TableEntry acl(String action, int priority, List<FieldMatch> match) {
        TableEntry.Builder b = TableEntry.newBuilder().setTableId(sfc.rt.table("acl").getPreamble().getId())
                .setPriority(priority).setAction(TableAction.newBuilder().setAction(sfc.rt.call(action)));
        b.addMatch(sfc.rt.exact("acl", "service_id", SVC));
        b.addAllMatch(match);
        return b.build();
    }

    @Test
    void item4PerServiceAclWithPrioritiesDefaultVerdictAndRuleCounters() {
        // Default verdict of this service: deny. Permit 198.51.100.0/24 to 80; deny one host in it (higher).
        TableEntry defaultDeny = acl("deny", 1, List.of());
        TableEntry permitNet = acl("permit", 10, List.of(sfc.rt.ternary("acl", "ipv4_src", Packets.ip("198.51.100.0"),
                0xFFFFFF00L), sfc.rt.range("acl", "l4_dport", 80, 80)));
        TableEntry denyHost = acl("deny", 20, List.of(sfc.rt.ternary("acl", "ipv4_src", Packets.ip("198.51.100.66"),
                0xFFFFFFFFL)));
        sfc.insert(defaultDeny, permitNet, denyHost);
        assertEquals(List.of(SERVER), Sfc.ports(sfc.send(UPLINK, request(80))));
        long before = sfc.dropped(DROP_ACL);
        assertEquals(List.of(), sfc.send(UPLINK, request(1100)), "default verdict");
        assertEquals(List.of(), sfc.send(UPLINK, Packets.tcp(Sfc.SWITCH_MAC, ROUTER, "198.51.100.66", W1, 1, 80, 60, 0,
                new byte[0])), "higher-priority host rule");
        assertEquals(before + 2, sfc.dropped(DROP_ACL));
        assertEquals(1, counterOf(permitNet));
        assertEquals(1, counterOf(defaultDeny));
        assertEquals(1, counterOf(denyHost));
        // Another service's traffic is untouched by this service's rules.
        sfc.insert(sfc.serviceByDst("203.0.113.20", 6, 80, 12, Sfc.FWD),
                sfc.step(12, Sfc.FWD, 0, UPLINK, sfc.toNextHop(1, 0)));
        assertEquals(List.of(SERVER), Sfc.ports(sfc.send(UPLINK, Packets.tcp(Sfc.SWITCH_MAC, ROUTER, "198.51.100.66",
                "203.0.113.20", 1, 80, 60, 0, new byte[0]))));
    }

    long counterOf(TableEntry e) {
        // counter_data set in the request: a target returns direct counters only when asked (P4Runtime spec)
        return sfc.read(Entity.newBuilder().setTableEntry(e.toBuilder().clearAction()
                .setCounterData(p4.v1.P4RuntimeOuterClass.CounterData.getDefaultInstance())).build()).get(0)
                .getTableEntry().getCounterData().getPacketCount();
    }

    // 5. Step tracking -----------------------------------------------------------------------------------------

    @Test
    void item5DscpTaggedAndPortTaggedDevicesAdvanceOnlyFromTheExpectedPort() {
        // Service 13: uplink -> FW_A (tag-keeping device, tag 5) -> server. FW_A's port is re-declared as DSCP mode.
        sfc.write(P4Rt.update(Update.Type.MODIFY, Entity.newBuilder().setTableEntry(sfc.devicePort(FW_A, 3, false)).build()));
        sfc.insert(sfc.serviceByDst(W1, 6, 22, 13, Sfc.FWD));
        sfc.nextHop(3, FW_A, FW_A_MAC, 3);
        sfc.insert(sfc.step(13, Sfc.FWD, 0, UPLINK, sfc.toNextHop(3, 5)), sfc.step(13, Sfc.FWD, 5, FW_A, sfc.toNextHop(1, 0)));
        byte[] ssh = request(22);
        byte[] atFw = sfc.send(UPLINK, ssh).get(0).data();
        assertEquals(5, (atFw[15] & 0xFF) >>> 2, "tag 5 written toward the firewall");
        assertEquals(List.of(SERVER), Sfc.ports(sfc.send(FW_A, atFw)), "tag 5 back from FW_A: next step");
        long before = sfc.dropped(DROP_NO_STEP);
        assertEquals(List.of(), sfc.send(FW_B, atFw), "tag 5 from another device: dropped");
        byte[] wrongTag = atFw.clone();
        wrongTag[15] = (byte) (6 << 2);
        Packets.fixIpv4Checksum(wrongTag, 14);
        assertEquals(List.of(), sfc.send(FW_A, wrongTag), "unknown tag from FW_A: dropped");
        assertEquals(before + 2, sfc.dropped(DROP_NO_STEP));
    }

    // 6. Sequence actions --------------------------------------------------------------------------------------

    @Test
    void item6CopyToTheIdsKeepsTheServiceAddressAndDropStepsDrop() {
        sfc.copySession(40, IDS, 5, IDS_MAC);
        sfc.write(P4Rt.update(Update.Type.MODIFY, Entity.newBuilder().setTableEntry(
                sfc.step(SVC, Sfc.FWD, 0, UPLINK, sfc.toNextHopCopy(1, 0, 40))).build()));
        byte[] in = request(80);
        List<Output> out = sfc.send(UPLINK, in);
        assertEquals(Sfc.hex(toServer(in)), Sfc.hex(Sfc.on(out, SERVER).data()));
        assertEquals(Sfc.hex(Packets.edit(in, b -> Sfc.macs(b, IDS_MAC, Sfc.SWITCH_MAC))), Sfc.hex(Sfc.on(out, IDS).data()));
        // A failed device with policy 'drop': the step drops the service's traffic, counted.
        sfc.write(P4Rt.update(Update.Type.MODIFY, Entity.newBuilder().setTableEntry(
                sfc.step(SVC, Sfc.FWD, 0, UPLINK, sfc.rt.call("drop_step"))).build()));
        long before = sfc.dropped(DROP_BY_STEP);
        assertEquals(List.of(), sfc.send(UPLINK, in));
        assertEquals(before + 1, sfc.dropped(DROP_BY_STEP));
    }

    // 7. Next hops ----------------------------------------------------------------------------------------------

    @Test
    void item7GroupMemberIsFlowSymmetricAndFailoverMovesOnlyTheFailedMembersBuckets() {
        // Service 14: uplink -> firewall group {FW_A, FW_B} -> server; replies back through the same firewall.
        Action toA = sfc.rt.call("set_next_hop", FW_A, FW_A_MAC, Sfc.SWITCH_MAC, 3);
        Action toB = sfc.rt.call("set_next_hop", FW_B, FW_B_MAC, Sfc.SWITCH_MAC, 4);
        List<Action> buckets = new ArrayList<>();
        for (int bucket = 0; bucket < 16; bucket++) {
            buckets.add(bucket % 2 == 0 ? toA : toB);
        }
        sfc.groupNextHop(50, buckets);
        sfc.insert(sfc.serviceByDst(W1, 6, 25, 14, Sfc.FWD), sfc.serviceBySrc(W1, 6, 25, 14, Sfc.REPLY),
                sfc.step(14, Sfc.FWD, 0, UPLINK, sfc.toNextHop(50, 0)),
                sfc.step(14, Sfc.REPLY, Sfc.STEP_FROM_PORT, SERVER, sfc.toNextHop(50, 0)));
        Set<Integer> used = new HashSet<>();
        for (int c = 0; c < 40; c++) {
            String client = "198.51.100." + (c + 1);
            int fwd = sfc.send(UPLINK, Packets.tcp(Sfc.SWITCH_MAC, ROUTER, client, W1, 30000 + c, 25, 60, 0,
                    new byte[0])).get(0).port();
            int back = sfc.send(SERVER, Packets.tcp(Sfc.SWITCH_MAC, SERVER_MAC, W1, client, 25, 30000 + c, 64, 0,
                    new byte[0])).get(0).port();
            assertEquals(fwd, back, "both directions of flow " + c + " through the same firewall");
            assertEquals(flowBucket(client, W1, 30000 + c, 25, 16) % 2 == 0 ? FW_A : FW_B, fwd,
                    "flow " + c + ": the bucket is the low bits of crc16 over the XOR of the addresses, and of the ports");
            used.add(fwd);
        }
        assertEquals(Set.of(FW_A, FW_B), used, "the group shares the load");
        // FW_B fails: its buckets now send to FW_A. The flows on FW_A stay where they are; FW_B's move.
        List<TableEntry> moved = new ArrayList<>();
        for (int bucket = 1; bucket < 16; bucket += 2) {
            moved.add(sfc.bucket(50, bucket, toA));
        }
        sfc.write(moved.stream().map(e -> P4Rt.update(Update.Type.MODIFY, Entity.newBuilder().setTableEntry(e).build()))
                .toList());
        for (int c = 0; c < 40; c++) {
            assertEquals(List.of(FW_A), Sfc.ports(sfc.send(UPLINK, Packets.tcp(Sfc.SWITCH_MAC, ROUTER,
                    "198.51.100." + (c + 1), W1, 30000 + c, 25, 60, 0, new byte[0]))), "flow " + c);
        }
        // A bucket without an entry drops the packet (counted), as a next hop without an entry does: flow 0's
        // bucket goes, and with it exactly the flows in that bucket.
        int gone = flowBucket("198.51.100.1", W1, 30000, 25, 16);
        sfc.write(List.of(P4Rt.update(Update.Type.DELETE, Entity.newBuilder().setTableEntry(sfc.bucket(50, gone, toA))
                .build())));
        long before = sfc.dropped(DROP_NO_NEXT_HOP);
        int dropped = 0;
        for (int c = 0; c < 40; c++) {
            String client = "198.51.100." + (c + 1);
            boolean inGone = flowBucket(client, W1, 30000 + c, 25, 16) == gone;
            List<Output> out = sfc.send(UPLINK, Packets.tcp(Sfc.SWITCH_MAC, ROUTER, client, W1, 30000 + c, 25, 60,
                    0, new byte[0]));
            assertEquals(inGone ? List.of() : List.of(FW_A), Sfc.ports(out), "flow " + c);
            dropped += inGone ? 1 : 0;
        }
        assertEquals(before + dropped, sfc.dropped(DROP_NO_NEXT_HOP));
    }

    /** The bucket p4src puts a TCP flow in: crc16 (CRC-16/ARC) of src ^ dst address, protocol, src ^ dst port. */
    static int flowBucket(String ipA, String ipB, int portA, int portB, int buckets) {
        java.nio.ByteBuffer key = java.nio.ByteBuffer.allocate(7).putInt((int) (Packets.ip(ipA) ^ Packets.ip(ipB)))
                .put((byte) 6).putShort((short) (portA ^ portB));
        return (int) (org.sfc.sw.exec.Hashes.crc16(key.array(), 7) & (buckets - 1));
    }

    // 8. Meters and counters -------------------------------------------------------------------------------------

    @Test
    void item8MeterDropsFloodsAndCountersAccountPerServiceStepAndDevice() {
        burstOfFive("service_meter", SVC);
        long before = sfc.dropped(DROP_METER);
        // 20 back to back (like a flood, not one at a time): the bucket of 5 passes, then red. The meter refills at
        // 1 packet/s, so a slow target may let one more through per second the burst took to go through it.
        java.util.concurrent.BlockingQueue<byte[]> atServer = sfc.target.capture(SERVER);
        long start = System.nanoTime();
        for (int i = 0; i < 20; i++) {
            sfc.target.inject(UPLINK, request(80));
        }
        int delivered = 0;
        try {
            while (atServer.poll(500, java.util.concurrent.TimeUnit.MILLISECONDS) != null) {
                delivered++;
            }
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        long refills = (System.nanoTime() - start) / 1_000_000_000L;
        int burst = delivered;
        assertTrue(burst >= 5 && burst <= 5 + refills, "a burst of 5 packets, then red (+1 per second the flood took, "
                + refills + " s): " + burst + " delivered");
        assertEquals(before + 20 - burst, sfc.dropped(DROP_METER), "every red packet dropped and counted");

        long classified = counterOf(sfc.serviceByDst(W1, 6, 80, SVC, Sfc.FWD));
        assertEquals(20, classified, "per service address: every packet classified, metered or not");
        long step = counterOf(sfc.step(SVC, Sfc.FWD, 0, UPLINK, sfc.toNextHop(1, 0)));
        assertEquals(burst, step, "per step: only packets that reached the sequence");
        assertEquals(burst, deviceCounter("device_tx", 2), "sent to the server");
        sfc.send(SERVER, Packets.tcp(Sfc.SWITCH_MAC, SERVER_MAC, W1, U1, 80, 40000, 64, 0, new byte[0]));
        assertEquals(1, deviceCounter("device_rx", 2), "received back from the server");
    }

    /**
     * Seed ¶153, per port: a flood entering on a limited port is held to the port's rate (the rest dropped and
     * counted as port_rate), while the other ports (no limit: their meter cells have no rate) pass everything.
     */
    @Test
    void item8PortLimitHoldsAFloodToItsPortsRateAndLeavesTheOtherPortsAlone() {
        burstOfFive("port_meter", UPLINK);
        long before = sfc.dropped(DROP_PORT_RATE);
        java.util.concurrent.BlockingQueue<byte[]> atServer = sfc.target.capture(SERVER);
        java.util.concurrent.BlockingQueue<byte[]> atUplink = sfc.target.capture(UPLINK);
        long start = System.nanoTime();
        for (int i = 0; i < 20; i++) {
            sfc.target.inject(UPLINK, request(80));
        }
        for (int i = 0; i < 10; i++) { // the server's replies come in on its own port, which has no limit
            sfc.target.inject(SERVER, Packets.tcp(Sfc.SWITCH_MAC, SERVER_MAC, W1, U1, 80, 40000, 64, 0, new byte[0]));
        }
        int delivered = 0;
        int replies = 0;
        try {
            while (atServer.poll(500, java.util.concurrent.TimeUnit.MILLISECONDS) != null) {
                delivered++;
            }
            while (atUplink.poll(500, java.util.concurrent.TimeUnit.MILLISECONDS) != null) {
                replies++;
            }
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        long refills = (System.nanoTime() - start) / 1_000_000_000L;
        assertTrue(delivered >= 5 && delivered <= 5 + refills, "a burst of 5 from the uplink, then red (+1 per second "
                + "the flood took, " + refills + " s): " + delivered + " delivered");
        assertEquals(before + 20 - delivered, sfc.dropped(DROP_PORT_RATE), "every red packet dropped, as port_rate");
        assertEquals(10, replies, "the server's port is not limited");
        assertEquals(0, sfc.dropped(DROP_METER), "the service's own meter was not what dropped them");
    }

    /** An ARP frame (padded to Ethernet's 60 bytes, as a router sends it) for IPv4 over Ethernet. */
    static byte[] arp(long dstMac, long srcMac, int oper, long sha, String spa, long tha, String tpa) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(60);
        b.put(Packets.mac(dstMac)).put(Packets.mac(srcMac)).putShort((short) 0x0806);
        b.putShort((short) 1).putShort((short) 0x0800).put((byte) 6).put((byte) 4).putShort((short) oper);
        b.put(Packets.mac(sha)).putInt((int) Packets.ip(spa)).put(Packets.mac(tha)).putInt((int) Packets.ip(tpa));
        return b.array();
    }

    /**
     * The engine owns its addresses (seed ¶158): a router's ARP request on the uplink for a service address is
     * answered, out of the same port, with the MAC the entry names; a request for an address the engine does not
     * hold, a request from a device port and an ARP reply are dropped as not ours.
     */
    @Test
    void item10ArpRequestsForTheEnginesAddressesAreAnsweredOnTheUplink() {
        sfc.insert(sfc.rt.entry("arp", sfc.rt.call("arp_reply", Sfc.SWITCH_MAC), 0,
                sfc.rt.exact("arp", "ipv4", Packets.ip(W1))));
        byte[] request = arp(0xFFFFFFFFFFFFL, ROUTER, 1, ROUTER, "198.51.100.1", 0, W1);
        List<Output> out = sfc.send(UPLINK, request);
        assertEquals(List.of(UPLINK), Sfc.ports(out), "answered out of the port it came in on");
        byte[] expected = arp(ROUTER, Sfc.SWITCH_MAC, 2, Sfc.SWITCH_MAC, W1, ROUTER, "198.51.100.1");
        assertEquals(Packets.hex(expected), Packets.hex(out.get(0).data()), "the reply, padding kept");

        long before = sfc.dropped(DROP_NOT_A_SERVICE);
        assertEquals(List.of(), sfc.send(UPLINK, arp(0xFFFFFFFFFFFFL, ROUTER, 1, ROUTER, "198.51.100.1", 0,
                "203.0.113.99")), "an address the engine does not hold");
        assertEquals(List.of(), sfc.send(SERVER, arp(0xFFFFFFFFFFFFL, SERVER_MAC, 1, SERVER_MAC, "10.0.0.2", 0, W1)),
                "not on a device port");
        assertEquals(List.of(), sfc.send(UPLINK, arp(Sfc.SWITCH_MAC, ROUTER, 2, ROUTER, "198.51.100.1", Sfc.SWITCH_MAC,
                W1)), "a reply is not a request");
        assertEquals(before + 3, sfc.dropped(DROP_NOT_A_SERVICE), "each dropped as not ours, and counted");
    }

    /** Cell {@code index} of meter array {@code alias} lets a burst of 5 through, then 1 packet a second. */
    void burstOfFive(String alias, int index) {
        sfc.write(P4Rt.update(Update.Type.MODIFY, Entity.newBuilder().setMeterEntry(MeterEntry.newBuilder()
                .setMeterId(sfc.p4info.getMetersList().stream().filter(m -> m.getPreamble().getAlias().equals(alias))
                        .findFirst().orElseThrow().getPreamble().getId())
                .setIndex(Index.newBuilder().setIndex(index))
                .setConfig(MeterConfig.newBuilder().setCir(1).setCburst(1).setPir(1).setPburst(5))).build()));
    }

    long deviceCounter(String name, int device) {
        int id = sfc.p4info.getCountersList().stream().filter(c -> c.getPreamble().getName().endsWith(name))
                .findFirst().orElseThrow().getPreamble().getId();
        return sfc.read(Entity.newBuilder().setCounterEntry(CounterEntry.newBuilder().setCounterId(id)
                .setIndex(Index.newBuilder().setIndex(device))).build()).get(0).getCounterEntry().getData().getPacketCount();
    }

    // 9. Probes ----------------------------------------------------------------------------------------------------

    @Test
    void item9ProbesComeBackToTheControllerWithTheirPortAndNothingElseDoes() throws Exception {
        var punted = sfc.client.packetIns();
        var atServer = sfc.target.capture(SERVER);
        // The controller's heartbeats use source 192.0.2.250; punt them wherever they come back.
        TableEntry probes = TableEntry.newBuilder().setTableId(sfc.rt.table("punt").getPreamble().getId())
                .addMatch(sfc.rt.ternary("punt", "ipv4_src", Packets.ip("192.0.2.250"), 0xFFFFFFFFL))
                .setPriority(1).setAction(TableAction.newBuilder().setAction(sfc.rt.call("punt_to_cpu"))).build();
        sfc.insert(probes);
        // Heartbeat out through the server port with packet-out, back on port 2 (the server looped it).
        byte[] probe = Packets.tcp(SERVER_MAC, Sfc.SWITCH_MAC, "192.0.2.250", W1, 9, 80, 64, 0, "hb".getBytes());
        sfc.client.packetOut(com.google.protobuf.ByteString.copyFrom(probe), PacketOuts.toPort(sfc.p4info, SERVER));
        byte[] out = atServer.poll(5, TimeUnit.SECONDS);
        assertTrue(out != null, "the packet-out left on the server's port");
        assertEquals(Sfc.hex(probe), Sfc.hex(out), "packet-out leaves unchanged");
        sfc.send(SERVER, probe);
        var in = punted.poll(5, TimeUnit.SECONDS);
        assertTrue(in != null, "the probe came back to the controller");
        assertEquals(Sfc.hex(probe), Sfc.hex(in.getPayload().toByteArray()));
        assertEquals(SERVER, Bytes.toLong(in.getMetadata(0).getValue(), 9, "ingress_port"));
        // Ordinary traffic, dropped traffic and unknown ports never reach the CPU.
        sfc.send(UPLINK, request(80));
        sfc.send(UPLINK, request(81));
        sfc.send(9, request(80));
        assertEquals(null, punted.poll(300, TimeUnit.MILLISECONDS), "nothing else was punted");
    }

    // 10. Egress ---------------------------------------------------------------------------------------------------

    @Test
    void item10EveryRewriteLeavesCorrectIpv4AndL4Checksums() {
        // Exact-bytes tests above compare against frames whose checksums an end host computed; check one UDP
        // NAT case here too, and that a UDP checksum of 0 ('none') stays 0.
        sfc.insert(sfc.serviceByDst(W1, 17, 500, 15, Sfc.FWD));
        sfc.natNextHop(6, SERVER, SERVER_MAC, 2, "10.0.0.9");
        sfc.insert(sfc.step(15, Sfc.FWD, 0, UPLINK, sfc.toNextHop(6, 0)));
        byte[] udp = Packets.udp(Sfc.SWITCH_MAC, ROUTER, U1, W1, 4000, 500, 60, 0, "ike".getBytes());
        assertEquals(Sfc.hex(Packets.edit(udp, b -> {
            Sfc.macs(b, SERVER_MAC, Sfc.SWITCH_MAC);
            Sfc.dstIp(b, "10.0.0.9");
        })), Sfc.hex(sfc.send(UPLINK, udp).get(0).data()));
        byte[] noCsum = udp.clone();
        noCsum[40] = 0;
        noCsum[41] = 0;
        byte[] got = sfc.send(UPLINK, noCsum).get(0).data();
        assertEquals(0, got[40] | got[41], "UDP checksum 0 means none and stays 0");
        assertTrue(got[30] == 10 && got[33] == 9, "NAT applied");
    }
}
