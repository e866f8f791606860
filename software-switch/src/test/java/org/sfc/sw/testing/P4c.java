package org.sfc.sw.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.google.protobuf.TextFormat;

import p4.config.v1.P4InfoOuterClass.P4Info;

/**
 * The real p4c (BMv2 back end, v1model), where it is installed: the reference our front end and P4Info are
 * held to. Tests that need it skip with {@link #unavailable()} as the reason.
 */
public final class P4c {
    /** What p4c said about a program: its exit status, messages, and (when it compiled) P4Info and BMv2 JSON. */
    public record Result(int exitCode, String log, P4Info p4info, byte[] json) {
        public boolean ok() {
            return exitCode == 0;
        }

        /** Warnings and errors only (p4c prints nothing else on a clean build). */
        public List<String> diagnostics() {
            return log.lines().filter(l -> l.contains("warning:") || l.contains("error:")).toList();
        }
    }

    private P4c() {}

    /** Why p4c cannot be used here, or null. */
    public static String unavailable() {
        return onPath("p4c") ? null : "p4c not on PATH (install p4c to compare with the reference compiler)";
    }

    public static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** Compiles {@code program} for BMv2 (v1model) with p4c; {@code defines} are -D options. */
    public static Result compile(Path program, String... defines) throws IOException, InterruptedException {
        Path out = Files.createTempDirectory("sfc-p4c-");
        Path p4info = out.resolve("p4info.txtpb");
        List<String> cmd = new ArrayList<>(List.of("p4c", "--target", "bmv2", "--arch", "v1model", "-o", out.toString(),
                "--p4runtime-files", p4info.toString()));
        for (String d : defines) {
            cmd.add("-D" + d);
        }
        cmd.add(program.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        int code = p.waitFor();
        try {
            if (code != 0) {
                return new Result(code, log, null, null);
            }
            P4Info.Builder b = P4Info.newBuilder();
            TextFormat.merge(Files.readString(p4info), b);
            String base = program.getFileName().toString().replaceFirst("\\.p4$", "");
            return new Result(code, log, b.build(), Files.readAllBytes(out.resolve(base + ".json")));
        } finally {
            try (var files = Files.walk(out)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
