package org.sfc.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine;

/** A command that only groups subcommands: run alone, it shows its usage. */
abstract class GroupCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }
}
