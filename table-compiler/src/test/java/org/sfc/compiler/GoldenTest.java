package org.sfc.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.sfc.catalog.CatalogLoader;

import com.google.protobuf.TextFormat;

import p4.config.v1.P4InfoOuterClass.P4Info;

/**
 * Each example catalog compiles to exactly the entities in its golden file (readable, one per line).
 * To accept a deliberate change: run with -Dgolden.update=true and review the diff.
 */
class GoldenTest {
    static Schema schema() throws Exception {
        P4Info.Builder b = P4Info.newBuilder();
        TextFormat.merge(Files.readString(Path.of("../p4src/v1model/sfc.p4info.txtpb")), b);
        return new Schema(b.build());
    }

    static void golden(String example) throws Exception {
        String text = TableCompiler.compile(CatalogLoader.load(Path.of("../examples/" + example + ".yaml")), schema(),
                Ids.empty()).state().text();
        Path file = Path.of("src/test/resources/golden/" + example + ".txt");
        if (Boolean.getBoolean("golden.update") || !Files.exists(file)) {
            Files.writeString(file, text);
        }
        assertEquals(Files.readString(file), text, "entities of examples/" + example + ".yaml");
    }

    @Test
    void figure7() throws Exception {
        golden("figure-7");
    }
}
