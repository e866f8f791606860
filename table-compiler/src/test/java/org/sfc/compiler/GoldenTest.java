package org.sfc.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sfc.catalog.CatalogLoader;

import com.google.protobuf.TextFormat;

import p4.config.v1.P4InfoOuterClass.P4Info;

/**
 * Each example catalog (examples/*.yaml, one per seed figure) compiles to exactly the entities in its golden
 * file (readable, one per line). To accept a deliberate change: run with -Dgolden.update=true and review
 * the diff of src/test/resources/golden/.
 */
class GoldenTest {
    static final Path EXAMPLES = Path.of("../examples");
    static final Path GOLDEN = Path.of("src/test/resources/golden");

    static Schema schema() throws Exception {
        P4Info.Builder b = P4Info.newBuilder();
        TextFormat.merge(Files.readString(Path.of("../p4src/v1model/sfc.p4info.txtpb")), b);
        return new Schema(b.build());
    }

    static Stream<String> examples() throws IOException {
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml"))
                    .map(n -> n.substring(0, n.length() - ".yaml".length())).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void compilesToItsGoldenEntities(String example) throws Exception {
        String text = TableCompiler.compile(CatalogLoader.load(EXAMPLES.resolve(example + ".yaml")), schema(),
                Ids.empty()).state().text();
        Path file = GOLDEN.resolve(example + ".txt");
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(file, text);
        }
        assertTrue(Files.exists(file), "no golden file for examples/" + example + ".yaml: run with -Dgolden.update=true");
        assertEquals(Files.readString(file), text, "entities of examples/" + example + ".yaml");
    }

    @Test
    void everySeedFigureTheIssueNamesHasAnExample() throws Exception {
        List<String> have = examples().toList();
        for (String figure : List.of("5", "6", "7", "8", "9", "9c", "11", "12", "13", "14", "15b", "16", "17f", "20", "23")) {
            assertTrue(have.contains("figure-" + figure), "examples/figure-" + figure + ".yaml is missing");
        }
    }
}
