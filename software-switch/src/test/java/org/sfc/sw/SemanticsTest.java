package org.sfc.sw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sfc.sw.compile.CompiledProgram;
import org.sfc.sw.compile.Compiler;
import org.sfc.sw.exec.Hashes;
import org.sfc.sw.frontend.FrontendException;
import org.sfc.sw.runtime.Replication;
import org.sfc.sw.runtime.V1ModelPipeline;
import org.sfc.sw.testing.Packets;

/**
 * Pins the language rules the interpreter must share with p4c/BMv2, each with a small program: a header
 * h (a:8, b:8, c:16, d:32) is parsed from the packet, the ingress snippet runs, and h is emitted to port 1.
 */
class SemanticsTest {
    static String program(String decls, String ingress) {
        return """
                #include <core.p4>
                #include <v1model.p4>
                header h_t { bit<8> a; bit<8> b; bit<16> c; bit<32> d; }
                struct headers_t { h_t h; }
                struct meta_t { bit<8> x; bit<16> y; }
                parser P(packet_in pkt, out headers_t hdr, inout meta_t meta, inout standard_metadata_t sm) {
                    state start { pkt.extract(hdr.h); transition accept; }
                }
                control VC(inout headers_t hdr, inout meta_t meta) { apply {} }
                %s
                control I(inout headers_t hdr, inout meta_t meta, inout standard_metadata_t sm) {
                    apply {
                        sm.egress_spec = 1;
                        %s
                    }
                }
                control E(inout headers_t hdr, inout meta_t meta, inout standard_metadata_t sm) { apply {} }
                control CC(inout headers_t hdr, inout meta_t meta) { apply {} }
                control D(packet_out pkt, in headers_t hdr) { apply { pkt.emit(hdr.h); } }
                V1Switch(P(), VC(), I(), E(), CC(), D()) main;
                """.formatted(decls, ingress);
    }

    static final byte[] IN = {(byte) 0xF0, 0x05, 0x12, 0x34, (byte) 0x80, 0, 0, 0x01, 'x'};

    /** Runs IN through the program; returns the emitted bytes (h plus payload), or null if dropped. */
    static byte[] run(String decls, String ingress, byte[] in) {
        CompiledProgram p = Compiler.compileText("t.p4", program(decls, ingress));
        List<V1ModelPipeline.Output> out = new V1ModelPipeline(p, new Replication()).process(0, in);
        return out.isEmpty() ? null : out.get(0).data();
    }

    static String runHex(String ingress) {
        byte[] b = run("", ingress, IN);
        return b == null ? "dropped" : Packets.hex(b);
    }

    @Test
    void unsignedArithmeticWrapsAtTheFieldWidth() {
        assertEquals("f5051234800000017" + "8", runHex("hdr.h.a = hdr.h.a + 8w5;"));
        assertEquals("04051234800000017" + "8", runHex("hdr.h.a = hdr.h.a + 20;"));
        assertEquals("fb051234800000017" + "8", runHex("hdr.h.a = hdr.h.b - 10;"));
        assertEquals("d0051234800000017" + "8", runHex("hdr.h.a = hdr.h.a * 3;"));
    }

    @Test
    void saturatingOperatorsClampInsteadOfWrapping() {
        assertEquals("ff051234800000017" + "8", runHex("hdr.h.a = hdr.h.a |+| 8w100;"));
        assertEquals("00051234800000017" + "8", runHex("hdr.h.a = hdr.h.b |-| 8w6;"));
        assertEquals("eb051234800000017" + "8", runHex("hdr.h.a = hdr.h.a |-| hdr.h.b;"));
    }

    @Test
    void shiftsPastTheWidthGiveZeroAndSignedShiftsExtendTheSign() {
        assertEquals("00051234800000017" + "8", runHex("hdr.h.a = hdr.h.a << 8;"));
        assertEquals("e0051234800000017" + "8", runHex("hdr.h.a = hdr.h.a << 1;"));
        assertEquals("3c051234800000017" + "8", runHex("hdr.h.a = hdr.h.a >> 2;"));
        assertEquals("fc051234800000017" + "8", runHex("hdr.h.a = (bit<8>)((int<8>)hdr.h.a >> 2);"));
    }

