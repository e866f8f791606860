package org.sfc.sw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.sfc.sw.compile.CompiledProgram;
import org.sfc.sw.compile.Compiler;
import org.sfc.sw.frontend.FrontendException;
import org.sfc.sw.p4info.P4InfoBuilder;
import org.sfc.sw.runtime.PacketPipeline;
import org.sfc.sw.runtime.Replication;
import org.sfc.sw.runtime.TableDef;
import org.sfc.sw.runtime.V1ModelPipeline.Output;

/**
 * The tna model (software-switch/README.md, "TNA"), one rule per test, on a small TNA program: what reaches egress
 * of ingress, drop_ctl, an unset ucast_egress_port, parser_err flags, ingress mirroring with the clone session's
 * replica as egress_rid, the residual checksum, DirectCounter counting only on count(), and Meter's colors.
 */
class TnaModelTest {
    /** Ingress code goes into %s, with hdr, meta, ig (intrinsic), prsr, dprsr and tm in scope. */
    static final String PROGRAM = """
            #include <core.p4>
            #include <tna.p4>
            header bridge_t { bit<8> kind; bit<16> residual; }
            header mirror_t { bit<8> kind; bit<8> mark; }
            header eth_t { bit<48> dst; bit<48> src; bit<16> type; }
            header data_t { bit<16> a; bit<16> b; bit<16> csum; }
            header rid_t { bit<16> rid; bit<16> err; }
            struct headers_t { mirror_t mirror; bridge_t bridge; eth_t eth; data_t data; rid_t rid; }
            struct meta_t { bit<16> residual; MirrorId_t session; bit<8> color; bit<8> kind; }

            parser IP(packet_in pkt, out headers_t hdr, out meta_t meta, out ingress_intrinsic_metadata_t ig) {
                Checksum() c;
                state start {
                    pkt.extract(ig);
                    pkt.advance(PORT_METADATA_SIZE);
                    meta = { 0, 0, 0, 0 };
                    pkt.extract(hdr.eth);
                    transition select(hdr.eth.type) { 0x88b5: data; default: accept; }
                }
                state data {
                    pkt.extract(hdr.data);
                    c.subtract({ hdr.data.a, hdr.data.csum });
                    c.subtract_all_and_deposit(meta.residual);
                    transition accept;
                }
            }

            control I(inout headers_t hdr, inout meta_t meta, in ingress_intrinsic_metadata_t ig,
                      in ingress_intrinsic_metadata_from_parser_t prsr,
                      inout ingress_intrinsic_metadata_for_deparser_t dprsr,
                      inout ingress_intrinsic_metadata_for_tm_t tm) {
                DirectCounter<bit<32>>(CounterType_t.PACKETS_AND_BYTES) hits;
                Meter<bit<2>>(4, MeterType_t.PACKETS) limit;
                action counted(PortId_t port) { tm.ucast_egress_port = port; hits.count(); }
                action uncounted(PortId_t port) { tm.ucast_egress_port = port; }
                table route {
                    key = { hdr.eth.dst: exact; }
                    actions = { counted; uncounted; }
                    counters = hits;
                    size = 16;
                }
                apply {
                    hdr.bridge.setValid();
                    hdr.bridge.kind = 1;
                    hdr.bridge.residual = meta.residual;
                    hdr.eth.src = (bit<48>) prsr.parser_err;
                    %s
                }
            }

            control ID(packet_out pkt, inout headers_t hdr, in meta_t meta,
                       in ingress_intrinsic_metadata_for_deparser_t dprsr) {
                Mirror() mirror;
                apply {
                    if (dprsr.mirror_type == 1) {
                        mirror.emit<mirror_t>(meta.session, { 2, 0x5a });
                    }
                    pkt.emit(hdr);
                }
            }

            parser EP(packet_in pkt, out headers_t hdr, out meta_t meta, out egress_intrinsic_metadata_t eg) {
                state start {
                    pkt.extract(eg);
                    meta = { 0, 0, 0, 0 };
                    transition select(pkt.lookahead<bit<8>>()) { 2: copy; default: original; }
                }
                state copy { pkt.extract(hdr.mirror); transition original; }
                state original { pkt.extract(hdr.bridge); pkt.extract(hdr.eth); transition select(hdr.eth.type) {
                    0x88b5: data; default: accept; } }
                state data { pkt.extract(hdr.data); transition accept; }
            }

            control E(inout headers_t hdr, inout meta_t meta, in egress_intrinsic_metadata_t eg,
                      in egress_intrinsic_metadata_from_parser_t prsr,
                      inout egress_intrinsic_metadata_for_deparser_t dprsr,
                      inout egress_intrinsic_metadata_for_output_port_t oport) {
                apply {
                    // What egress saw: the replica's rid, and whether a mirror header came first.
                    hdr.rid.setValid();
                    hdr.rid.rid = eg.egress_rid;
                    hdr.rid.err = (bit<16>) hdr.mirror.mark;
                    meta.residual = hdr.bridge.residual;
                    hdr.bridge.setInvalid();
                    hdr.mirror.setInvalid();
                    if (hdr.data.isValid() && hdr.data.b == 0xdead) { dprsr.drop_ctl = 1; }
                }
            }

            control ED(packet_out pkt, inout headers_t hdr, in meta_t meta,
                       in egress_intrinsic_metadata_for_deparser_t dprsr) {
                Checksum() c;
                apply {
                    if (hdr.data.isValid()) {
                        hdr.data.csum = c.update({ hdr.data.a, meta.residual });
                    }
                    pkt.emit(hdr);
                }
            }

            Pipeline(IP(), I(), ID(), EP(), E(), ED()) pipe;
            Switch(pipe) main;
            """;

