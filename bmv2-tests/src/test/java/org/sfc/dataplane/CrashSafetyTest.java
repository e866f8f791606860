package org.sfc.dataplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sfc.compiler.DesiredState;
import org.sfc.controller.P4RuntimeClient;
import org.sfc.controller.PipelineConfig;
import org.sfc.controller.Provisioner;
import org.sfc.controller.Store;
import org.sfc.dataplane.bench.ProgramBench;
import org.sfc.dataplane.target.SoftwareSwitchTarget;
import org.sfc.sw.SoftwareSwitch;
import org.sfc.sw.server.SwitchServer;

import p4.v1.P4RuntimeOuterClass.Entity;

/**
 * Crash safety with real crashes: a controller process applying a catalog of about 100,000 entries is killed with
 * SIGKILL halfway, or the switch restarts halfway; after a restart the switch holds exactly one version — the one
 * the store names — with no entry missing, duplicated or left over, and the audit log shows the interrupted apply
 * and its completion.
 */
class CrashSafetyTest {
    static final String SW = "sw1";
    static final int SERVICES = 10_000;

    @TempDir
    Path dir;
    SwitchServer server;
    PipelineConfig pipeline;
    Path db;
    Path v2;

    @BeforeEach
    void start() throws Exception {
        pipeline = SoftwareSwitchTarget.sfcPipeline();
        server = SwitchServer.start(new SoftwareSwitch(1, 255), "127.0.0.1", 0);
        db = dir.resolve("sfc.db");
        try (Store store = Store.open(db); P4RuntimeClient c = connect()) {
            Provisioner.start(c, pipeline, store, SW, "alice").apply("v1.yaml", ProgramBench.catalog(500), "alice", "v1");
        }
        v2 = dir.resolve("v2.yaml");
        Files.writeString(v2, ProgramBench.catalog(SERVICES));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    P4RuntimeClient connect() {
        return P4RuntimeClient.connect("127.0.0.1", server.port(), 1, 10, 10_000);
    }

    /** The controller in its own JVM, applying v2; prints "progress DONE TOTAL" after every request. */
    public static final class Apply {
        public static void main(String[] args) throws Exception {
            PipelineConfig pipeline = SoftwareSwitchTarget.sfcPipeline();
            try (Store store = Store.open(Path.of(args[1]));
                 P4RuntimeClient c = P4RuntimeClient.connect("127.0.0.1", Integer.parseInt(args[0]), 1, 10, 10_000)) {
                Provisioner p = Provisioner.start(c, pipeline, store, SW, "bob");
                p.maxUpdatesPerRequest(2000);
                p.onProgress((done, total) -> System.out.println("progress " + done + " " + total));
                p.apply("v2.yaml", Files.readString(Path.of(args[2])), "bob", "v2");
                System.out.println("applied");
            }
        }
    }

    /** Starts the child controller and runs {@code atHalf} once it has written half of its updates. */
    Process applyInAnotherProcess(java.util.function.Consumer<Process> atHalf) throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Apply.class.getName(), String.valueOf(server.port()),
                db.toString(), v2.toString()).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        boolean cut = false;
        while (true) { // to the end: a child never blocks on a full pipe
            String line;
            try {
                line = out.readLine();
            } catch (java.io.IOException closed) {
                break; // a killed child's streams are closed with it
            }
            if (line == null) {
                break;
            }
            seen.append(line).append('\n');
            if (!cut && line.startsWith("progress ")) {
                String[] n = line.split(" ");
                int total = Integer.parseInt(n[2]);
                assertTrue(total >= 100_000 - 10_000, "an apply of about 100,000 entries: " + total);
                if (Integer.parseInt(n[1]) * 2 >= total) {
                    atHalf.accept(child);
                    cut = true;
                }
            }
        }
        assertTrue(seen.indexOf("progress") >= 0 && seen.indexOf("applied") < 0, "cut off halfway:\n" + seen);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        return child;
    }

    /** After a restart, the switch holds the version the store names, entry for entry, and the log says so. */
    void assertSwitchHoldsExactlyTheVersionTheStoreNames() {
        try (Store store = Store.open(db); P4RuntimeClient c = connect()) {
            Provisioner p = Provisioner.start(c, pipeline, store, SW, "alice");
            Store.Applied applied = store.applied(SW);
            assertEquals(2, applied.version(), "the interrupted apply's intent wins");
            assertFalse(applied.applying());
            assertEquals(2, p.version());
            DesiredState desired = p.desired();
            List<Entity> held = p.readAll();
            assertEquals(desired.entities().size(), held.size(), "no entry duplicated or left over");
            assertEquals(ControllerTest.text(desired, desired.entities()), ControllerTest.text(desired, held),
                    "exactly version 2");
            List<Store.Audit> log = store.auditLog();
            assertTrue(log.stream().anyMatch(a -> a.action().equals("apply-begun") && a.detail().startsWith("version 2 ")),
                    "the interrupted apply is in the audit log");
            assertTrue(log.stream().anyMatch(a -> a.action().equals("apply")
                    && a.detail().startsWith("finished version 2 on " + SW + " after a restart")), "and its completion");
        }
    }

    @Test
    void aControllerKilledHalfwayThroughAnApplyLeavesOneVersionAfterItsRestart() throws Exception {
        Process child = applyInAnotherProcess(Process::destroyForcibly); // SIGKILL: no shutdown hook, no finally
        assertEquals(137, child.exitValue(), "killed by SIGKILL");
        try (Store store = Store.open(db)) {
            assertTrue(store.applied(SW).applying(), "the store knows an apply was cut off");
        }
        assertSwitchHoldsExactlyTheVersionTheStoreNames();
    }

    @Test
    void aSwitchRestartedHalfwayThroughAnApplyEndsInOneVersion() throws Exception {
        int port = server.port();
        Process child = applyInAnotherProcess(controller -> {
            server.close();
            try {
                server = SwitchServer.start(new SoftwareSwitch(1, 255), "127.0.0.1", port);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        });
        assertNotEquals(0, child.exitValue(), "the cut-off apply fails");
        assertSwitchHoldsExactlyTheVersionTheStoreNames();
    }
}
