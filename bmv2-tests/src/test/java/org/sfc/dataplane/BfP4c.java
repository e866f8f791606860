package org.sfc.dataplane;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.sfc.compiler.TofinoP4Info;
import org.sfc.sw.testing.P4c;

import p4.config.v1.P4InfoOuterClass.P4Info;

/**
 * Intel's Tofino compiler (bf-p4c: {@code p4c --target tofino --arch tna}), where it is installed: whether the
 * TNA program compiles, how many stages it takes, and the P4Info a P4Runtime controller gets from it.
 */
final class BfP4c {
    /**
     * What bf-p4c made of a program: exit status, messages, ingress stages, P4Info (bf-p4c's own, TNA externs
     * converted to standard ones by {@link TofinoP4Info}, which is what the controller does with it).
     */
    record Result(int exitCode, String log, int ingressStages, boolean binary, P4Info p4info) {
        /** Warnings and errors. */
        List<String> diagnostics() {
            return log.lines().filter(l -> l.contains("warning:") || l.contains("error:")).toList();
        }
    }

    private BfP4c() {}

    /** Why bf-p4c cannot be used here, or null. */
    static String unavailable() {
        return P4c.onPath("p4c-barefoot") ? null
                : "bf-p4c (p4c-barefoot) not on PATH: install ../shared/p4tools to compile for Tofino";
    }

    /** Compiles {@code program} for Tofino 1 (tna) or, with {@code tofino2}, Tofino 2 (t2na). */
    static Result compile(Path program, boolean tofino2) throws IOException, InterruptedException {
        Path out = Files.createTempDirectory("sfc-bf-p4c-");
        Path p4info = out.resolve("p4info.bin");
        List<String> cmd = new ArrayList<>(List.of("p4c", "--target", tofino2 ? "tofino2" : "tofino",
                "--arch", tofino2 ? "t2na" : "tna", "--verbose", "1",
                "-o", out.toString(), "--p4runtime-files", p4info.toString(), program.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        int code = p.waitFor();
        try {
            Path summary = out.resolve("pipe/logs/table_summary.log");
            int stages = -1;
            if (Files.exists(summary)) {
                Matcher m = Pattern.compile("Number of stages for ingress table allocation: (\\d+)")
                        .matcher(Files.readString(summary));
                while (m.find()) { // the last allocation is the one kept
                    stages = Integer.parseInt(m.group(1));
                }
            }
            P4Info info = Files.exists(p4info)
                    ? TofinoP4Info.toStandard(P4Info.parseFrom(Files.readAllBytes(p4info))).p4info() : null;
            boolean binary = Files.exists(out.resolve(tofino2 ? "pipe/tofino2.bin" : "pipe/tofino.bin"));
            return new Result(code, log, stages, binary, info);
        } finally {
            try (var files = Files.walk(out)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
