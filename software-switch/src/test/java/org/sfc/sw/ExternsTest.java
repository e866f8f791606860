package org.sfc.sw;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.sfc.sw.compile.CompiledProgram;
import org.sfc.sw.compile.Compiler;
import org.sfc.sw.exec.Hashes;
import org.sfc.sw.runtime.MeterState;
import org.sfc.sw.runtime.Replication;
import org.sfc.sw.runtime.TableDef;
import org.sfc.sw.runtime.V1ModelPipeline;
import org.sfc.sw.testing.Packets;

/** v1model externs with observable effects beyond the router program: L4 checksums, E2E clones, truncate, unions. */
class ExternsTest {
    static final String HEADERS = """
            #include <core.p4>
            #include <v1model.p4>
            header eth_t { bit<48> dst; bit<48> src; bit<16> type; }
            header ipv4_t { bit<4> version; bit<4> ihl; bit<8> tos; bit<16> len; bit<16> id; bit<3> flags;
                            bit<13> frag; bit<8> ttl; bit<8> proto; bit<16> csum; bit<32> src; bit<32> dst; }
            header tcp_t { bit<16> sport; bit<16> dport; bit<32> seq; bit<32> ack; bit<4> off; bit<4> res;
                           bit<8> flags; bit<16> win; bit<16> csum; bit<16> urg; }
            struct headers_t { eth_t eth; ipv4_t ipv4; tcp_t tcp; }
            struct meta_t { @field_list(1) bit<16> tcp_len; bit<8> mark; }
            parser P(packet_in pkt, out headers_t hdr, inout meta_t meta, inout standard_metadata_t sm) {
                state start { pkt.extract(hdr.eth); pkt.extract(hdr.ipv4); pkt.extract(hdr.tcp); transition accept; }
            }
            control VC(inout headers_t hdr, inout meta_t meta) { apply {} }
            control CC(inout headers_t hdr, inout meta_t meta) {
                apply {
                    update_checksum_with_payload(hdr.tcp.isValid(),
                        { hdr.ipv4.src, hdr.ipv4.dst, 8w0, hdr.ipv4.proto, meta.tcp_len,
                          hdr.tcp.sport, hdr.tcp.dport, hdr.tcp.seq, hdr.tcp.ack, hdr.tcp.off, hdr.tcp.res,
                          hdr.tcp.flags, hdr.tcp.win, 16w0, hdr.tcp.urg },
                        hdr.tcp.csum, HashAlgorithm.csum16);
                }
            }
            control D(packet_out pkt, in headers_t hdr) { apply { pkt.emit(hdr); } }
            """;

    static String program(String ingress, String egress) {
        return HEADERS + """
                control I(inout headers_t hdr, inout meta_t meta, inout standard_metadata_t sm) {
                    apply { meta.tcp_len = hdr.ipv4.len - 20; %s }
                }
                control E(inout headers_t hdr, inout meta_t meta, inout standard_metadata_t sm) {
                    apply { meta.tcp_len = hdr.ipv4.len - 20; %s }
                }
                V1Switch(P(), VC(), I(), E(), CC(), D()) main;
                """.formatted(ingress, egress);
    }

    /** The TCP checksum of a frame as an end host computes it (pseudo-header + segment). */
    static int tcpChecksum(byte[] frame) {
        int segLen = frame.length - 34;
        byte[] pseudo = new byte[12 + segLen];
        System.arraycopy(frame, 26, pseudo, 0, 8);
        pseudo[9] = 6;
        pseudo[10] = (byte) (segLen >>> 8);
        pseudo[11] = (byte) segLen;
        System.arraycopy(frame, 34, pseudo, 12, segLen);
        pseudo[12 + 16] = 0;
        pseudo[12 + 17] = 0;
        return (int) Hashes.csum16(pseudo, pseudo.length);
    }

    @Test
    void updateChecksumWithPayloadFixesTheTcpChecksumAfterNat() {
        CompiledProgram p = Compiler.compileText("t.p4", program(
                "sm.egress_spec = 1; hdr.ipv4.dst = 32w0x0a000063; hdr.tcp.dport = 8080;", ""));
        byte[] in = Packets.tcp(1, 2, "192.168.0.1", "10.0.0.1", 1234, 80, 64, 0, "GET / HTTP/1.0\r\n\r\n".getBytes());
        byte[] out = new V1ModelPipeline(p, new Replication()).process(0, in).get(0).data();
        int got = ((out[50] & 0xFF) << 8) | (out[51] & 0xFF);
        assertEquals(tcpChecksum(out), got);
        assertEquals("0a000063", Packets.hex(java.util.Arrays.copyOfRange(out, 30, 34)));
    }

