package org.sfc.cli;

import java.util.concurrent.Callable;

import org.sfc.controller.P4RuntimeClient;
import org.sfc.controller.Provisioner;
import org.sfc.controller.Store;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sfc switch adopt}: take charge of a switch as it is, recording its entries as a version. */
@Command(name = "adopt", mixinStandardHelpOptions = true,
        description = {"Record what a switch holds, as it is, as a new version of this database, and take charge of it.",
            "For a switch that another controller database (or an operator by hand) set up, which 'sfc catalog",
            "apply' refuses rather than overwrite: after adopting, an apply replaces those entries like any change,",
            "and 'sfc catalog rollback N' to the adopted version puts them back exactly. Nothing is written to the",
            "switch. The switch must run this sfc's pipeline (entries of another P4 program cannot be adopted)."})
final class AdoptCommand implements Callable<Integer> {
    @Option(names = "--note", description = "why, for the history")
    String note;

    @Mixin
    SwitchOptions target = new SwitchOptions();

    @Mixin
    PipelineOptions pipeline = new PipelineOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        try (Store store = Store.open(target.database()); P4RuntimeClient client = target.connect()) {
            Provisioner p = Provisioner.adopt(client, pipeline.load(), store, target.switchName(), target.who(), note);
            spec.commandLine().getOut().printf("version %d: the %d entries of %s, adopted as found (nothing written)%n",
                    p.version(), p.desired().entities().size(), target.switchName());
            return 0;
        }
    }
}
