package org.sfc.sw.runtime;

import java.util.ArrayList;
import java.util.List;

import org.sfc.sw.compile.CompiledProgram;
import org.sfc.sw.exec.Frame;

/**
 * Runs packets through a compiled v1model program the way BMv2's simple_switch does:
 * parser → verifyChecksum → ingress → (ingress-to-egress clone, multicast, drop check) → egress →
 * (egress-to-egress clone, drop check) → computeChecksum → deparser.
 *
 * <ul>
 *   <li>Parser errors do not drop: the packet reaches ingress with standard_metadata.parser_error set.</li>
 *   <li>mark_to_drop sets egress_spec to the drop port (511) and mcast_grp to 0; a packet whose egress_spec
 *       is 511 at the end of ingress (and no multicast) or at the end of egress is dropped.</li>
 *   <li>An I2E clone is the packet as received, parsed again, then all metadata reset (what the parser set
 *       included) except the fields of the preserved field list; instance_type 1. An E2E clone keeps the egress headers, metadata reset except
 *       the preserved fields; instance_type 2. Clones are made even when the original is dropped.</li>
 *   <li>Multicast copies get instance_type 5 and egress_rid = the replica's instance.</li>
 *   <li>At the start of egress, egress_port is the output port and egress_spec is reset to 0.</li>
 * </ul>
 * Not thread-safe: the owning switch serialises packets and control-plane writes.
 */
public final class V1ModelPipeline implements PacketPipeline {
    public static final int DROP_PORT = 511;
    public static final int INSTANCE_NORMAL = 0;
    public static final int INSTANCE_INGRESS_CLONE = 1;
    public static final int INSTANCE_EGRESS_CLONE = 2;
    public static final int INSTANCE_REPLICATION = 5;
    private static final int CLONE_I2E = 0;
    private static final int CLONE_E2E = 1;
    private static final int MAX_E2E_CLONE_DEPTH = 16;

    /** A packet leaving the switch. */
    public record Output(int port, byte[] data) {}

    private final CompiledProgram program;
    private final Replication replication;
    private final CompiledProgram.StdMeta sm;
    private final Frame frame;
    /** Counts packets dropped, for diagnostics. */
    private long dropped;

    public V1ModelPipeline(CompiledProgram program, Replication replication) {
        this.program = program;
        this.replication = replication;
        this.sm = program.stdMeta();
        this.frame = new Frame(program.slotCount());
    }

    @Override
    public CompiledProgram program() {
        return program;
    }

    @Override
    public long dropped() {
        return dropped;
    }

    @Override
    public List<Output> process(int ingressPort, byte[] data) {
        List<Output> out = new ArrayList<>(2);
        Frame f = frame;
        f.reset();
        f.pkt = data;
        f.pktLen = data.length;
        f.packetLengthBytes = data.length;
        f.s[sm.ingressPort()] = ingressPort;
        f.s[sm.packetLength()] = data.length;
        f.s[sm.ingressTimestamp()] = (System.nanoTime() / 1000) & 0xFFFFFFFFFFFFL;
        program.parser().run(f);
        program.verifyChecksum().run(f);
        f.flow = Frame.NORMAL;
        program.ingress().run(f);
        f.flow = Frame.NORMAL;

        if (f.cloneType == CLONE_I2E) {
            ingressClone(data, f, out);
        }
        if (f.assertFailed) {
            dropped++;
            return out;
        }
        long mgid = f.s[sm.mcastGrp()];
        if (mgid != 0) {
            Replication.MulticastGroup g = replication.multicastGroups.get((int) mgid);
            if (g != null) {
                for (Replication.Replica r : g.replicas()) {
                    Frame copy = copyOf(f);
                    copy.s[sm.instanceType()] = INSTANCE_REPLICATION;
                    copy.s[sm.egressRid()] = r.instance();
                    egress(copy, r.egressPort(), 0, 0, out);
                }
            } else {
                dropped++;
            }
            return out;
        }
        long egressSpec = f.s[sm.egressSpec()];
        if (egressSpec == DROP_PORT) {
            dropped++;
            return out;
        }
        f.s[sm.instanceType()] = INSTANCE_NORMAL;
        egress(f, (int) egressSpec, 0, 0, out);
        return out;
    }

