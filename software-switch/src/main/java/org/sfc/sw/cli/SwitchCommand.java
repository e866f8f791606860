package org.sfc.sw.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sfc switch}: the software switch's command line. */
@Command(name = "switch", mixinStandardHelpOptions = true, version = "sfc software switch 0.1.0",
        description = {"The sfc software switch: runs a v1model or TNA (Tofino) P4-16 program in the JVM behind a",
                "P4Runtime server, like BMv2's simple_switch_grpc. Exit codes: 0 ok, 1 the P4 program or a port failed,",
                "2 bad usage."},
        subcommands = {RunCommand.class, P4InfoCommand.class, CheckCommand.class, CommandLine.HelpCommand.class})
public final class SwitchCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(System.out);
        return 0;
    }

    /** Options naming a P4 program, shared by the subcommands. */
    static final class ProgramOptions {
        @Option(names = {"-p", "--program"}, paramLabel = "FILE", description = "the P4-16 program: v1model (V1Switch(...) main) or TNA (Switch(pipe) main)")
        Path program;

        @Option(names = {"-I", "--include"}, paramLabel = "DIR",
                description = "extra directory to search for #include \"...\" files (repeatable)")
        List<Path> includes = new ArrayList<>();
    }

    public static void main(String[] args) {
        // slf4j-simple reads its level once, at first use: set it before anything logs.
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--log-level") && i + 1 < args.length) {
                System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", args[i + 1]);
            } else if (args[i].startsWith("--log-level=")) {
                System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", args[i].substring(12));
            }
        }
        System.setProperty("org.slf4j.simpleLogger.log.org.pcap4j", "warn");
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
        int code = new CommandLine(new SwitchCommand()).setCommandName("sfc switch").execute(args);
        if (code != 0 || !isRun(args)) {
            System.exit(code);
        }
    }

    private static boolean isRun(String[] args) {
        for (String a : args) {
            if (!a.startsWith("-")) {
                return a.equals("run");
            }
        }
        return false;
    }
}
