package org.sfc.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.sfc.controller.Store;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sfc switch list|activate}: the switches in the controller's charge and, for a pair, which one is active. */
final class SwitchStateCommands {
    private SwitchStateCommands() {}

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = {"The switches in the controller's charge: each one's role (active, or the standby of a",
                "redundant pair), whether the controller is connected to it and primary, and the catalog version it",
                "holds. Through --controller, the daemon's live view; without, what this database recorded for every",
                "switch anything was applied to."})
    static final class List implements Callable<Integer> {
        @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table or json (default: ${DEFAULT-VALUE})")
        DeviceCommand.List.Format format;

        @Mixin
        SwitchOptions target = new SwitchOptions();

        @Mixin
        DaemonClient daemon = new DaemonClient();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        private static final Pattern ROW = Pattern.compile("\"switch\": \"([^\"]*)\", \"role\": \"([^\"]*)\", "
                + "\"connected\": (true|false), \"version\": (null|\\d+)(?:, \"devices_out\": \\[([^\\]]*)])?, "
                + "\"out_of_reach_ms\": (\\d+), \"connects\": (\\d+)(?:, \"refused\": \"((?:[^\"\\\\]|\\\\.)*)\")?");

        @Override
        public Integer call() throws Exception {
            var out = spec.commandLine().getOut();
            if (daemon.enabled()) {
                String json = daemon.call("GET", "/v1/switches", null);
                if (format == DeviceCommand.List.Format.json) {
                    out.println(json.trim());
                    return 0;
                }
                out.printf("%-28s %-8s %-10s %-8s %s%n", "SWITCH", "ROLE", "CONNECTED", "VERSION", "NOTE");
                Matcher m = ROW.matcher(json);
                while (m.find()) {
                    boolean connected = m.group(3).equals("true");
                    String devicesOut = m.group(5) == null || m.group(5).isEmpty() ? ""
                            : "devices out: " + m.group(5).replace("\"", "");
                    String note = m.group(8) != null ? "refused: " + m.group(8).replace("\\\"", "\"")
                            : connected ? devicesOut : "out of reach for " + m.group(6) + " ms";
                    out.printf("%-28s %-8s %-10s %-8s %s%n", m.group(1), m.group(2), connected ? "yes" : "no",
                            m.group(4).equals("null") ? "-" : m.group(4), note);
                }
                return 0;
            }
            try (Store store = Store.open(target.database())) {
                var applied = store.appliedAll();
                if (format == DeviceCommand.List.Format.json) {
                    StringBuilder b = new StringBuilder("[");
                    applied.forEach((sw, a) -> b.append(b.length() > 1 ? ", " : "").append("{\"switch\": ")
                            .append(HistoryCommand.json(sw)).append(", \"version\": ").append(a.version())
                            .append(", \"applying\": ").append(a.applying()).append('}'));
                    out.println(b.append(']'));
                    return 0;
                }
                out.printf("%-28s %-8s %s%n", "SWITCH", "VERSION", "NOTE");
                applied.forEach((sw, a) -> out.printf("%-28s %-8d %s%n", sw, a.version(),
                        a.applying() ? "an apply was cut off: the next connection finishes it" : ""));
                if (applied.isEmpty()) {
                    out.println("(nothing applied to any switch in " + target.database() + ")");
                }
                out.println("(as recorded; the controller daemon's live view, with roles: --controller URL)");
                return 0;
            }
        }
    }

    @Command(name = "activate", mixinStandardHelpOptions = true,
            description = {"Make a switch of the redundant pair the active one: it answers ARP for the engine's",
                "addresses and announces them (gratuitous ARP); the other one becomes the standby. After a takeover",
                "the returning switch stays the standby until an operator moves the traffic back with this. The",
                "switch must be connected and holds the active one's version first. Needs the controller daemon",
                "(--controller URL), which drives the pair."})
    static final class Activate implements Callable<Integer> {
        @Parameters(paramLabel = "SWITCH", description = "the switch, as 'sfc switch list' names it (host:port/device-id)")
        String name;

        @Mixin
        DaemonClient daemon = new DaemonClient();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (!daemon.enabled()) {
                throw new CommandLine.ParameterException(spec.commandLine(), "'sfc switch activate' needs the controller "
                        + "daemon that drives the pair: --controller URL (or $SFC_CONTROLLER)");
            }
            String answer = daemon.call("POST", "/v1/switches/activate?switch="
                    + URLEncoder.encode(name, StandardCharsets.UTF_8), null);
            spec.commandLine().getOut().println(name + " is the active switch: " + answer.trim());
            return 0;
        }
    }
}
