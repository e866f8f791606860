package org.sfc.cli;

import java.util.concurrent.Callable;

import org.sfc.controller.P4RuntimeClient;
import org.sfc.controller.PipelineConfig;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code sfc pipeline push}: give a switch the sfc data plane. */
@Command(name = "pipeline", mixinStandardHelpOptions = true, description = "The switch's P4 pipeline.",
        subcommands = {PipelineCommand.Push.class, CommandLine.HelpCommand.class})
final class PipelineCommand extends GroupCommand {

    @Command(name = "push", mixinStandardHelpOptions = true,
            description = {"Push the pipeline (P4Info + device config) to the switch: our P4 program for the software",
                "switch (default), or --p4info with BMv2's --device-config JSON. The switch's entries are cleared by",
                "a new pipeline; 'sfc catalog apply' (or any apply) reconciles them."})
    static final class Push implements Callable<Integer> {
        @Mixin
        SwitchOptions target = new SwitchOptions();

        @Mixin
        PipelineOptions pipeline = new PipelineOptions();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PipelineConfig config = pipeline.load();
            try (P4RuntimeClient client = target.connect()) {
                if (!client.primary()) {
                    throw new IllegalArgumentException("this controller (election id " + target.electionId
                            + ") is a backup for " + target.switchName() + "; only the primary may push a pipeline");
                }
                client.setPipeline(config.p4info(), config.deviceConfig());
                spec.commandLine().getOut().printf("pipeline pushed to %s: %d tables, %d actions%n", target.switchName(),
                        config.p4info().getTablesCount(), config.p4info().getActionsCount());
                return 0;
            }
        }
    }
}
