package org.sfc.sw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sfc.sw.compile.Compiler;
import org.sfc.sw.p4info.P4InfoBuilder;
import org.sfc.sw.testing.P4c;

import p4.config.v1.P4InfoOuterClass.P4Info;

/**
 * Our P4Info is p4c's, object for object: ids (explicit, and hashed from names for the rest, library actions
 * included), names, aliases, annotations and documentation, P4Runtime 1.4's initial default actions. A controller
 * built against one works against the other. Runs where p4c is installed (it is in CI).
 */
class P4InfoParityTest {
    static Stream<Path> programs() {
        return Stream.of(Path.of("../p4src/v1model/sfc.p4"), Path.of("src/test/resources/p4/router.p4"),
                Path.of("src/test/resources/p4/parity/objects.p4"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("programs")
    void sameP4InfoAsP4c(Path program) throws Exception {
        String missing = P4c.unavailable();
        assumeTrue(missing == null, missing);
        P4c.Result reference = P4c.compile(program);
        assertEquals(0, reference.exitCode(), () -> "p4c refused " + program + ":\n" + reference.log());
        P4Info ours = P4InfoBuilder.build(Compiler.compileFile(program, List.of()));
        // Compared as text: a failure shows the first object that differs.
        assertEquals(P4InfoBuilder.toText(reference.p4info()), P4InfoBuilder.toText(ours), program.toString());
    }

    @Test
    void anActionOnlyOtherActionsCallIsNotInTheP4Info() throws Exception {
        P4Info ours = P4InfoBuilder.build(Compiler.compileFile(Path.of("src/test/resources/p4/parity/objects.p4"),
                List.of()));
        List<String> actions = ours.getActionsList().stream().map(a -> a.getPreamble().getAlias()).toList();
        assertTrue(actions.contains("set_type") && !actions.contains("write_type"), actions.toString());
    }
}