    @Test
    void slicesConcatenationAndSliceAssignment() {
        assertEquals("0f051234800000017" + "8", runHex("hdr.h.a = (bit<8>) hdr.h.a[7:4];"));
        assertEquals("f0053412800000017" + "8", runHex("hdr.h.c = hdr.h.c[7:0] ++ hdr.h.c[15:8];"));
        // & binds tighter than |: (0x800005a1 & 0x80000ffd) | 1.
        assertEquals("f0051234800005a1" + "78", runHex("hdr.h.d[11:4] = 8w0x5a; hdr.h.d[0:0] = 1w1; "
                + "hdr.h.d = hdr.h.d & 32w0x80000ffd | 32w0x1;"));
    }

    @Test
    void castsTruncateExtendAndReinterpret() {
        assertEquals("00051234800000017" + "8", runHex("hdr.h.a = (bit<8>)(bit<4>) hdr.h.a;"));
        assertEquals("f005fff0800000017" + "8", runHex("hdr.h.c = (bit<16>)(int<16>)(int<8>) hdr.h.a;"));
        assertEquals("f00500f0800000017" + "8", runHex("hdr.h.c = (bit<16>) hdr.h.a;"));
        assertEquals("01051234800000017" + "8", runHex("hdr.h.a = (bit<8>)(bit<1>)(hdr.h.b == 5);"));
    }

    @Test
    void castChangingWidthAndSignednessAtOnceIsRejectedLikeP4c() {
        FrontendException e = assertThrows(FrontendException.class,
                () -> run("", "hdr.h.c = (bit<16>)(int<8>) hdr.h.a;", IN));
        assertTrue(e.getMessage().contains("t.p4:") && e.getMessage().contains("cannot cast int<8> to bit<16> in one step"),
                e.getMessage());
    }

    /**
     * Unlike C, P4's bitwise operators bind tighter than its comparisons (p4c's grammar: == != < relational < | < ^
     * < &): {@code a & 0x12 == 0x10} is {@code (a & 0x12) == 0x10}; in C's reading it would not even type-check
     * (bit<8> & bool). a = 0xF0: (0xF0 & 0x12) = 0x10; (0xF0 | 0x01) > 0xF0; 5 ^ 1 != 4 is false.
     */
    @Test
    void bitwiseOperatorsBindTighterThanComparisons() {
        assertEquals("01051234800000017" + "8",
                runHex("if (hdr.h.a & 8w0x12 == 8w0x10) { hdr.h.a = 1; } else { hdr.h.a = 2; }"));
        assertEquals("01051234800000017" + "8",
                runHex("if (hdr.h.a | 8w1 > 8w0xF0) { hdr.h.a = 1; } else { hdr.h.a = 2; }"));
        assertEquals("02051234800000017" + "8",
                runHex("if (hdr.h.b ^ 8w1 != 8w4) { hdr.h.a = 1; } else { hdr.h.a = 2; }"));
    }

    @Test
    void comparisonsOfBitValuesAreUnsigned() {
        assertEquals("01051234800000017" + "8", runHex("if (hdr.h.a > 8w1) { hdr.h.a = 1; } else { hdr.h.a = 2; }"));
        assertEquals("02051234800000017" + "8",
                runHex("if ((int<8>)hdr.h.a > 8s1) { hdr.h.a = 1; } else { hdr.h.a = 2; }"));
    }

    @Test
    void exitEndsIngressAndReturnEndsOnlyTheEnclosingAction() {
        assertEquals("01051234800000017" + "8", runHex("hdr.h.a = 1; exit; hdr.h.a = 2;"));
        String prog = program("", "").replace("control I(inout headers_t hdr, inout meta_t meta, inout standard_metadata_t sm) {",
                """
                control I(inout headers_t hdr, inout meta_t meta, inout standard_metadata_t sm) {
                    action early() { hdr.h.a = 7; return; hdr.h.a = 8; }
                """).replace("sm.egress_spec = 1;", "sm.egress_spec = 1; early(); hdr.h.b = 9;");
        byte[] out = new V1ModelPipeline(Compiler.compileText("t.p4", prog), new Replication()).process(0, IN)
                .get(0).data();
        assertEquals("07091234800000017" + "8", Packets.hex(out));
    }

