package org.sfc.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.sfc.compiler.Schema;
import org.sfc.controller.PipelineConfig;
import org.sfc.sw.SoftwareSwitch;
import org.sfc.sw.frontend.Preprocessor;

import com.google.protobuf.ByteString;
import com.google.protobuf.TextFormat;

import picocli.CommandLine.Option;

/** Which pipeline the catalog is compiled for: our P4 program (default), or a P4Info + device config. */
final class PipelineOptions {
    @Option(names = "--program", paramLabel = "FILE",
            description = "the P4 program (default: p4src/v1model/sfc.p4); its P4Info is derived, and the software "
                    + "switch takes its text as device config")
    Path program;

    @Option(names = "--p4info", paramLabel = "FILE",
            description = "a P4Info in text format (e.g. p4c's --p4runtime-files output), instead of --program")
    Path p4info;

    @Option(names = "--device-config", paramLabel = "FILE",
            description = "the target's device config to push with --p4info (BMv2: p4c's JSON)")
    Path deviceConfig;

    PipelineConfig load() throws IOException {
        if (p4info != null) {
            var b = p4.config.v1.P4InfoOuterClass.P4Info.newBuilder();
            TextFormat.merge(Files.readString(p4info), b);
            ByteString config = deviceConfig == null ? ByteString.EMPTY : ByteString.copyFrom(Files.readAllBytes(deviceConfig));
            return new PipelineConfig(b.build(), config);
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

    Schema schema() throws IOException {
        return new Schema(load().p4info());
    }
}