    private void ingressClone(byte[] data, Frame original, List<Output> out) {
        Replication.CloneSession session = replication.cloneSessions.get(original.cloneSession);
        if (session == null) {
            return;
        }
        for (Replication.Replica r : session.replicas()) {
            Frame c = new Frame(program.slotCount());
            c.pkt = data;
            c.pktLen = data.length;
            c.packetLengthBytes = data.length;
            program.parser().run(c);
            c.flow = Frame.NORMAL;
            // BMv2 resets all metadata after parsing the copy, what the parser set included: only the field
            // list survives (CloneSemanticsTest pins this on both targets).
            resetMetadata(c);
            copyFieldList(original, c, original.cloneFieldList);
            c.s[sm.instanceType()] = INSTANCE_INGRESS_CLONE;
            c.s[sm.egressRid()] = r.instance();
            c.s[sm.packetLength()] = data.length;
            egress(c, r.egressPort(), session.packetLengthBytes(), 0, out);
        }
    }

    private void resetMetadata(Frame f) {
        java.util.Arrays.fill(f.s, program.metaBase(), program.metaBase() + program.metaType().slots(), 0L);
        java.util.Arrays.fill(f.s, sm.base(), sm.base() + sm.slots(), 0L);
    }

    private void copyFieldList(Frame from, Frame to, int listId) {
        if (listId == 0) {
            return;
        }
        int[] slots = program.fieldLists().get(listId);
        if (slots == null) {
            return;
        }
        for (int s : slots) {
            to.s[s] = from.s[s];
        }
    }

    private Frame copyOf(Frame f) {
        Frame c = new Frame(program.slotCount());
        System.arraycopy(f.s, 0, c.s, 0, f.s.length);
        c.pkt = f.pkt;
        c.pktLen = f.pktLen;
        c.cursorBits = f.cursorBits;
        c.packetLengthBytes = f.packetLengthBytes;
        return c;
    }

    private void egress(Frame f, int port, int truncateTo, int depth, List<Output> out) {
        f.s[sm.egressPort()] = port;
        f.s[sm.egressSpec()] = 0;
        f.s[sm.egressTimestamp()] = (System.nanoTime() / 1000) & 0xFFFFFFFFFFFFL;
        f.cloneType = -1;
        f.cloneSession = 0;
        f.cloneFieldList = 0;
        f.flow = Frame.NORMAL;
        program.egress().run(f);
        f.flow = Frame.NORMAL;
        if (f.cloneType == CLONE_E2E && depth < MAX_E2E_CLONE_DEPTH) {
            egressClone(f, depth, out);
        }
        if (f.s[sm.egressSpec()] == DROP_PORT || f.assertFailed) {
            dropped++;
            return;
        }
        program.computeChecksum().run(f);
        f.flow = Frame.NORMAL;
        f.outBits = 0;
        program.deparser().run(f);
        f.flow = Frame.NORMAL;
        out.add(new Output(port, assemble(f, truncateTo)));
    }

    private void egressClone(Frame f, int depth, List<Output> out) {
        Replication.CloneSession session = replication.cloneSessions.get(f.cloneSession);
        if (session == null) {
            return;
        }
        for (Replication.Replica r : session.replicas()) {
            Frame c = copyOf(f);
            // Metadata (user metadata and standard_metadata) is reset; headers are kept as egress left them.
            resetMetadata(c);
            copyFieldList(f, c, f.cloneFieldList);
            c.s[sm.instanceType()] = INSTANCE_EGRESS_CLONE;
            c.s[sm.egressRid()] = r.instance();
            c.s[sm.packetLength()] = f.packetLengthBytes;
            egress(c, r.egressPort(), session.packetLengthBytes(), depth + 1, out);
        }
    }

    /** Deparsed headers followed by the unparsed payload, truncated if asked. */
    static byte[] assemble(Frame f, int sessionTruncate) {
        int headerBytes = (f.outBits + 7) >>> 3;
        int payloadFrom = Math.min(f.payloadOffset(), f.pktLen);
        int payload = f.pktLen - payloadFrom;
        int len = headerBytes + payload;
        if (f.truncateTo > 0) {
            len = Math.min(len, f.truncateTo);
        }
        if (sessionTruncate > 0) {
            len = Math.min(len, sessionTruncate);
        }
        byte[] bytes = new byte[len];
        System.arraycopy(f.out, 0, bytes, 0, Math.min(headerBytes, len));
        if (len > headerBytes) {
            System.arraycopy(f.pkt, payloadFrom, bytes, headerBytes, len - headerBytes);
        }
        return bytes;
    }
}
