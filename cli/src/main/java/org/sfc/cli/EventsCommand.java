package org.sfc.cli;

import java.util.concurrent.Callable;

import org.sfc.controller.Store;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sfc events}: device health changes and maintenance, from the controller's database or daemon. */
@Command(name = "events", mixinStandardHelpOptions = true, description = {
    "Device events, oldest first: failures noticed by heartbeats or counters, what was done (spare, bypass, drop)",
    "with the writes it took, failbacks, drains, restores."})
final class EventsCommand implements Callable<Integer> {
    @Option(names = {"-n", "--last"}, defaultValue = "50", description = "how many events (default: ${DEFAULT-VALUE})")
    int last;

    @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table or json (default: ${DEFAULT-VALUE})")
    DeviceCommand.List.Format format;

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
            String json = daemon.call("GET", "/v1/events?limit=" + last, null);
            if (format == DeviceCommand.List.Format.json) {
                out.println(json.trim());
            } else {
                var m = java.util.regex.Pattern.compile("\"at\": \"([^\"]*)\", \"who\": \"([^\"]*)\", \"kind\": \"[^\"]*\", "
                        + "\"detail\": \"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
                out.printf("%-24s %-10s %s%n", "AT", "BY", "EVENT");
                while (m.find()) {
                    out.printf("%-24s %-10s %s%n", m.group(1), m.group(2), m.group(3).replace("\\\"", "\""));
                }
            }
            return 0;
        }
        try (Store store = Store.open(target.database())) {
            java.util.List<Store.Audit> events = store.deviceEvents(last);
            if (format == DeviceCommand.List.Format.json) {
                out.println("[");
                for (int i = 0; i < events.size(); i++) {
                    Store.Audit a = events.get(i);
                    out.printf("  {\"at\": %s, \"who\": %s, \"kind\": %s, \"detail\": %s}%s%n",
                            HistoryCommand.json(a.at().toString()), HistoryCommand.json(a.who()),
                            HistoryCommand.json(a.action()), HistoryCommand.json(a.detail()),
                            i + 1 < events.size() ? "," : "");
                }
                out.println("]");
                return 0;
            }
            out.printf("%-24s %-10s %s%n", "AT", "BY", "EVENT");
            for (Store.Audit a : events) {
                out.printf("%-24s %-10s %s%n", a.at(), a.who(), a.detail());
            }
            if (events.isEmpty()) {
                out.println("(no device events in " + target.database() + ")");
            }
            return 0;
        }
    }
}
