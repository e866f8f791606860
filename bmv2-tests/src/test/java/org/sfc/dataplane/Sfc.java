package org.sfc.dataplane;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.sfc.controller.P4RuntimeClient;
import org.sfc.dataplane.target.SoftwareSwitchTarget;
import org.sfc.dataplane.target.Target;
import org.sfc.sw.runtime.V1ModelPipeline.Output;
import org.sfc.sw.server.Bytes;
import org.sfc.sw.testing.P4Rt;
import org.sfc.sw.testing.Packets;

import com.google.protobuf.ByteString;

import p4.config.v1.P4InfoOuterClass.P4Info;
import p4.v1.P4RuntimeOuterClass.*;

/**
 * The sfc program (p4src/v1model/sfc.p4) on a P4Runtime target, with entry builders named after its tables. Tests
 * write entries by hand here through a P4Runtime client (the primary controller), send frames in on the target's
 * ports and read counters back; the table compiler produces the same entries.
 */
final class Sfc implements AutoCloseable {
    static final Path PROGRAM = SoftwareSwitchTarget.PROGRAM;
    static final int FWD = 0;
    static final int REPLY = 1;
    static final int STEP_FROM_PORT = 31;
    static final long SWITCH_MAC = 0x02000000fe01L;

    final Target target;
    final P4RuntimeClient client;
    final P4Info p4info;
    final P4Rt rt;

    /** On the software switch. */
    Sfc() throws Exception {
        this(SoftwareSwitchTarget.start());
    }

    /** On {@code target}, with the sfc pipeline pushed. */
    Sfc(Target target) {
        this.target = target;
        this.client = P4RuntimeClient.connect(target.host(), target.grpcPort(), 1, 10, 5000);
        this.p4info = target.pipeline().p4info();
        client.setPipeline(p4info, target.pipeline().deviceConfig());
        this.rt = new P4Rt(p4info);
    }

    @Override
    public void close() {
        client.close();
        target.close();
    }

    /** One Write request (CONTINUE_ON_ERROR: every target implements it); every update must succeed. */
    void write(Update... updates) {
        write(List.of(updates));
    }

    void write(List<Update> updates) {
        try {
            client.write(updates, WriteRequest.Atomicity.CONTINUE_ON_ERROR);
        } catch (P4RuntimeClient.WriteFailed e) {
            throw new AssertionError(e.getMessage() + ": " + e.errors(), e);
        }
    }

    /** How a compiled entity goes onto a fresh switch: INSERT, but a meter cell always exists, so MODIFY. */
    static Update install(Entity e) {
        return P4Rt.update(e.hasMeterEntry() ? Update.Type.MODIFY : Update.Type.INSERT, e);
    }

    void insert(TableEntry... entries) {
        for (TableEntry e : entries) {
            write(P4Rt.insert(e));
        }
    }

    List<Entity> read(Entity query) {
        return client.read(List.of(query));
    }

    List<Output> send(int port, byte[] frame) {
        return target.send(port, frame);
    }

    // ------------------------------------------------------------------ entries

    TableEntry uplinkPort(int port) {
        return rt.entry("port_role", rt.call("set_uplink", port), 0, rt.exact("port_role", "ig_port", port));
    }

    TableEntry devicePort(int port, int deviceId, boolean portTagged) {
        return rt.entry("port_role", rt.call("set_device", deviceId, portTagged ? 1 : 0, port), 0,
                rt.exact("port_role", "ig_port", port));
    }

    /** Packets to ip:port (or to a port whose range stands for that port, see dstPortRange) are the service's. */
    TableEntry serviceByDst(String ip, int proto, int port, int service, int direction) {
        return rt.entry("classify_dst", rt.call("set_service", service, direction, 0), 0,
                rt.exact("classify_dst", "ipv4_dst", Packets.ip(ip)), rt.exact("classify_dst", "ip_proto", proto),
                rt.exact("classify_dst", "l4_dport", port));
    }

    TableEntry serviceBySrc(String ip, int proto, int port, int service, int direction) {
        return rt.entry("classify_src", rt.call("set_service_by_src", service, direction, 0), 0,
                rt.exact("classify_src", "ipv4_src", Packets.ip(ip)), rt.exact("classify_src", "ip_proto", proto),
                rt.exact("classify_src", "l4_sport", port));
    }

    /** Destination ports lo..hi of ip are classified as port {@code key}. */
    TableEntry dstPortRange(String ip, int proto, int lo, int hi, int key, int priority) {
        return rt.entry("dst_port_range", rt.call("set_dst_port_key", key), priority,
                rt.exact("dst_port_range", "ipv4_dst", Packets.ip(ip)), rt.exact("dst_port_range", "ip_proto", proto),
                rt.range("dst_port_range", "l4_dport", lo, hi));
    }

    TableEntry srcPortRange(String ip, int proto, int lo, int hi, int key, int priority) {
        return rt.entry("src_port_range", rt.call("set_src_port_key", key), priority,
                rt.exact("src_port_range", "ipv4_src", Packets.ip(ip)), rt.exact("src_port_range", "ip_proto", proto),
                rt.range("src_port_range", "l4_sport", lo, hi));
    }

