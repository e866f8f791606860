package org.sfc.sw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sfc.sw.compile.Compiler;
import org.sfc.sw.frontend.FrontendException;
import org.sfc.sw.p4info.P4InfoBuilder;
import org.sfc.sw.testing.P4c;

/**
 * The software switch accepts exactly what p4c accepts: every P4 program of the repository (each file that
 * instantiates a main package) is compiled by p4c and by our front end, and the verdicts must agree. The
 * programs under resources/p4/refused/ are ones p4c refuses, each for a reason our front end once missed or
 * could miss. Runs where p4c is installed (in CI it is).
 */
class FrontEndVerdictTest {
    static Stream<Path> programs() throws IOException {
        Stream<Path> roots = Stream.of(Path.of("../p4src"), Path.of("src/test/resources/p4"),
                Path.of("../bmv2-tests/src/test/resources/p4"));
        return roots.filter(Files::isDirectory).flatMap(root -> {
            try {
                // v1model programs: p4c's BMv2 back end is the reference here (p4src/tna/ has TnaProgramTest).
                return Files.walk(root).filter(p -> p.toString().endsWith(".p4")).filter(FrontEndVerdictTest::hasMain)
                        .filter(p -> !p.startsWith(Path.of("../p4src/tna")))
                        .sorted().toList().stream();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static boolean hasMain(Path p) {
        try {
            return Files.readString(p).matches("(?s).*\\)\\s*main\\s*;.*");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("programs")
    void sameVerdictAsP4c(Path program) throws Exception {
        String missing = P4c.unavailable();
        assumeTrue(missing == null, missing);
        P4c.Result reference = P4c.compile(program);
        String ours;
        try {
            P4InfoBuilder.build(Compiler.compileFile(program, List.of()));
            ours = null;
        } catch (FrontendException e) {
            ours = e.getMessage();
        }
        boolean shouldRefuse = program.toString().contains("/refused/");
        if (shouldRefuse) {
            assertFalse(reference.ok(), program + " is under refused/ but p4c accepts it");
        }
        String why = "p4c: " + (reference.ok() ? "accepts" : String.join("\n", reference.diagnostics()))
                + "\nsoftware switch: " + (ours == null ? "accepts" : ours);
        assertEquals(reference.ok(), ours == null, why);
    }
}
