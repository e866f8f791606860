package org.sfc.dataplane;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.sfc.dataplane.target.TargetKind;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sfc.catalog.CatalogLoader;
import org.sfc.compiler.DesiredState;
import org.sfc.compiler.Diff;
import org.sfc.compiler.Ids;
import org.sfc.compiler.Schema;
import org.sfc.compiler.TableCompiler;

import p4.v1.P4RuntimeOuterClass.*;

/**
 * Every example catalog's entities are valid P4Runtime writes for the program (canonical bytes, don't-care
 * matches omitted, priorities where needed, meters as MODIFY, references in order): the switch accepts the
 * diff from nothing, batch by batch over P4Runtime, and reads the same number of table entries back.
 */
@ParameterizedClass(name = "on the {0}")
@EnumSource(TargetKind.class)
class ExamplesOnSwitchTest {
    @Parameter
    TargetKind kind;
    @AutoClose
    Sfc sfc;

    static Stream<String> examples() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("../examples"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void theSwitchAcceptsEveryEntity(String example) throws Exception {
        sfc = new Sfc(kind.start());
        var result = TableCompiler.compile(CatalogLoader.load(Path.of("../examples", example)),
                new Schema(sfc.p4info), Ids.empty());
        // A fresh switch is programmed with the diff from nothing, batch by batch (meters are MODIFY).
        for (Diff.Batch batch : Diff.between(DesiredState.empty(result.state().schema()), result.state())) {
            try {
                sfc.write(batch.updates());
            } catch (AssertionError e) {
                throw new AssertionError(example + " (" + batch.label() + "): " + e.getMessage(), e);
            }
        }
        long tableEntries = result.state().entities().stream().filter(Entity::hasTableEntry).count();
        // The program's own const entries (TNA's frame_check) are read back too, but are not the catalog's.
        java.util.Set<Integer> constTables = new java.util.HashSet<>();
        sfc.p4info.getTablesList().stream().filter(t -> t.getIsConstTable())
                .forEach(t -> constTables.add(t.getPreamble().getId()));
        assertEquals(tableEntries, sfc.read(Entity.newBuilder().setTableEntry(TableEntry.getDefaultInstance()).build())
                .stream().filter(e -> !e.getTableEntry().getIsDefaultAction()
                        && !constTables.contains(e.getTableEntry().getTableId())).count());
    }
}
