package org.sfc.fuzz;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.sfc.catalog.Catalog;
import org.sfc.catalog.CatalogException;
import org.sfc.catalog.CatalogLoader;
import org.sfc.compiler.Ids;
import org.sfc.compiler.Schema;
import org.sfc.compiler.TableCompiler;

import com.google.protobuf.TextFormat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.BeforeContainer;

import p4.config.v1.P4InfoOuterClass.P4Info;

/**
 * Every example catalog, mutated (lines dropped, doubled or truncated, characters YAML cares about put in,
 * numbers and addresses made wrong): loading and compiling it either works or fails with a
 * {@link CatalogException} whose every problem is located ({@code file:line:col: message}), never with any
 * other exception. Fixed seed and budget here; a longer run: {@code -Djqwik.tries.default=20000} (see README).
 */
class CatalogFuzzTest {
    static List<String> names;
    static List<String> texts;
    static Schema schema;

    @BeforeContainer
    static void load() throws Exception {
        try (Stream<Path> files = Files.list(Path.of("../examples"))) {
            List<Path> examples = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
            names = examples.stream().map(p -> p.getFileName().toString()).toList();
            texts = examples.stream().map(CatalogFuzzTest::read).toList();
        }
        P4Info.Builder b = P4Info.newBuilder();
        TextFormat.merge(Files.readString(Path.of("../p4src/v1model/sfc.p4info.txtpb")), b);
        schema = new Schema(b.build());
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    record Mutated(String name, String text, String how) {}

    /** One mutation of a text, at a position given as a fraction of its length (so it suits every text). */
    record Mutation(int kind, double where, String what) {
        String apply(String text) {
            int at = (int) (where * text.length());
            List<String> lines = text.lines().toList();
            int line = (int) (where * lines.size());
            return switch (kind) {
                case 0 -> text.substring(0, at); // truncated
                case 1 -> text.substring(0, at) + what + text.substring(at); // inserted
                case 2 -> at < text.length() ? text.substring(0, at) + what + text.substring(at + 1) : text + what;
                case 3 -> String.join("\n", Stream.concat(lines.subList(0, line).stream(),
                        lines.subList(Math.min(line + 1, lines.size()), lines.size()).stream()).toList()); // line dropped
                case 4 -> String.join("\n", Stream.concat(lines.subList(0, Math.min(line + 1, lines.size())).stream(),
                        lines.subList(line, lines.size()).stream()).toList()); // line doubled
                default -> text.replaceFirst("(?s)(.{" + at + "}.*?)\\b\\d+\\b", "$1" + what); // a number changed
            };
        }
    }

    @Provide
    Arbitrary<Mutated> mutatedCatalogs() {
        Arbitrary<String> inserted = Arbitraries.oneOf(
                Arbitraries.of(":", "-", " ", "  ", "\t", "[", "]", "{", "}", "'", "\"", "#", ",", "&a", "*a", "!!str",
                        "\n", "\n  x: 1\n", "~", "null", "0x1F", "1e9", "-1", "65536", "999.1.1.1", "::1", "é", "\u0000"),
                Arbitraries.strings().ofMaxLength(6));
        Arbitrary<String> numbers = Arbitraries.of("0", "-1", "65535", "65536", "4294967296", "99999999999999999999",
                "1.5", "0x10", "256", "511", "512", "63", "64", "4095", "4096");
        Arbitrary<Mutation> mutation = Combinators.combine(Arbitraries.integers().between(0, 5),
                Arbitraries.doubles().between(0, 1), inserted, numbers)
                .as((kind, where, what, number) -> new Mutation(kind, where, kind == 5 ? number : what));
        return Combinators.combine(Arbitraries.integers().between(0, names.size() - 1), mutation.list().ofMinSize(1)
                .ofMaxSize(3)).as((i, ms) -> {
                    String text = texts.get(i);
                    for (Mutation m : ms) {
                        text = m.apply(text);
                    }
                    return new Mutated(names.get(i), text, ms.toString());
                });
    }

    @Property(seed = "20261202")
    void aMutatedCatalogCompilesOrIsRefusedWithLocatedProblems(@ForAll("mutatedCatalogs") Mutated m) {
        try {
            Catalog c = CatalogLoader.loadText(m.name(), m.text());
            TableCompiler.compile(c, schema, Ids.empty());
            Statistics.collect("compiles");
        } catch (CatalogException e) {
            Statistics.collect("refused");
            assertFalse(e.problems().isEmpty(), m.how());
            for (String problem : e.problems()) {
                assertTrue(problem.matches("(?s)" + java.util.regex.Pattern.quote(m.name()) + ":\\d+:\\d+: .+"),
                        "not located: '" + problem + "' after " + m.how());
            }
        }
    }
}