    @Test
    void egressToEgressCloneKeepsEgressHeadersAndPreservedFields() {
        CompiledProgram p = Compiler.compileText("t.p4", program("sm.egress_spec = 1;", """
                if (sm.instance_type == 0) {
                    hdr.ipv4.ttl = 9;
                    meta.tcp_len = 16w0x77;
                    clone_preserving_field_list(CloneType.E2E, 32w3, 1);
                } else {
                    hdr.eth.src = (bit<48>) sm.instance_type;
                    hdr.eth.dst = (bit<48>) meta.tcp_len;
                }
                """));
        Replication rep = new Replication();
        rep.cloneSessions.put(3, new Replication.CloneSession(3, List.of(new Replication.Replica(5, 1)), 0, 0));
        byte[] in = Packets.tcp(1, 2, "192.168.0.1", "10.0.0.1", 1234, 80, 64, 0, new byte[0]);
        List<V1ModelPipeline.Output> out = new V1ModelPipeline(p, rep).process(0, in);
        assertEquals(List.of(5, 1), out.stream().map(V1ModelPipeline.Output::port).toList(), "clone first, then original");
        byte[] clone = out.get(0).data();
        assertEquals(9, clone[22], "the E2E clone carries the header as egress modified it");
        assertEquals("000000000002", Packets.hex(java.util.Arrays.copyOfRange(clone, 6, 12)), "instance_type 2");
        // meta.tcp_len was preserved (0x77) but egress recomputes it at its start, as this program does.
        assertEquals(9, out.get(1).data()[22]);
    }

    @Test
    void truncateAndCloneSessionLengthLimitTheFrame() {
        CompiledProgram p = Compiler.compileText("t.p4", program("sm.egress_spec = 1; truncate(32w20);", ""));
        byte[] in = Packets.tcp(1, 2, "192.168.0.1", "10.0.0.1", 1234, 80, 64, 0, new byte[100]);
        assertEquals(20, new V1ModelPipeline(p, new Replication()).process(0, in).get(0).data().length);
    }

    @Test
    void headerUnionMembersAreMutuallyExclusive() {
        String prog = """
                #include <core.p4>
                #include <v1model.p4>
                header a_t { bit<8> x; }
                header b_t { bit<16> y; }
                header_union u_t { a_t a; b_t b; }
                struct headers_t { u_t u; }
                struct meta_t { bit<8> m; }
                parser P(packet_in pkt, out headers_t hdr, inout meta_t meta, inout standard_metadata_t sm) {
                    state start { pkt.extract(hdr.u.a); transition accept; }
                }
                control VC(inout headers_t hdr, inout meta_t meta) { apply {} }
                control I(inout headers_t hdr, inout meta_t meta, inout standard_metadata_t sm) {
                    apply {
                        sm.egress_spec = 1;
                        if (hdr.u.isValid() && hdr.u.a.isValid()) {
                            hdr.u.b.setValid();
                            hdr.u.b.y = 16w0xbeef;
                        }
                    }
                }
                control E(inout headers_t hdr, inout meta_t meta, inout standard_metadata_t sm) { apply {} }
                control CC(inout headers_t hdr, inout meta_t meta) { apply {} }
                control D(packet_out pkt, in headers_t hdr) { apply { pkt.emit(hdr.u); } }
                V1Switch(P(), VC(), I(), E(), CC(), D()) main;
                """;
        byte[] out = new V1ModelPipeline(Compiler.compileText("u.p4", prog), new Replication())
                .process(0, new byte[] {0x11, 0x22}).get(0).data();
        assertEquals("beef22", Packets.hex(out), "setValid on b invalidated a; 0x22 is the unparsed payload");
    }

    @Test
    void directMeterColorsThePacketsOfItsEntry() {
        String prog = program("", "").replace("control I(inout headers_t hdr, inout meta_t meta, inout standard_metadata_t sm) {\n"
                + "    apply { meta.tcp_len = hdr.ipv4.len - 20;  }", """
                control I(inout headers_t hdr, inout meta_t meta, inout standard_metadata_t sm) {
                    direct_meter<bit<8>>(MeterType.packets) dm;
                    action color() { dm.read(meta.mark); sm.egress_spec = (bit<9>) meta.mark + 1; }
                    table t { key = { hdr.ipv4.dst : exact; } actions = { color; } default_action = color();
                              meters = dm; }
                    apply { meta.tcp_len = hdr.ipv4.len - 20; t.apply(); }""");
        CompiledProgram p = Compiler.compileText("t.p4", prog);
        TableDef t = p.table("I.t");
        t.defaultEntryState.meter.configure(1, 1, 1, 1, System.nanoTime());
        V1ModelPipeline pipe = new V1ModelPipeline(p, new Replication());
        byte[] in = Packets.tcp(1, 2, "192.168.0.1", "10.0.0.1", 1234, 80, 64, 0, new byte[0]);
        assertEquals(1 + MeterState.GREEN, pipe.process(0, in).get(0).port());
        assertEquals(1 + MeterState.RED, pipe.process(0, in).get(0).port());
    }
}
