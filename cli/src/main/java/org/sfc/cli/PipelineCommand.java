package org.sfc.cli;

import java.util.concurrent.Callable;

import org.sfc.controller.P4RuntimeClient;
import org.sfc.controller.PipelineConfig;
import org.sfc.controller.Provisioner;
import org.sfc.controller.Store;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code sfc pipeline push}: give a switch the sfc data plane. */
@Command(name = "pipeline", mixinStandardHelpOptions = true, description = "The switch's P4 pipeline.",
        subcommands = {PipelineCommand.Push.class, CommandLine.HelpCommand.class})
final class PipelineCommand extends GroupCommand {

    @Command(name = "push", mixinStandardHelpOptions = true,
            description = {"Push the pipeline (P4Info + device config) to the switch: our P4 program for the software",
                "switch (default), or --p4info with BMv2's --device-config JSON. A new pipeline clears every entry",
                "the switch holds, so a switch holding any is refused (exit 3) unless --replace; 'sfc catalog apply'",
                "(or the controller daemon) then writes this database's version back."})
    static final class Push implements Callable<Integer> {
        @Mixin
        SwitchOptions target = new SwitchOptions();

        @Mixin
        PipelineOptions pipeline = new PipelineOptions();

        @Mixin
        TakeoverOption takeover = new TakeoverOption();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PipelineConfig config = pipeline.load();
            try (Store store = Store.open(target.database()); P4RuntimeClient client = target.connect()) {
                Provisioner.pushPipeline(client, config, store, target.switchName(), target.who(), takeover.takeover());
                spec.commandLine().getOut().printf("pipeline pushed to %s: %d tables, %d actions%n", target.switchName(),
                        config.p4info().getTablesCount(), config.p4info().getActionsCount());
                return 0;
            }
        }
    }
}
