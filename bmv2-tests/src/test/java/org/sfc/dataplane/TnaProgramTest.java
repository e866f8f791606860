package org.sfc.dataplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sfc.catalog.Catalog;
import org.sfc.catalog.CatalogLoader;
import org.sfc.compiler.DesiredState;
import org.sfc.compiler.Ids;
import org.sfc.compiler.Schema;
import org.sfc.compiler.TableCompiler;
import org.sfc.dataplane.target.SoftwareSwitchTarget;

import com.google.protobuf.TextFormat;

import p4.config.v1.P4InfoOuterClass.P4Info;

/**
 * p4src/tna/sfc.p4 with the real Tofino compiler: it fits Tofino 1 (and Tofino 2) without a warning, its P4Info
 * (made standard by TofinoP4Info) is the software switch's, and the table compiler turns every seed catalog into the
 * same entries against it as against the v1model one (names, not ids).
 */
class TnaProgramTest {
    static final Path PROGRAM = Path.of("../p4src/tna/sfc.p4");

    static BfP4c.Result result;

    @BeforeAll
    static void compile() throws Exception {
        if (BfP4c.unavailable() == null) {
            result = BfP4c.compile(PROGRAM, false);
        }
    }

    @Test
    void bfP4cFitsItInTwelveStagesOfTofino1() {
        Assumptions.assumeTrue(result != null, BfP4c.unavailable());
        assertEquals(0, result.exitCode(), result.log());
        assertTrue(result.binary(), "no tofino.bin: " + result.log());
        assertTrue(result.ingressStages() > 0 && result.ingressStages() <= 12, "ingress stages: " + result.ingressStages());
        assertEquals(List.of(), result.diagnostics(), "bf-p4c's warnings and errors");
    }

    @Test
    void theSameSourceFitsTofino2() throws Exception {
        Assumptions.assumeTrue(result != null, BfP4c.unavailable());
        BfP4c.Result t2 = BfP4c.compile(PROGRAM, true);
        assertEquals(0, t2.exitCode(), t2.log());
        assertTrue(t2.binary(), "no tofino2.bin: " + t2.log());
        assertTrue(t2.ingressStages() > 0 && t2.ingressStages() <= 20, "ingress stages: " + t2.ingressStages());
        assertEquals(List.of(), t2.diagnostics(), "bf-p4c's warnings and errors (Tofino 2)");
    }

    @Test
    void theTableCompilerWritesTheSameEntriesFromBfP4csP4Info() throws Exception {
        Assumptions.assumeTrue(result != null, BfP4c.unavailable());
        Schema tna = new Schema(result.p4info());
        Schema v1model = new Schema(SfcProgramTest.checkedInP4Info());
        try (Stream<Path> files = Files.list(Path.of("../examples"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                Catalog c = CatalogLoader.load(f);
                assertEquals(describe(TableCompiler.compile(c, v1model, Ids.empty()).state()),
                        describe(TableCompiler.compile(c, tna, Ids.empty()).state()), f.toString());
            }
        }
    }

    @Test
    void theSoftwareSwitchDerivesBfP4csP4Info() {
        Assumptions.assumeTrue(result != null, BfP4c.unavailable());
        // Ids included: tables and actions by @id, TNA's counters and meters by bf-p4c's name hash. (bf-p4c's
        // Tofino-only externs, its hash configuration and port metadata, have no standard form and are left out.)
        P4Info ours = SoftwareSwitchTarget.pipelineOf(SoftwareSwitchTarget.TNA_PROGRAM).p4info();
        P4Info theirs = result.p4info();
        assertEquals(TextFormat.printer().printToString(theirs), TextFormat.printer().printToString(ours));
    }

    private static List<String> describe(DesiredState s) {
        return s.entities().stream().map(s::describe).toList();
    }
}
