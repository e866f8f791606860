package org.sfc.cli;

import java.util.TreeMap;
import java.util.concurrent.Callable;

import org.sfc.catalog.Catalog;
import org.sfc.catalog.Validator;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code sfc device list}. */
@Command(name = "device", mixinStandardHelpOptions = true,
        description = "The devices of a catalog: their state, maintenance (drain, restore) and replacement.",
        subcommands = {DeviceCommand.List.class, DeviceActionCommands.Drain.class, DeviceActionCommands.Restore.class,
            DeviceActionCommands.Replace.class, CommandLine.HelpCommand.class})
final class DeviceCommand extends GroupCommand {

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = {"One line per device: function, ports, mode, pool, failure policy, its state (what the",
                "controller did: spare X, bypass, drop, drained to X; with --controller also its health), and the",
                "services using it."})
    static final class List implements Callable<Integer> {
        enum Format { table, json }

        @picocli.CommandLine.Option(names = {"-o", "--output"}, defaultValue = "table",
                description = "table or json (default: ${DEFAULT-VALUE})")
        Format format;

        @Mixin
        CatalogSource source = new CatalogSource();

        @Mixin
        SwitchOptions target = new SwitchOptions();

        @Mixin
        DaemonClient daemon = new DaemonClient();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Catalog c = Validator.validate(source.load(target, daemon).catalog());
            java.util.Map<String, String> states = states(c);
            var out = spec.commandLine().getOut();
            if (format == Format.table) {
                out.printf("%-12s %-10s %-9s %-4s %-5s %-14s %-8s %-16s %s%n", "DEVICE", "FUNCTION", "PORTS", "MODE",
                        "TAG", "POOL", "FAILURE", "STATE", "SERVICES");
            } else {
                out.println("[");
            }
            int n = 0;
            for (Catalog.Device d : new TreeMap<>(c.devices()).values()) {
                String ports = d.twoPort() ? d.outside().port() + "/" + d.inside().port() : Integer.toString(d.outside().port());
                String pool = c.pools().values().stream().filter(p -> p.members().contains(d.id()) || p.spares().contains(d.id()))
                        .map(p -> p.name() + (p.spares().contains(d.id()) ? " (spare)" : "")).findFirst().orElse("-");
                java.util.List<String> users = c.services().values().stream()
                        .filter(s -> s.sequence().stream().anyMatch(st -> c.devicesOf(st.target(), s.name()).contains(d)
                                || st.copyTo().contains(d.id())) || d.id().equals(s.from()))
                        .map(Catalog.Service::name).sorted().toList();
                if (format == Format.json) {
                    out.printf("  {\"device\": %s, \"function\": %s, \"ports\": %s, \"mode\": %s, \"tag\": %s, "
                            + "\"pool\": %s, \"failure\": %s, \"state\": %s, \"services\": [%s]}%s%n",
                            HistoryCommand.json(d.id()),
                            HistoryCommand.json(d.function()), HistoryCommand.json(ports),
                            HistoryCommand.json(d.mode().name().toLowerCase()), HistoryCommand.json(d.tag().name().toLowerCase()),
                            HistoryCommand.json(pool), HistoryCommand.json(d.failure().name().toLowerCase()),
                            HistoryCommand.json(states.getOrDefault(d.id(), "-")),
                            String.join(", ", users.stream().map(HistoryCommand::json).toList()),
                            ++n < c.devices().size() ? "," : "");
                    continue;
                }
                out.printf("%-12s %-10s %-9s %-4s %-5s %-14s %-8s %-16s %s%n", d.id(), d.function(), ports,
                        d.mode().name().toLowerCase(), d.tag().name().toLowerCase(), pool, d.failure().name().toLowerCase(),
                        states.getOrDefault(d.id(), "-"), users.isEmpty() ? "-" : String.join(", ", users));
            }
            if (format == Format.json) {
                out.println("]");
            }
            return 0;
        }

        /**
         * Per device: the live health and action from a daemon ("failed: spare fw-3"), or else what the
         * controller's database records for the switch ("spare fw-3"); "-" in normal service.
         */
        private java.util.Map<String, String> states(Catalog c) throws Exception {
            java.util.Map<String, String> out = new java.util.HashMap<>();
            if (daemon.enabled()) {
                var m = java.util.regex.Pattern.compile("\"device\": \"([^\"]*)\", \"state\": \"([^\"]*)\", "
                        + "\"probe\": \"[^\"]*\", \"action\": \"([^\"]*)\"[^}]*\"pending\": (true|false)")
                        .matcher(daemon.call("GET", "/v1/devices", null));
                while (m.find()) {
                    out.put(m.group(1), m.group(2) + (m.group(3).equals("-") ? "" : ": " + m.group(3))
                            + (m.group(4).equals("true") ? " (being written)" : ""));
                }
            } else if (java.nio.file.Files.exists(target.database())) {
                try (org.sfc.controller.Store store = org.sfc.controller.Store.open(target.database())) {
                    var s = store.deviceStates(target.switchName());
                    for (String d : c.devices().keySet()) {
                        if (s.affects(d)) {
                            out.put(d, s.describe(d));
                        }
                    }
                }
            }
            return out;
        }
    }
}
