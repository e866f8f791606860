package org.sfc.dataplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.sfc.sw.ast.Ast;
import org.sfc.sw.compile.CompiledProgram;
import org.sfc.sw.compile.Compiler;
import org.sfc.sw.p4info.P4InfoBuilder;
import org.sfc.sw.testing.P4c;

import p4.config.v1.P4InfoOuterClass.P4Info;

/** Properties of p4src/ that the real p4c/BMv2 runs and the controller rely on. */
class SfcProgramTest {
    static final Path P4INFO = Path.of("../p4src/v1model/sfc.p4info.txtpb");

    /** The checked-in v1model P4Info (what the controller pushes to BMv2 and the software switch). */
    static P4Info checkedInP4Info() throws Exception {
        P4Info.Builder b = P4Info.newBuilder();
        com.google.protobuf.TextFormat.merge(Files.readString(P4INFO), b);
        return b.build();
    }

    static CompiledProgram program() throws Exception {
        return Compiler.compileFile(Sfc.PROGRAM, List.of());
    }

    @Test
    void theCheckedInP4InfoIsWhatTheFrontEndGeneratesFromTheSource() throws Exception {
        String generated = P4InfoBuilder.toText(P4InfoBuilder.build(program()));
        assertEquals(generated, Files.readString(P4INFO),
                "p4src/v1model/sfc.p4info.txtpb is stale: regenerate it with "
                        + "./sfc switch p4info -p p4src/v1model/sfc.p4 -o p4src/v1model/sfc.p4info.txtpb");
    }

    /** The metrics and `sfc stats` name drop reasons as the program numbers them (define.p4's DROP_* constants). */
    @Test
    void everyDropReasonTheProgramCountsHasTheNameTheControllerGivesIt() throws Exception {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("const bit<8> DROP_(\\w+)\\s*=\\s*(\\d+);")
                .matcher(Files.readString(Path.of("../p4src/include/define.p4")));
        int n = 0;
        while (m.find()) {
            assertEquals(m.group(1).toLowerCase(), org.sfc.controller.Accounting.dropReason(Long.parseLong(m.group(2))));
            n++;
        }
        assertTrue(n >= 10, "the regex read define.p4's reasons: " + n);
        assertEquals("reason " + (n + 1), org.sfc.controller.Accounting.dropReason(n + 1),
                "the controller names no reason the program does not define");
    }

    @Test
    void p4cCompilesItWithoutAWarning() throws Exception {
        Assumptions.assumeTrue(P4c.unavailable() == null, P4c.unavailable());
        P4c.Result r = P4c.compile(Sfc.PROGRAM);
        assertEquals(0, r.exitCode(), r.log());
        assertEquals(List.of(), r.diagnostics(), "p4c's warnings and errors");
    }

    @Test
    void everyTableActionCounterMeterSelectorAndControllerHeaderHasAnExplicitId() throws Exception {
        CompiledProgram p = program();
        List<String> missing = new ArrayList<>();
        p.tables().forEach(t -> check(t.annotations, t.name, missing));
        p.actions().stream().filter(a -> !a.name.equals("NoAction")) // core.p4's library action
                .forEach(a -> check(a.annotations, a.name, missing));
        p.counters().forEach(c -> check(c.annotations, c.name, missing));
        p.directCounters().forEach(c -> check(c.annotations, c.name, missing));
        p.meters().forEach(m -> check(m.annotations, m.name, missing));
        p.profiles().forEach(x -> check(x.annotations, x.name, missing));
        p.controllerHeaders().forEach(h -> check(h.type().annotations(), h.name(), missing));
        assertEquals(List.of(), missing, "objects without @id");
    }

    private static void check(Ast.Annotations a, String name, List<String> missing) {
        if (!a.has("id")) {
            missing.add(name);
        }
    }

    @Test
    void sizesFitARealDeployment() throws Exception {
        P4Info info = P4InfoBuilder.build(program());
        assertTrue(size(info, "classify_dst") >= 65536 && size(info, "classify_src") >= 65536, ">= 64k service addresses");
        assertTrue(size(info, "next_hop") >= 4096, ">= 4k next hops");
        int stepBits = info.getTablesList().stream().filter(t -> t.getPreamble().getAlias().equals("sequence"))
                .findFirst().orElseThrow().getMatchFieldsList().stream().filter(f -> f.getName().equals("step"))
                .findFirst().orElseThrow().getBitwidth();
        // A tag's top bit is its version; of the rest, 0 is the uplink's step and the top value the port marker, and a
        // service of n steps needs 2n tags (forward and reply).
        int tags = (1 << (stepBits - 1)) - 2;
        assertTrue(tags >= 2 * org.sfc.catalog.Validator.MAX_STEPS && org.sfc.catalog.Validator.MAX_STEPS >= 15,
                ">= 15 steps per sequence, under two versions");
    }

    private static long size(P4Info info, String alias) {
        return info.getTablesList().stream().filter(t -> t.getPreamble().getAlias().equals(alias)).findFirst()
                .orElseThrow().getSize();
    }
}
