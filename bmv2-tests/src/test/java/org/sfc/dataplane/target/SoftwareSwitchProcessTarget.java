package org.sfc.dataplane.target;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.sfc.controller.PipelineConfig;

/**
 * The software switch as an operator runs it: its own JVM ({@code sfc switch run}) with libpcap ports on veth
 * pairs, the program pushed by the controller. The same harness as {@link Bmv2Target}, so the two compare on equal
 * terms (the side-by-side wire benchmark). Needs root and a packaged software-switch module.
 */
public final class SoftwareSwitchProcessTarget extends VethSwitchTarget {
    static final Path MODULE = Path.of("../software-switch/target");

    private SoftwareSwitchProcessTarget() throws IOException {
    }

    /** Why it cannot run here, or null. */
    public static String unavailable() {
        if (!Files.isRegularFile(MODULE.resolve("classpath.txt"))) {
            return "the software-switch module is not packaged (mvn package)";
        }
        return needsRoot();
    }

    public static SoftwareSwitchProcessTarget start() throws Exception {
        SoftwareSwitchProcessTarget t = new SoftwareSwitchProcessTarget();
        t.boot();
        return t;
    }

    @Override
    protected List<String> command(List<String> ifaces, int grpcPort) {
        String classpath;
        try {
            classpath = MODULE.resolve("classes") + java.io.File.pathSeparator
                    + Files.readString(MODULE.resolve("classpath.txt")).strip();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the software switch's classpath: " + e.getMessage(), e);
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, "org.sfc.sw.cli.SwitchCommand", "run", "--grpc-address", "127.0.0.1:" + grpcPort,
                "--cpu-port", String.valueOf(CPU_PORT), "--log-level", "warn"));
        for (int p = 1; p <= ifaces.size(); p++) {
            cmd.add("-i");
            cmd.add(p + "@" + ifaces.get(p - 1));
        }
        return cmd;
    }

    @Override
    public String name() {
        return "software switch";
    }

    @Override
    public PipelineConfig pipeline() {
        return SoftwareSwitchTarget.sfcPipeline();
    }
}
