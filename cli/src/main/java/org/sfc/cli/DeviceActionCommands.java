package org.sfc.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

import org.sfc.controller.P4RuntimeClient;
import org.sfc.controller.Provisioner;
import org.sfc.controller.Store;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sfc device drain|restore|replace}: maintenance and failback, on the switch or through the daemon. */
final class DeviceActionCommands {
    private DeviceActionCommands() {}

    /** What every device action needs: the switch or a daemon, and how to print the outcome. */
    abstract static class Action implements Callable<Integer> {
        @Mixin
        SwitchOptions target = new SwitchOptions();

        @Mixin
        PipelineOptions pipeline = new PipelineOptions();

        @Mixin
        DaemonClient daemon = new DaemonClient();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        /** The daemon's API path of this action. */
        abstract String apiPath();

        abstract Provisioner.Report run(Provisioner p);

        abstract String done();

        @Override
        public Integer call() throws Exception {
            if (daemon.enabled()) {
                String answer = daemon.call("POST", apiPath(), null);
                spec.commandLine().getOut().println(done() + " through the controller: " + answer.trim());
                return 0;
            }
            try (Store store = Store.open(target.database()); P4RuntimeClient client = target.connect()) {
                Provisioner p = Provisioner.start(client, pipeline.load(), store, target.switchName(), target.who());
                if (p.compiled() == null) {
                    throw new IllegalArgumentException("switch " + target.switchName() + " has no catalog yet; "
                            + "'sfc catalog apply' one first");
                }
                Provisioner.Report r = run(p);
                spec.commandLine().getOut().printf("%s on %s: %s in %d ms (version %d)%n", done(),
                        target.switchName(), Provisioner.writes(r.writes()), r.millis(), r.version());
                return 0;
            }
        }

        static String q(String s) {
            return URLEncoder.encode(s, StandardCharsets.UTF_8);
        }
    }

    @Command(name = "drain", mixinStandardHelpOptions = true, description = {
        "Take a device out of service for maintenance (seed ¶197): its traffic moves to a like spare that carries",
        "nothing: one write when both are of one pool (where the device is attached), a few otherwise (its next",
        "hops and the spare's ports), whatever the number of services; flows not on the device are untouched.",
        "It stays drained until 'sfc device restore'."})
    static final class Drain extends Action {
        @Parameters(paramLabel = "DEVICE", description = "the device to take out of service")
        String device;

        @Option(names = "--to", required = true, paramLabel = "SPARE", description = "the spare that takes its traffic")
        String spare;

        @Override
        String apiPath() {
            return "/v1/devices/drain?device=" + q(device) + "&to=" + q(spare);
        }

        @Override
        Provisioner.Report run(Provisioner p) {
            return p.drain(device, spare, target.who());
        }

        @Override
        String done() {
            return device + " drained to " + spare;
        }
    }

    @Command(name = "restore", mixinStandardHelpOptions = true, description = {
        "Put a device back in service: the end of a drain, or the failback of a failed device (automatic after",
        "its hold-down unless its health says 'failback: manual')."})
    static final class Restore extends Action {
        @Parameters(paramLabel = "DEVICE", description = "the device to put back")
        String device;

        @Override
        String apiPath() {
            return "/v1/devices/restore?device=" + q(device);
        }

        @Override
        Provisioner.Report run(Provisioner p) {
            return p.restore(device, target.who());
        }

        @Override
        String done() {
            return device + " restored";
        }
    }

    @Command(name = "replace", mixinStandardHelpOptions = true, description = {
        "Regenerate every service that uses OLD to use NEW (seed ¶198, Fig. 20): the catalog's services, groups and",
        "pools are rewritten (comments kept) and applied as a new version, so 'sfc catalog rollback' undoes it.",
        "NEW must already be in the catalog."})
    static final class Replace extends Action {
        @Parameters(index = "0", paramLabel = "OLD", description = "the device leaving")
        String old;

        @Parameters(index = "1", paramLabel = "NEW", description = "the device taking its services")
        String replacement;

        @Override
        String apiPath() {
            return "/v1/devices/replace?device=" + q(old) + "&with=" + q(replacement);
        }

        @Override
        Provisioner.Report run(Provisioner p) {
            return p.replace(old, replacement, target.who());
        }

        @Override
        String done() {
            return old + " replaced by " + replacement;
        }
    }
}