    static final int DATA = 0x88b5;

    static PacketPipeline pipeline(String ingress, Replication rep) {
        CompiledProgram p = Compiler.compileText("t.p4", PROGRAM.formatted(ingress));
        assertTrue(p.isTna());
        return PacketPipeline.of(p, rep);
    }

    static byte[] frame(int type, int... words) {
        byte[] b = new byte[14 + 2 * words.length + 4];
        b[5] = 1; // dst 00:00:00:00:00:01
        b[12] = (byte) (type >>> 8);
        b[13] = (byte) type;
        for (int i = 0; i < words.length; i++) {
            b[14 + 2 * i] = (byte) (words[i] >>> 8);
            b[15 + 2 * i] = (byte) words[i];
        }
        b[b.length - 1] = 0x77; // payload
        return b;
    }

    static int word(byte[] b, int off) {
        return ((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF);
    }

    @Test
    void egressSeesOnlyWhatTheIngressDeparserWroteAndTheBridgeHeaderIsGoneOnTheWire() {
        List<Output> out = pipeline("tm.ucast_egress_port = 7;", new Replication()).process(3, frame(0x0800));
        assertEquals(1, out.size());
        assertEquals(7, out.get(0).port());
        byte[] wire = out.get(0).data();
        // eth (14, source = parser_err 0), then the rid header egress added (rid 0, no mirror), then the payload.
        assertEquals(14 + 4 + 4, wire.length);
        assertEquals(0, word(wire, 10));
        assertEquals(0, word(wire, 14));
        assertEquals(0x77, wire[wire.length - 1]);
    }

    @Test
    void aPortIngressNeverSetMeansNoPacketAndDropCtlDrops() {
        assertEquals(List.of(), pipeline("", new Replication()).process(3, frame(0x0800)));
        assertEquals(List.of(), pipeline("tm.ucast_egress_port = 7; dprsr.drop_ctl = 1;", new Replication())
                .process(3, frame(0x0800)));
        // Bit 0 of egress's drop_ctl drops too (egress drops data whose b is 0xdead).
        assertEquals(List.of(), pipeline("tm.ucast_egress_port = 7;", new Replication())
                .process(3, frame(DATA, 1, 0xdead, 0)));
    }

    @Test
    void aTooShortPacketReachesIngressWithThePartialHeaderFlag() {
        byte[] runt = java.util.Arrays.copyOf(frame(DATA, 1, 2, 3), 16); // data header cut short
        List<Output> out = pipeline("tm.ucast_egress_port = 7;", new Replication()).process(3, runt);
        assertEquals(1, out.size());
        assertEquals(0x0002, word(out.get(0).data(), 10)); // PARSER_ERROR_PARTIAL_HDR, written into eth.src
    }

    @Test
    void anIngressMirrorGoesToEachReplicaWithItsInstanceAsEgressRidBeforeTheOriginal() {
        Replication rep = new Replication();
        rep.cloneSessions.put(5, new Replication.CloneSession(5, List.of(new Replication.Replica(9, 42),
                new Replication.Replica(10, 43)), 0, 0));
        List<Output> out = pipeline("tm.ucast_egress_port = 7; dprsr.mirror_type = 1; meta.session = 5;", rep)
                .process(3, frame(0x0800));
        assertEquals(List.of(9, 10, 7), out.stream().map(Output::port).toList());
        assertEquals(42, word(out.get(0).data(), 14));
        assertEquals(0x5a, word(out.get(0).data(), 16)); // the mirror header reached egress first
        assertEquals(43, word(out.get(1).data(), 14));
        assertEquals(0, word(out.get(2).data(), 14));
        assertEquals(0, word(out.get(2).data(), 16));
        // drop_ctl bit 2 stops the copy, not the original; no mirror_type, no copy.
        assertEquals(List.of(7), pipeline("tm.ucast_egress_port = 7; dprsr.mirror_type = 1; meta.session = 5;"
                + "dprsr.drop_ctl = 4;", rep).process(3, frame(0x0800)).stream().map(Output::port).toList());
        assertEquals(List.of(7), pipeline("tm.ucast_egress_port = 7; meta.session = 5;", rep)
                .process(3, frame(0x0800)).stream().map(Output::port).toList());
    }

    @Test
    void theResidualChecksumPlusTheNewFieldsIsTheChecksumOfTheWholeHeader() {
        // data = (a, b, csum) with csum the Internet checksum of a and b; a becomes 0x1234 on the way: the egress
        // deparser adds the new a to the residual (b, all that was not subtracted).
        int a = 0x0a0b, b = 0xc0de;
        int csum = (int) org.sfc.sw.exec.Hashes.csum16(new byte[] {0x0a, 0x0b, (byte) 0xc0, (byte) 0xde}, 4);
        List<Output> out = pipeline("tm.ucast_egress_port = 7; hdr.data.a = 0x1234;", new Replication())
                .process(3, frame(DATA, a, b, csum));
        byte[] wire = out.get(0).data();
        int expected = (int) org.sfc.sw.exec.Hashes.csum16(new byte[] {0x12, 0x34, (byte) 0xc0, (byte) 0xde}, 4);
        assertEquals(expected, word(wire, 18));
    }

    @Test
    void aDirectCounterCountsOnlyWhereTheActionCallsCount() {
        for (String action : List.of("counted", "uncounted")) {
            CompiledProgram p = Compiler.compileText("t.p4", PROGRAM.replace("actions = { counted; uncounted; }",
                    "actions = { counted; uncounted; } default_action = " + action + "(7);").formatted("route.apply();"));
            TableDef route = p.tables().get(0);
            assertTrue(route.directCounter.countedByAction);
            PacketPipeline pipe = PacketPipeline.of(p, new Replication());
            assertEquals(7, pipe.process(3, frame(0x0800)).get(0).port());
            pipe.process(3, frame(0x0800));
            // v1model's direct_counter would count both packets whatever the action.
            assertEquals(action.equals("counted") ? 2 : 0, route.defaultEntryState.packets, action);
        }
    }

    @Test
    void aMeterAnswersTnaColorsGreenZeroAndRedThree() {
        CompiledProgram p = Compiler.compileText("t.p4", PROGRAM.formatted(
                "meta.color = limit.execute(0); tm.ucast_egress_port = (bit<9>) meta.color + 9w10;"));
        p.meters().get(0).cells[0].configure(1, 1, 1, 1, System.nanoTime());
        PacketPipeline pipe = PacketPipeline.of(p, new Replication());
        assertEquals(10, pipe.process(3, frame(0x0800)).get(0).port()); // MeterColor_t.GREEN
        assertEquals(13, pipe.process(3, frame(0x0800)).get(0).port()); // MeterColor_t.RED
    }

    @Test
    void whatTheModelDoesNotRunIsRefusedNotIgnored() {
        FrontendException e = org.junit.jupiter.api.Assertions.assertThrows(FrontendException.class,
                () -> Compiler.compileText("t.p4", PROGRAM.replace("Meter<bit<2>>(4, MeterType_t.PACKETS) limit;",
                        "Register<bit<32>, bit<2>>(4) reg;").formatted("")));
        assertTrue(e.getMessage().contains("unsupported: extern Register"), e.getMessage());
    }

    @Test
    void theBuiltInTnaP4ReadsTheSfcProgramAsIntelsDoes() throws Exception {
        java.nio.file.Path sfc = java.nio.file.Path.of("../p4src/tna/sfc.p4");
        CompiledProgram builtin = Compiler.compile(org.sfc.sw.frontend.AstBuilder.parse(
                org.sfc.sw.frontend.Preprocessor.runWithBuiltinIncludes(sfc, List.of())));
        String ours = P4InfoBuilder.toText(P4InfoBuilder.build(builtin));
        assertTrue(ours.contains("arch: \"tna\""), ours);
        var intel = org.sfc.sw.frontend.Preprocessor.p4cIncludeDir().map(d -> d.resolve("tna.p4"))
                .filter(java.nio.file.Files::isRegularFile);
        org.junit.jupiter.api.Assumptions.assumeTrue(intel.isPresent(),
                "Intel's tna.p4 is not installed (p4c --target tofino): nothing to compare the built-in one with");
        assertEquals(P4InfoBuilder.toText(P4InfoBuilder.build(Compiler.compileFile(sfc, List.of()))), ours);
    }
}
