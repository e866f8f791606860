package org.sfc.sw.cli;

import java.util.concurrent.Callable;

import org.sfc.sw.compile.CompiledProgram;
import org.sfc.sw.compile.Compiler;
import org.sfc.sw.frontend.FrontendException;
import org.sfc.sw.p4info.P4InfoBuilder;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Checks that a P4 program compiles for the software switch and prints what it declares.",
                "Errors are printed as file:line:col: message, all of them."})
final class CheckCommand implements Callable<Integer> {
    @Mixin
    SwitchCommand.ProgramOptions program;

    @Override
    public Integer call() throws Exception {
        if (program.program == null) {
            System.err.println("sfc switch check: --program FILE is required");
            return 2;
        }
        try {
            CompiledProgram p = Compiler.compileFile(program.program, program.includes);
            P4InfoBuilder.build(p);
            System.out.printf("%s: ok: %d tables, %d actions, %d action profiles, %d counters, %d meters, %d registers%n",
                    program.program, p.tables().size(), p.actions().size(), p.profiles().size(),
                    p.counters().size() + p.directCounters().size(), p.meters().size() + p.directMeters().size(),
                    p.registers().size());
            return 0;
        } catch (FrontendException e) {
            System.err.println(e.getMessage());
            return 1;
        }
    }
}