    @Test
    void headerValidityControlsEmission() {
        assertEquals("78", runHex("hdr.h.setInvalid();"));
        assertEquals("dropped", runHex("if (hdr.h.isValid()) { mark_to_drop(sm); }"));
    }

    @Test
    void nestedControlsCopyInAndCopyOut() {
        String decls = """
                control Inner(inout bit<8> v, out bit<16> o, in bit<8> k) {
                    apply { v = v + k; o = 16w0xbeef; }
                }
                """;
        String prog = program(decls, "").replace(
                "control I(inout headers_t hdr, inout meta_t meta, inout standard_metadata_t sm) {",
                "control I(inout headers_t hdr, inout meta_t meta, inout standard_metadata_t sm) {\n Inner() inner;")
                .replace("sm.egress_spec = 1;", "sm.egress_spec = 1; inner.apply(hdr.h.a, hdr.h.c, hdr.h.b);");
        byte[] res = new V1ModelPipeline(Compiler.compileText("t.p4", prog), new Replication()).process(0, IN)
                .get(0).data();
        // a += b (inout), c = 0xbeef (out), b unchanged (in).
        assertEquals("f505beef800000017" + "8", Packets.hex(res));
    }

    @Test
    void switchOnActionRunWithFallthroughAndDefault() {
        String decls = "";
        String prog = program(decls, "").replace("control I(inout headers_t hdr, inout meta_t meta, inout standard_metadata_t sm) {",
                """
                control I(inout headers_t hdr, inout meta_t meta, inout standard_metadata_t sm) {
                    action a1() { hdr.h.b = 1; }
                    action a2() { hdr.h.b = 2; }
                    action a3() { hdr.h.b = 3; }
                    table t {
                        key = { hdr.h.a : exact; }
                        actions = { a1; a2; a3; }
                        const entries = { 0xF0 : a2(); 0xF1 : a3(); }
                        default_action = a1();
                    }
                """).replace("sm.egress_spec = 1;", """
                sm.egress_spec = 1;
                switch (t.apply().action_run) {
                    a1:
                    a2: { hdr.h.c = 16w0xaaaa; }
                    default: { hdr.h.c = 16w0xbbbb; }
                }
                """);
        CompiledProgram p = Compiler.compileText("t.p4", prog);
        V1ModelPipeline pipe = new V1ModelPipeline(p, new Replication());
        assertEquals("f002aaaa800000017" + "8", Packets.hex(pipe.process(0, IN).get(0).data()));
        byte[] in2 = IN.clone();
        in2[0] = (byte) 0xF1;
        assertEquals("f103bbbb800000017" + "8", Packets.hex(pipe.process(0, in2).get(0).data()));
        byte[] in3 = IN.clone();
        in3[0] = 0x00;
        assertEquals("0001aaaa800000017" + "8", Packets.hex(pipe.process(0, in3).get(0).data()));
    }

    @Test
    void parserSelectWithMasksRangesDefaultAndLookahead() {
        String prog = program("", "").replace("state start { pkt.extract(hdr.h); transition accept; }", """
                state start {
                    meta.x = pkt.lookahead<bit<8>>();
                    transition select(meta.x, pkt.lookahead<bit<16>>()[7:0]) {
                        (8w0xF0 &&& 8w0xF0, 8w5): masked;
                        (8w0x10 .. 8w0x20, _): ranged;
                        default: plain;
                    }
                }
                state masked { pkt.extract(hdr.h); hdr.h.b = 0xAA; transition accept; }
                state ranged { pkt.extract(hdr.h); hdr.h.b = 0xBB; transition accept; }
                state plain { pkt.extract(hdr.h); transition accept; }
                """);
        V1ModelPipeline pipe = new V1ModelPipeline(Compiler.compileText("t.p4", prog), new Replication());
        assertEquals("f0aa", Packets.hex(pipe.process(0, IN).get(0).data()).substring(0, 4));
        byte[] r = IN.clone();
        r[0] = 0x15;
        assertEquals("15bb", Packets.hex(pipe.process(0, r).get(0).data()).substring(0, 4));
        byte[] d = IN.clone();
        d[0] = 0x01;
        assertEquals("0105", Packets.hex(pipe.process(0, d).get(0).data()).substring(0, 4));
    }

