package org.sfc.sw.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.sfc.sw.compile.CompiledProgram;
import org.sfc.sw.compile.TnaBlocks;
import org.sfc.sw.exec.FieldCodec;
import org.sfc.sw.exec.Frame;
import org.sfc.sw.types.P4Type;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs packets through a compiled TNA program as tna.p4 (Tofino 1) describes the pipeline: ingress parser →
 * ingress → ingress deparser → traffic manager (unicast, multicast, mirror copies) → egress parser → egress →
 * egress deparser. What the model does where Intel's public documents leave room is listed in the software
 * switch's README ("TNA"); in short:
 * <ul>
 *   <li>The ingress parser reads ingress_intrinsic_metadata_t and PORT_METADATA_SIZE bits of port metadata
 *       (zeros) in front of the packet; the egress parser reads egress_intrinsic_metadata_t in front of what the
 *       ingress deparser wrote (for a mirror copy: the mirror header, then what the ingress deparser wrote).</li>
 *   <li>Ingress and egress are separate: egress sees of ingress only the bytes the ingress deparser emitted.</li>
 *   <li>A parser error does not drop: the control sees parser_err with tofino's PARSER_ERROR_* flag set.</li>
 *   <li>drop_ctl bit 0 drops the packet, bit 2 the ingress mirror copy. ucast_egress_port that ingress never
 *       wrote means no unicast copy (the model marks it unwritten with 511, a port Tofino 1 does not have).</li>
 *   <li>A mirror copy is made where the ingress deparser called Mirror.emit and mirror_type is not 0; the clone
 *       session's replicas give its ports, and egress_rid = the replica's instance; it is truncated to the
 *       session's packet_length_bytes on the way out. Copies leave before the original, as v1model's do.</li>
 * </ul>
 * Not thread-safe: the owning switch serialises packets and control-plane writes.
 */
public final class TnaPipeline implements PacketPipeline {
    /** The value of ucast_egress_port that means "ingress did not set it". */
    public static final int UNSET_PORT = 511;
    private static final Logger LOG = LoggerFactory.getLogger(TnaPipeline.class);
    private static final Map<String, Integer> PARSER_ERROR_FLAGS = Map.of("NoMatch", 0x1, "PacketTooShort", 0x2,
            "HeaderTooShort", 0x2, "CounterRange", 0x4, "Timeout", 0x8, "ParserTimeout", 0x8, "PhvOwner", 0x80,
            "MultiWrite", 0x100);

    private final CompiledProgram program;
    private final TnaBlocks tna;
    private final TnaBlocks.Intrinsics md;
    private final Replication replication;
    private final Frame ingress;
    private final Frame egress;
    // What the parsers read in front of the packet, laid out once (not per packet).
    private final IntrinsicImage ingressImage;
    private final int igPort;
    private final int igTstamp;
    private final IntrinsicImage egressImage;
    private final int egPort;
    private final int egRid;
    private final int egRidFirst;
    private final int egLength;
    private long dropped;
    private boolean warnedEgressMirror;

    public TnaPipeline(CompiledProgram program, Replication replication) {
        this.program = program;
        this.tna = program.tna();
        this.md = tna.slots();
        this.replication = replication;
        this.ingress = new Frame(program.slotCount());
        this.egress = new Frame(program.slotCount());
        this.ingressImage = new IntrinsicImage(tna.ingressIntrinsic(), tna.portMetadataBits());
        this.igPort = ingressImage.field("ingress_port");
        this.igTstamp = ingressImage.field("ingress_mac_tstamp");
        this.egressImage = new IntrinsicImage(tna.egressIntrinsic(), 0);
        this.egPort = egressImage.field("egress_port");
        this.egRid = egressImage.field("egress_rid");
        this.egRidFirst = egressImage.field("egress_rid_first");
        this.egLength = egressImage.field("pkt_length");
    }

    /**
     * An intrinsic header's bytes (then {@code padBits} of zeros) from values set by field index: what the
     * traffic manager writes in front of the packet for the parser to extract.
     */
    private static final class IntrinsicImage {
        private final P4Type.HeaderT type;
        private final int[] positions;
        private final int[] widths;
        private final long[] values;
        private final int length;

        IntrinsicImage(P4Type.HeaderT type, int padBits) {
            this.type = type;
            int n = type.fields().size();
            positions = new int[n];
            widths = new int[n];
            values = new long[n];
            for (int i = 0; i < n; i++) {
                positions[i] = i;
                widths[i] = P4Type.bitWidthOf(type.fields().get(i).type());
            }
            length = (type.bitWidth() + padBits + 7) / 8;
        }

        /** The index of a field, or -1 where this tna.p4 has no such field. */
        int field(String name) {
            for (int i = 0; i < type.fields().size(); i++) {
                if (type.fields().get(i).name().equals(name)) {
                    return i;
                }
            }
            return -1;
        }

