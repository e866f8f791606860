package org.sfc.cli;

import java.util.concurrent.Callable;

import org.sfc.controller.P4RuntimeClient;
import org.sfc.controller.Provisioner;
import org.sfc.controller.Store;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code sfc catalog rollback}: apply an earlier version again. */
@Command(name = "rollback", mixinStandardHelpOptions = true,
        description = {"Cut the switch back to an earlier catalog version (see 'sfc catalog history'). The rollback",
            "is recorded as a new version, so the history only grows."})
final class RollbackCommand implements Callable<Integer> {
    @Parameters(paramLabel = "VERSION", description = "the version to go back to")
    int version;

    @Mixin
    SwitchOptions target = new SwitchOptions();

    @Mixin
    PipelineOptions pipeline = new PipelineOptions();

    @Mixin
    DrainOption drain = new DrainOption();

    @Mixin
    TakeoverOption takeover = new TakeoverOption();

    @Mixin
    DaemonClient daemon = new DaemonClient();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        java.time.Duration drainTime = drain.time(); // (a bad value is refused before anything happens)
        drain.requireDirect(daemon.enabled());
        if (daemon.enabled()) {
            String answer = daemon.call("POST", "/v1/rollback?version=" + version, null);
            spec.commandLine().getOut().println("rolled back through the controller: " + answer.trim());
            return 0;
        }
        try (Store store = Store.open(target.database())) {
            if (store.version(version) == null) {
                throw new IllegalArgumentException("there is no version " + version + " in " + target.database()
                        + "; 'sfc catalog history' lists them");
            }
            try (P4RuntimeClient client = target.connect()) {
                Provisioner p = Provisioner.start(client, pipeline.load(), store, target.switchName(), target.who(),
                        takeover.takeover());
                p.drainTime(drainTime);
                Provisioner.Report r = p.rollback(version, target.who());
                spec.commandLine().getOut().printf("version %d (= version %d) applied to %s: %d writes in %d ms%n",
                        r.version(), version, target.switchName(), r.writes(), r.millis());
                DrainReport.print(spec.commandLine().getOut(), p, r);
                return 0;
            }
        }
    }
}
