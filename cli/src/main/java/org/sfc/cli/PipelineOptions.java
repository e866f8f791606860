package org.sfc.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.sfc.compiler.Schema;
import org.sfc.compiler.TofinoP4Info;
import org.sfc.controller.PipelineConfig;
import org.sfc.sw.SoftwareSwitch;
import org.sfc.sw.frontend.Preprocessor;

import com.google.protobuf.ByteString;
import com.google.protobuf.TextFormat;

import p4.config.v1.P4InfoOuterClass.P4Info;

import picocli.CommandLine.Option;

/** Which pipeline the catalog is compiled for: our P4 program (default), or a P4Info + device config. */
final class PipelineOptions {
    @Option(names = "--program", paramLabel = "FILE",
            description = "the P4 program (default: p4src/v1model/sfc.p4); its P4Info is derived, and the software "
                    + "switch takes its text as device config")
    Path program;

    @Option(names = "--p4info", paramLabel = "FILE",
            description = "a P4Info (p4c's or bf-p4c's --p4runtime-files output; text, or binary when the name ends "
                    + "in .bin or .pb), instead of --program; bf-p4c's TNA externs are converted to standard P4Info")
    Path p4info;

    @Option(names = "--device-config", paramLabel = "FILE",
            description = "the target's device config to push with --p4info (BMv2: p4c's JSON)")
    Path deviceConfig;

    PipelineConfig load() throws IOException {
        if (p4info != null) {
            ByteString config = deviceConfig == null ? ByteString.EMPTY : ByteString.copyFrom(Files.readAllBytes(deviceConfig));
            return new PipelineConfig(readP4Info(p4info), config);
        }
        Path source = program != null ? program : Home.resolve("p4src/v1model/sfc.p4");
        if (!Files.exists(source)) {
            throw new IllegalArgumentException("no P4 program at " + source + "; give --program or --p4info");
        }
        String text = Preprocessor.run(source, List.of()).text();
        SoftwareSwitch probe = new SoftwareSwitch(1, 255);
        probe.setPipeline(SoftwareSwitch.ConfigAction.VERIFY_AND_COMMIT, null, ByteString.copyFromUtf8(text), 1);
        return new PipelineConfig(probe.pipeline().p4info, ByteString.copyFromUtf8(text));
    }

    /** A P4Info file in text or binary form, as standard P4Info (bf-p4c's own TNA externs converted). */
    static P4Info readP4Info(Path file) throws IOException {
        String name = file.getFileName().toString();
        P4Info info;
        if (name.endsWith(".bin") || name.endsWith(".pb")) {
            info = P4Info.parseFrom(Files.readAllBytes(file));
        } else {
            var b = P4Info.newBuilder();
            try {
                // Decoded leniently: a binary P4Info under a text name is then reported as such, not as bad UTF-8.
                TextFormat.merge(new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.UTF_8), b);
            } catch (TextFormat.ParseException e) {
                throw new IllegalArgumentException(file + ": not a P4Info in text format (" + e.getMessage()
                        + "); a binary one must be named *.bin or *.pb, and bf-p4c's must be binary (its text form "
                        + "spells out its own message types)", e);
            }
            info = b.build();
        }
        TofinoP4Info.Result std = TofinoP4Info.toStandard(info);
        if (std.converted()) {
            System.err.println("sfc: " + file + ": bf-p4c's TNA counters and meters converted to standard P4Info"
                    + (std.dropped().isEmpty() ? "" : "; left out (no standard form, not used): " + std.dropped()));
        }
        return std.p4info();
    }

    Schema schema() throws IOException {
        return new Schema(load().p4info());
    }
}