        IntrinsicImage set(int field, long value) {
            if (field >= 0) {
                values[field] = value;
            }
            return this;
        }

        byte[] bytes() {
            byte[] out = new byte[length];
            FieldCodec.write(out, 0, values, positions, widths);
            return out;
        }
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
    public List<V1ModelPipeline.Output> process(int ingressPort, byte[] data) {
        List<V1ModelPipeline.Output> out = new ArrayList<>(2);
        Frame f = ingress;
        f.reset();
        long now = System.nanoTime();
        byte[] prefix = ingressImage.set(igPort, ingressPort).set(igTstamp, now & 0xFFFFFFFFFFFFL).bytes();
        set(f, md.ucastEgressPort(), UNSET_PORT);
        parse(f, prefix, data, tna.ingressParser(), md.igParserErr());
        set(f, md.igGlobalTstamp(), now & 0xFFFFFFFFFFFFL);
        run(f, tna.ingress());
        run(f, tna.ingressDeparser());
        byte[] deparsed = V1ModelPipeline.assemble(f, 0);
        long dropCtl = get(f, md.igDropCtl());

        if (f.mirrorSession >= 0 && get(f, md.igMirrorType()) != 0 && (dropCtl & 4) == 0) {
            mirror(f.mirrorSession, concat(f.mirrorHeader, deparsed), out);
        }
        if ((dropCtl & 1) != 0) {
            dropped++;
            return out;
        }
        long port = get(f, md.ucastEgressPort());
        long group = get(f, md.mcastGrpA());
        if (group != 0) {
            Replication.MulticastGroup g = replication.multicastGroups.get((int) group);
            if (g != null) {
                for (Replication.Replica r : g.replicas()) {
                    egress(r.egressPort(), r.instance(), deparsed, 0, out);
                }
            }
        }
        if (port != UNSET_PORT) {
            if (get(f, md.bypassEgress()) != 0) {
                out.add(new V1ModelPipeline.Output((int) port, deparsed));
            } else {
                egress((int) port, 0, deparsed, 0, out);
            }
        } else if (group == 0) {
            dropped++;
        }
        return out;
    }

    private void mirror(int session, byte[] copy, List<V1ModelPipeline.Output> out) {
        Replication.CloneSession s = replication.cloneSessions.get(session);
        if (s == null) {
            return;
        }
        for (Replication.Replica r : s.replicas()) {
            egress(r.egressPort(), r.instance(), copy, s.packetLengthBytes(), out);
        }
    }

    private void egress(int port, int rid, byte[] packet, int truncateTo, List<V1ModelPipeline.Output> out) {
        Frame e = egress;
        e.reset();
        byte[] prefix = egressImage.set(egPort, port).set(egRid, rid).set(egRidFirst, 1).set(egLength, packet.length)
                .bytes();
        parse(e, prefix, packet, tna.egressParser(), md.egParserErr());
        set(e, md.egGlobalTstamp(), System.nanoTime() & 0xFFFFFFFFFFFFL);
        run(e, tna.egress());
        run(e, tna.egressDeparser());
        if (e.mirrorSession >= 0 && !warnedEgressMirror) {
            warnedEgressMirror = true;
            LOG.warn("egress mirroring is not modelled by the software switch: no copy is made");
        }
        if ((get(e, md.egDropCtl()) & 1) != 0) {
            dropped++;
            return;
        }
        out.add(new V1ModelPipeline.Output(port, V1ModelPipeline.assemble(e, truncateTo)));
    }

    /** Parses {@code prefix} + {@code packet}; a parser error becomes its tofino flag in {@code parserErrSlot}. */
    private void parse(Frame f, byte[] prefix, byte[] packet, org.sfc.sw.exec.Exec parser, int parserErrSlot) {
        f.pkt = concat(prefix, packet);
        f.pktLen = f.pkt.length;
        f.packetLengthBytes = packet.length;
        f.flow = Frame.NORMAL;
        parser.run(f);
        f.flow = Frame.NORMAL;
        int error = (int) f.s[tna.parserErrorScratch()];
        if (error != 0) {
            String name = error < program.errors().size() ? program.errors().get(error) : "";
            set(f, parserErrSlot, PARSER_ERROR_FLAGS.getOrDefault(name, 0x1));
        }
    }

    private static void run(Frame f, org.sfc.sw.exec.Exec block) {
        f.flow = Frame.NORMAL;
        block.run(f);
        f.flow = Frame.NORMAL;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    private static void set(Frame f, int slot, long v) {
        if (slot >= 0) {
            f.s[slot] = v;
        }
    }

    private static long get(Frame f, int slot) {
        return slot >= 0 ? f.s[slot] : 0;
    }
}
