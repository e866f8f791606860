package org.sfc.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.sfc.catalog.CatalogLoader;
import org.sfc.compiler.Ids;
import org.sfc.controller.P4RuntimeClient;
import org.sfc.controller.Provisioner;
import org.sfc.controller.Store;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sfc catalog apply}: cut a switch over to a catalog. */
@Command(name = "apply", mixinStandardHelpOptions = true,
        description = {"Validate a catalog, record it as a new version and cut the switch over to it: the pipeline",
            "is pushed if the switch lacks it, the switch is reconciled to the version it should have, then only",
            "the difference is written, batch by batch. If the switch refuses an update, everything is undone",
            "and the error names the service (exit 3). An invalid catalog changes nothing (exit 1).",
            "The switch is read first: what it holds is the truth. Entries someone else added, changed or removed",
            "since this database's last write are repaired (drift, reported). A switch holding entries that no",
            "version of this database wrote is refused (exit 3) unless --replace; 'sfc switch adopt' records them.",
            "A service whose chain changes is cut over per packet: its new steps are written beside the old ones,",
            "its classifiers flip to them, and the old ones go after --drain; the command waits for that."})
final class ApplyCommand implements Callable<Integer> {
    @Parameters(paramLabel = "CATALOG", description = "the catalog file (YAML)")
    Path file;

    @Option(names = "--note", description = "why, for the history")
    String note;

    @Mixin
    SwitchOptions target = new SwitchOptions();

    @Mixin
    PipelineOptions pipeline = new PipelineOptions();

    @Mixin
    TakeoverOption takeover = new TakeoverOption();

    @Mixin
    DrainOption drain = new DrainOption();

    @Mixin
    DaemonClient daemon = new DaemonClient();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        String text = Files.readString(file);
        java.time.Duration drainTime = drain.time(); // (a bad value is refused before anything happens)
        drain.requireDirect(daemon.enabled());
        if (daemon.enabled()) {
            String answer = daemon.call("POST", "/v1/catalog?file=" + java.net.URLEncoder.encode(file.toString(),
                    java.nio.charset.StandardCharsets.UTF_8) + (note == null ? "" : "&note="
                    + java.net.URLEncoder.encode(note, java.nio.charset.StandardCharsets.UTF_8)), text);
            spec.commandLine().getOut().println("applied through the controller: " + answer.trim());
            return 0;
        }
        // Validate before connecting: a bad catalog needs no switch to be refused.
        org.sfc.compiler.TableCompiler.compile(CatalogLoader.loadText(file.toString(), text), pipeline.schema(), Ids.empty());
        try (Store store = Store.open(target.database()); P4RuntimeClient client = target.connect()) {
            Provisioner p = Provisioner.start(client, pipeline.load(), store, target.switchName(), target.who(),
                    takeover.takeover());
            Progress.attach(p, spec.commandLine().getErr());
            p.drainTime(drainTime);
            int had = p.version();
            Provisioner.Report r = p.apply(file.toString(), text, target.who(), note);
            var out = spec.commandLine().getOut();
            if (p.driftRepaired() > 0) { // on taking charge or just before the cut-over
                out.printf("%s had drifted from version %d (someone else changed it): repaired with %s; "
                        + "'sfc events' says what%n", target.switchName(), had, Provisioner.writes((int) p.driftRepaired()));
            }
            out.printf("version %d applied to %s: %s in %d ms%s%n", r.version(),
                    target.switchName(), Provisioner.writes(r.writes()), r.millis(),
                    r.batches().isEmpty() ? " (no change)" : " " + r.batches());
            DrainReport.print(out, p, r);
            return 0;
        }
    }
}
