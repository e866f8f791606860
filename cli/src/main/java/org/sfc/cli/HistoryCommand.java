package org.sfc.cli;

import java.util.List;
import java.util.concurrent.Callable;

import org.sfc.controller.Store;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sfc catalog history}: every catalog version, who applied it and why. */
@Command(name = "history", mixinStandardHelpOptions = true,
        description = "Every catalog version recorded in the controller database, oldest first.")
final class HistoryCommand implements Callable<Integer> {
    enum Format { table, json }

    @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table or json (default: ${DEFAULT-VALUE})")
    Format format;

    @Mixin
    SwitchOptions target = new SwitchOptions();

    @Mixin
    DaemonClient daemon = new DaemonClient();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        var out = spec.commandLine().getOut();
        if (daemon.enabled()) {
            out.println(daemon.call("GET", "/v1/history", null).trim()); // the daemon's JSON
            return 0;
        }
        try (Store store = Store.open(target.database())) {
            List<Store.Version> versions = store.history();
            Store.Applied applied = store.applied(target.switchName());
            if (format == Format.json) {
                out.println("[");
                for (int i = 0; i < versions.size(); i++) {
                    Store.Version v = versions.get(i);
                    out.printf("  {\"version\": %d, \"created\": \"%s\", \"author\": %s, \"file\": %s, \"note\": %s}%s%n",
                            v.number(), v.created(), json(v.author()), json(v.file()), json(v.note()),
                            i + 1 < versions.size() ? "," : "");
                }
                out.println("]");
                return 0;
            }
            if (versions.isEmpty()) {
                out.println("no catalog has been applied yet (database " + target.database() + ")");
                return 0;
            }
            out.printf("%-8s %-24s %-12s %-30s %s%n", "VERSION", "CREATED", "AUTHOR", "FILE", "NOTE");
            for (Store.Version v : versions) {
                String mark = applied != null && applied.version() == v.number() ? "*" : " ";
                out.printf("%-8s %-24s %-12s %-30s %s%n", v.number() + mark, v.created().toString().substring(0, 19),
                        v.author(), v.file(), v.note() == null ? "" : v.note());
            }
            if (applied != null) {
                out.println("* what " + target.switchName() + " has" + (applied.applying() ? " (an apply was cut off)" : ""));
            }
            return 0;
        }
    }

    static String json(String s) {
        return s == null ? "null" : "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