    TableEntry replyFromNatServer(String serverIp, int proto, int port, int service, String serviceIp, int servicePort) {
        return rt.entry("classify_src", rt.call("set_service_unnat", service, REPLY, Packets.ip(serviceIp), servicePort, 0),
                0, rt.exact("classify_src", "ipv4_src", Packets.ip(serverIp)),
                rt.exact("classify_src", "ip_proto", proto), rt.exact("classify_src", "l4_sport", port));
    }

    /** A step of a service at version 0 (the version every service starts at). */
    TableEntry step(int service, int direction, int step, int port, Action action) {
        return rt.entry("sequence", action, 0, rt.exact("sequence", "service_id", service),
                rt.exact("sequence", "direction", direction), rt.exact("sequence", "step", step),
                rt.exact("sequence", "slot", port), rt.exact("sequence", "version", 0));
    }

    Action toNextHop(int nh, int dscp) {
        return rt.call("to_next_hop", nh, dscp);
    }

    Action toNextHopCopy(int nh, int dscp, int session) {
        return rt.call("to_next_hop_copy", nh, dscp, session);
    }

    /** A next hop with one member: a device (or the uplink router) on {@code port}. */
    void nextHop(int nh, int port, long dmac, int deviceId) {
        nextHopMember(nh, rt.call("set_next_hop", port, dmac, SWITCH_MAC, deviceId));
    }

    void natNextHop(int nh, int port, long dmac, int deviceId, String deviceIp) {
        nextHopMember(nh, rt.call("set_next_hop_nat", port, dmac, SWITCH_MAC, deviceId, Packets.ip(deviceIp)));
    }

    private void nextHopMember(int nh, Action a) {
        insert(rt.entry("next_hop", a, 0, rt.exact("next_hop", "nh_id", nh)));
    }

    /** A group next hop: bucket b (of a power of two) sends as {@code buckets.get(b)} does. */
    void groupNextHop(int nh, List<Action> buckets) {
        insert(rt.entry("next_hop", rt.call("set_next_hop_group", buckets.size() - 1), 0,
                rt.exact("next_hop", "nh_id", nh)));
        for (int b = 0; b < buckets.size(); b++) {
            insert(bucket(nh, b, buckets.get(b)));
        }
    }

    TableEntry bucket(int nh, int bucket, Action a) {
        return rt.entry("next_hop_bucket", a, 0, rt.exact("next_hop_bucket", "nh_id", nh),
                rt.exact("next_hop_bucket", "bucket", bucket));
    }

    void copySession(int session, int port, int targetDevice, long targetMac) {
        write(P4Rt.update(Update.Type.INSERT, Entity.newBuilder().setPacketReplicationEngineEntry(
                PacketReplicationEngineEntry.newBuilder().setCloneSessionEntry(CloneSessionEntry.newBuilder()
                        .setSessionId(session).addReplicas(Replica.newBuilder().setEgressPort(port)
                                .setInstance(targetDevice)))).build()));
        insert(rt.entry("copy_target", rt.call("set_copy_target", targetMac, SWITCH_MAC), 0,
                rt.exact("copy_target", "copy_rid", targetDevice)));
    }

    /** Packets dropped for {@code reason}: in drop_reasons, and on TNA also egress_drop_reasons (the controller adds them). */
    long dropped(int reason) {
        return dropped(client, p4info, reason);
    }

    /** As {@link #dropped(int)}, on any switch running the sfc program with {@code p4info}. */
    static long dropped(P4RuntimeClient client, P4Info p4info, int reason) {
        long n = 0;
        for (var counter : p4info.getCountersList()) {
            if (counter.getPreamble().getName().endsWith("drop_reasons")) {
                n += client.read(List.of(Entity.newBuilder().setCounterEntry(CounterEntry.newBuilder()
                        .setCounterId(counter.getPreamble().getId())
                        .setIndex(Index.newBuilder().setIndex(reason))).build())).get(0).getCounterEntry()
                        .getData().getPacketCount();
            }
        }
        return n;
    }

    // ------------------------------------------------------------------ frame edits (offsets of Ethernet/IPv4/L4)

    static void macs(ByteBuffer b, long dst, long src) {
        b.put(0, Packets.mac(dst)).put(6, Packets.mac(src));
    }

    static void dscp(ByteBuffer b, int dscp) {
        b.put(15, (byte) ((dscp << 2) | (b.get(15) & 3)));
    }

    static void srcIp(ByteBuffer b, String ip) {
        b.putInt(26, (int) Packets.ip(ip));
    }

    static void dstIp(ByteBuffer b, String ip) {
        b.putInt(30, (int) Packets.ip(ip));
    }

    static void srcPort(ByteBuffer b, int port) {
        b.putShort(34, (short) port);
    }

    static void dstPort(ByteBuffer b, int port) {
        b.putShort(36, (short) port);
    }

    static List<Integer> ports(List<Output> out) {
        List<Integer> p = new ArrayList<>();
        out.forEach(o -> p.add(o.port()));
        return p;
    }

    static Output on(List<Output> out, int port) {
        return out.stream().filter(o -> o.port() == port).findFirst()
                .orElseThrow(() -> new AssertionError("nothing left on port " + port + "; got ports " + ports(out)));
    }

    static String hex(byte[] b) {
        return Packets.hex(b);
    }

    static ByteString bytes(long v) {
        return Bytes.canonical(v);
    }
}
