package org.sfc.dataplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sfc.controller.P4RuntimeClient;
import org.sfc.controller.Provisioner;
import org.sfc.controller.Store;
import org.sfc.dataplane.target.SoftwareSwitchTarget;

/**
 * A change writes its new entries before the old ones go (a versioned cut-over keeps them for the drain time):
 * a table must hold both for a while. On a switch whose sequence table holds 12 entries, a catalog of 8 steps
 * cannot become one of 10 in one change that renumbers 6 (8 + 6 at once): refused up front, nothing written.
 */
class CutOverCapacityTest {
    @TempDir
    Path dir;

    @Test
    void aChangeThatCannotHoldOldAndNewStepsAtOnceIsRefusedBeforeAnythingIsWritten() throws Exception {
        Path program = dir.resolve("small.p4");
        Files.writeString(program, "#define SEQUENCE_SIZE 12\n#include \""
                + SoftwareSwitchTarget.PROGRAM.toAbsolutePath().normalize() + "\"\n");
        try (SoftwareSwitchTarget target = SoftwareSwitchTarget.start(program);
             Store store = Store.open(dir.resolve("sfc.db"));
             P4RuntimeClient client = P4RuntimeClient.connect(target.host(), target.grpcPort(), 1, 10, 5000)) {
            Provisioner p = Provisioner.start(client, target.pipeline(), store, "sw1", "test");
            p.apply("v1.yaml", Files.readString(Path.of("../ptf-scenarios/catalogs/cutover-v1.yaml")), "test", null);
            var before = ControllerTest.text(p.desired(), p.readAll());

            Provisioner.ApplyFailed e = assertThrows(Provisioner.ApplyFailed.class, () -> p.apply("v2.yaml",
                    Files.readString(Path.of("../ptf-scenarios/catalogs/cutover-v2.yaml")), "test", null));
            assertEquals("version 2 needs 14 entries in table sequence while old and new are both there (8 held, 6 added "
                    + "before the old ones go) but sw1 holds 12; nothing was changed. Change fewer services at once, or "
                    + "use a target with a bigger table", e.getMessage());
            assertEquals(before, ControllerTest.text(p.desired(), p.readAll()), "the switch is as it was");
            assertEquals(1, p.version());
        }
    }
}