    @Test
    void parserErrorsReachIngressWithTheErrorSet() {
        String ingress = """
                if (sm.parser_error == error.PacketTooShort) { sm.egress_spec = 2; }
                """;
        CompiledProgram p = Compiler.compileText("t.p4", program("", ingress));
        List<V1ModelPipeline.Output> out = new V1ModelPipeline(p, new Replication()).process(0, new byte[] {1, 2, 3});
        assertEquals(1, out.size());
        assertEquals(2, out.get(0).port());
        assertEquals("010203", Packets.hex(out.get(0).data()), "h was not extracted: the bytes stay as payload");
    }

    @Test
    void hashExternComputesCrc16OverThePackedFields() {
        byte[] out = run("", "hash(hdr.h.c, HashAlgorithm.crc16, 16w0, { hdr.h.a, hdr.h.b }, 32w65536);", IN);
        long expected = Hashes.crc16(new byte[] {(byte) 0xF0, 0x05}, 2);
        assertEquals(String.format("%04x", expected), Packets.hex(out).substring(4, 8));
    }

    @Test
    void hashCheckValuesMatchTheNamedAlgorithms() {
        byte[] check = "123456789".getBytes();
        assertEquals(0xBB3D, Hashes.crc16(check, check.length));
        assertEquals(0xCBF43926L, Hashes.crc32(check, check.length));
        byte[] hdr = {0x45, 0, 0, 0x73, 0, 0, 0x40, 0, 0x40, 0x11, 0, 0, (byte) 0xc0, (byte) 0xa8, 0, 1,
                (byte) 0xc0, (byte) 0xa8, 0, (byte) 0xc7};
        assertEquals(0xB861, Hashes.csum16(hdr, hdr.length));
    }

    // ------------------------------------------------------------------ errors

    static String compileError(String decls, String ingress) {
        return assertThrows(FrontendException.class, () -> Compiler.compileText("t.p4", program(decls, ingress)))
                .getMessage();
    }

    @Test
    void errorsNameFileLineColumnAndTheProblem() {
        // The snippet sits on line 14 of the generated program, indented by 8 columns.
        assertEquals("t.p4:14:19: unknown name 'nosuch'", compileError("", "hdr.h.a = nosuch;"));
        assertEquals("t.p4:14:19: expected bit<8> but the expression has type bit<16>; use a cast such as (bit<8>)",
                compileError("", "hdr.h.a = hdr.h.c;"));
        assertEquals("t.p4:14:9: h_t has no field 'zz'", compileError("", "hdr.h.zz = 1;"));
        assertTrue(compileError("", "hdr.h.a = ;").startsWith("t.p4:14:19: syntax error"),
                compileError("", "hdr.h.a = ;"));
    }

    @Test
    void unsupportedConstructsAreRejectedNotIgnored() {
        assertEquals("t.p4:10:14: unsupported: header stacks", compileError("struct s_t { h_t[2] stack; }", ""));
        assertTrue(compileError("", "resubmit_preserving_field_list(8w1);")
                .contains("unsupported: extern function resubmit_preserving_field_list"));
        assertTrue(compileError("", "bit<128> wide = 0;").contains("unsupported: bit<128>"));
    }

