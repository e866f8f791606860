package org.sfc.cli;

import java.util.List;
import java.util.concurrent.Callable;

import org.sfc.catalog.CatalogLoader;
import org.sfc.compiler.TableCompiler;
import org.sfc.controller.Accounting;
import org.sfc.controller.P4RuntimeClient;
import org.sfc.controller.Store;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sfc stats}: accounting, read from the switch. */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = {"What the switch has counted for the catalog version it has: requests and replies per service",
            "address, packets per sequence step and per ACL rule, packets sent to and received from each device,",
            "drops by reason. Read-only (a backup controller may run it)."})
final class StatsCommand implements Callable<Integer> {
    enum Format { table, json, csv }

    @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table, json or csv (default: ${DEFAULT-VALUE})")
    Format format;

    @Option(names = "--service", description = "only this service's rows")
    String service;

    @Mixin
    SwitchOptions target = new SwitchOptions();

    @Mixin
    PipelineOptions pipeline = new PipelineOptions();

    @Mixin
    DaemonClient daemon = new DaemonClient();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        List<Accounting.Row> rows = daemon.enabled() ? fromDaemon() : fromSwitch();
        if (service != null) {
            rows = rows.stream().filter(r -> r.owner().equals(service)).toList();
        }
        print(rows);
        return 0;
    }

    /** The daemon's counters (a tenant's token: its services' only). */
    private List<Accounting.Row> fromDaemon() throws Exception {
        List<Accounting.Row> rows = new java.util.ArrayList<>();
        var m = java.util.regex.Pattern.compile("\\{\"kind\": \"([^\"]*)\", \"owner\": \"([^\"]*)\", \"what\": "
                + "\"((?:[^\"\\\\]|\\\\.)*)\", \"packets\": (\\d+), \"bytes\": (\\d+)\\}").matcher(daemon.call("GET", "/v1/stats", null));
        while (m.find()) {
            rows.add(new Accounting.Row(m.group(1), m.group(2), m.group(3).replace("\\\"", "\"").replace("\\\\", "\\"),
                    Long.parseLong(m.group(4)), Long.parseLong(m.group(5))));
        }
        return rows;
    }

    private List<Accounting.Row> fromSwitch() throws Exception {
        TableCompiler.Result compiled;
        try (Store store = Store.open(target.database())) {
            Store.Applied a = store.applied(target.switchName());
            if (a == null) {
                throw new IllegalArgumentException("nothing has been applied to " + target.switchName() + " (database "
                        + target.database() + "): there is nothing to account for");
            }
            Store.Version v = store.version(a.version());
            compiled = TableCompiler.compile(CatalogLoader.loadText(v.file(), v.catalogText()), pipeline.schema(), v.ids());
        }
        try (P4RuntimeClient client = target.connect()) {
            return Accounting.read(client, compiled);
        }
    }

    private void print(List<Accounting.Row> rows) {
        var out = spec.commandLine().getOut();
        switch (format) {
            case json -> {
                out.println("[");
                for (int i = 0; i < rows.size(); i++) {
                    Accounting.Row r = rows.get(i);
                    out.printf("  {\"kind\": %s, \"owner\": %s, \"what\": %s, \"packets\": %d, \"bytes\": %d}%s%n",
                            HistoryCommand.json(r.kind()), HistoryCommand.json(r.owner()), HistoryCommand.json(r.what()),
                            r.packets(), r.bytes(), i + 1 < rows.size() ? "," : "");
                }
                out.println("]");
            }
            case csv -> {
                out.println("kind,owner,packets,bytes,what");
                rows.forEach(r -> out.printf("%s,%s,%d,%d,\"%s\"%n", r.kind(), r.owner(), r.packets(), r.bytes(), r.what()));
            }
            default -> {
                out.printf("%-9s %-16s %10s %12s  %s%n", "KIND", "OWNER", "PACKETS", "BYTES", "WHAT");
                rows.forEach(r -> out.printf("%-9s %-16s %10d %12d  %s%n", r.kind(), r.owner(), r.packets(), r.bytes(),
                        r.what()));
            }
        }
    }
}
