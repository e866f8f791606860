package org.sfc.sw.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.sfc.sw.compile.Compiler;
import org.sfc.sw.frontend.FrontendException;
import org.sfc.sw.p4info.P4InfoBuilder;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "p4info", mixinStandardHelpOptions = true,
        description = {"Writes the P4Info of a program as text protobuf, derived from the source with P4Runtime's",
                "id rules (explicit @id honoured, resource-type prefixes, p4c's Control.object names).",
                "Example: sfc switch p4info -p p4src/v1model/sfc.p4 -o build/sfc.p4info.txtpb"})
final class P4InfoCommand implements Callable<Integer> {
    @Mixin
    SwitchCommand.ProgramOptions program;

    @Option(names = {"-o", "--p4info"}, paramLabel = "OUT", description = "output file (default: standard output)")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (program.program == null) {
            System.err.println("sfc switch p4info: --program FILE is required");
            return 2;
        }
        String text;
        try {
            text = P4InfoBuilder.toText(P4InfoBuilder.build(Compiler.compileFile(program.program, program.includes)));
        } catch (FrontendException e) {
            System.err.println(e.getMessage());
            return 1;
        }
        if (out == null) {
            System.out.print(text);
        } else {
            if (out.toAbsolutePath().getParent() != null) {
                Files.createDirectories(out.toAbsolutePath().getParent());
            }
            Files.writeString(out, text, StandardCharsets.UTF_8);
            System.err.println("wrote " + out);
        }
        return 0;
    }
}