    @Test
    void functionLikeMacrosExpandArgumentsAndRescan() {
        String decls = """
                #define ADD(x, y) ((x) + (y))
                #define SET(f, v) hdr.h.f = v
                #define TWICE(v) ADD(v, v)
                """;
        assertEquals("0a2a123480000001" + "78", // a = 5 + 5, b = 5 + 37
                Packets.hex(run(decls, "SET(a, TWICE(8w5)); SET(b, ADD(hdr.h.b, (bit<8>) 37));", IN)));
        FrontendException e = assertThrows(FrontendException.class, () -> run("#define G(a, b) a\n", "G(1);", IN));
        assertTrue(e.getMessage().contains("macro G takes 2 arguments, got 1"), e.getMessage());
    }

    @Test
    void structValuedExpressionsGiveFieldsByNameInAnyOrder() {
        // P4-16 8.13: { f = v, ... }; nested, and a header made valid by it; every field once.
        String decls = "struct pair_t { bit<8> x; bit<8> y; } struct two_t { pair_t p; bit<16> z; }";
        assertEquals("02011234000000077" + "8", Packets.hex(run(decls,
                "two_t t = { z = 16w7, p = { y = 8w1, x = 8w2 } }; hdr.h.a = t.p.x; hdr.h.b = t.p.y; "
                        + "hdr.h = { d = (bit<32>) t.z, c = hdr.h.c, b = hdr.h.b, a = hdr.h.a };", IN)));
        assertTrue(compileError(decls, "pair_t p = { x = 8w1 };").endsWith("field 'y' of pair_t is not given"));
        assertTrue(compileError(decls, "pair_t p = { x = 8w1, y = 8w2, w = 8w3 };").endsWith("pair_t has no field 'w'"));
        assertTrue(compileError(decls, "pair_t p = { x = 8w1, x = 8w2 };").endsWith("field 'x' is given twice"));
    }

    @Test
    void variadicMacrosTakeTheRemainingArgumentsWithTheirCommas() {
        // cpp's __VA_ARGS__: how a macro passes a list such as { a, b, c } (braces do not group macro arguments).
        String decls = """
                #define ADD(x, y) ((x) + (y))
                #define ADD3(x, y, z) ((x) + (y) + (z))
                #define SET(f, v) hdr.h.f = v
                #define SUM(first, ...) ADD3(first, __VA_ARGS__)
                """;
        assertEquals("122a123480000001" + "78", // a = 5 + 6 + 7, b = 5 + 37
                Packets.hex(run(decls, "SET(a, SUM(8w5, 8w6, 8w7)); SET(b, ADD(hdr.h.b, (bit<8>) 37));", IN)));
        FrontendException e = assertThrows(FrontendException.class,
                () -> run("#define V(a, b, ...) a\n", "V(1);", IN));
        assertTrue(e.getMessage().contains("macro V takes at least 2 arguments, got 1"), e.getMessage());
    }

    @Test
    void preprocessorDefinesConditionalsAndRelativeIncludes(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("inc"));
        Files.writeString(dir.resolve("inc/consts.p4"), """
                #ifndef CONSTS
                #define CONSTS
                #define PORT 9
                #endif
                """);
        Files.writeString(dir.resolve("main.p4"), "#include \"inc/consts.p4\"\n#include \"inc/consts.p4\"\n"
                + program("", """
                #ifdef PORT
                sm.egress_spec = PORT;
                #else
                sm.egress_spec = 3;
                #endif
                #if defined(NOPE) || 0
                sm.egress_spec = 4;
                #endif
                """));
        CompiledProgram p = Compiler.compileFile(dir.resolve("main.p4"), List.of());
        assertEquals(9, new V1ModelPipeline(p, new Replication()).process(0, IN).get(0).port());
        Files.writeString(dir.resolve("bad.p4"), "#include \"missing.p4\"\n");
        FrontendException e = assertThrows(FrontendException.class,
                () -> Compiler.compileFile(dir.resolve("bad.p4"), List.of()));
        assertTrue(e.getMessage().startsWith(dir.resolve("bad.p4") + ":1:1: cannot find include file \"missing.p4\""),
                e.getMessage());
    }
}
