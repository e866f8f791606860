package org.sfc.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.sfc.controller.ControllerDaemon;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sfc controller run}: the controller daemon. */
@Command(name = "controller", mixinStandardHelpOptions = true, description = "The controller daemon.",
        subcommands = {ControllerCommand.Run.class, CommandLine.HelpCommand.class})
final class ControllerCommand extends GroupCommand {

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = {"Keep a switch at its catalog: connect (retrying with backoff), push the pipeline if it is",
                "missing and reconcile on every (re)connect, so a restarted switch gets everything back (a switch",
                "holding entries this database did not write is left alone unless --replace, and /v1/status says",
                "why); repair drift every --drift-check seconds; send heartbeats through every device and fail",
                "over, bypass or drop by each device's policy.",
                "Serves an HTTP/JSON API on loopback; every request carries a bearer token: the token file's (admin)",
                "or a user's ('sfc user add', 'sfc token'), whose role decides what it may do and whose name the",
                "audit log records:",
                "  GET  /v1/status, /v1/history, /v1/catalog[?version=N], /v1/devices, /v1/events[?limit=N], /v1/stats,",
                "       /v1/switches",
                "  POST /v1/catalog (YAML body), /v1/rollback?version=N,",
                "       /v1/devices/drain?device=D&to=S, /v1/devices/restore?device=D, /v1/devices/replace?device=D&with=N,",
                "       /v1/switches/activate?switch=S",
                "A tenant's user reads and posts its view: its services only. Prometheus metrics on /metrics (an admin's",
                "or viewer's token), or with no token on a --metrics-listen of their own. Every 'sfc' command takes",
                "--controller URL to go through it. With --standby, it drives a redundant pair: see that option.",
                "Stops cleanly on Ctrl-C or SIGTERM."})
    static final class Run implements Callable<Integer> {
        @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:9600",
                description = "where the API listens (default: ${DEFAULT-VALUE})")
        String listen;

        @Option(names = "--token-file", paramLabel = "FILE",
                description = "the admin's API token (default: ~/.sfc/token, created with a random token if missing)")
        Path tokenFile;

        @Mixin
        SwitchOptions target = new SwitchOptions();

        @Mixin
        PipelineOptions pipeline = new PipelineOptions();

        @Mixin
        TakeoverOption takeover = new TakeoverOption();

        @Option(names = "--api-tls-cert", paramLabel = "PEM",
                description = "serve the API over HTTPS with this certificate chain (with --api-tls-key)")
        Path apiTlsCert;

        @Option(names = "--api-tls-key", paramLabel = "PEM", description = "the PKCS#8 PEM key of --api-tls-cert (a file: "
                + "never in ps or a log)")
        Path apiTlsKey;

        @Option(names = "--metrics-listen", paramLabel = "HOST:PORT", description = {"serve /metrics here, apart from the",
            "API (which then answers /metrics with where they are); default: beside the API"})
        String metricsListen;

        @Option(names = "--drift-check", paramLabel = "SECONDS", defaultValue = "30",
                description = {"read the switch this often and repair entries someone else added, changed or removed,",
                    "as an event and in sfc_drift_* metrics; 0: only on connect and apply (default: ${DEFAULT-VALUE})"})
        long driftCheckSeconds;

        @CommandLine.Mixin
        DrainOption drain = new DrainOption();

        @Option(names = "--standby", paramLabel = "HOST:PORT",
                description = {"a second switch in front of the same devices, sharing the engine's addresses and MAC: a",
                    "redundant pair (seed Fig. 15). It holds the same entries and follows every change and failover;",
                    "only the active switch answers ARP. When the active one is out of reach for --takeover-after,",
                    "the standby takes over and announces the addresses (gratuitous ARP); the returning switch comes",
                    "back as the standby ('sfc switch activate' moves the traffic back)"})
        String standby;

        @Option(names = "--standby-device-id", paramLabel = "N",
                description = "the standby's P4Runtime device id (default: --device-id)")
        Long standbyDeviceId;

        @Option(names = "--takeover-after", paramLabel = "MS", defaultValue = "300",
                description = {"how long the active switch of a pair may be out of reach (no P4Runtime session) before",
                    "the standby takes over (default: ${DEFAULT-VALUE})"})
        long takeoverAfterMillis;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            HostPort api = HostPort.parse(listen, "--listen", "127.0.0.1:9600");
            HostPort sw = target.address();
            ControllerDaemon.Listeners listeners = listeners();
            Path tokens = tokenFile != null ? tokenFile : DaemonClient.defaultTokenFile();
            String token = token(tokens);
            ControllerDaemon d = ControllerDaemon.start(new ControllerDaemon.Config(sw.host(), sw.port(), target.deviceId,
                    target.electionId, pipeline.load(), target.database(), api.host(), api.port(), token, target.tls())
                    .with(new ControllerDaemon.Ownership(takeover.takeover(), driftCheckMillis(), drain.time())).with(listeners)
                    .with(standby()));
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                d.close();
                stopped.countDown();
            }));
            spec.commandLine().getOut().printf("sfc controller: switch %s%s, API %s://%s:%d/v1/ (token in %s), "
                    + "metrics http://%s:%d/metrics%n", target.switchName(), standby == null ? ""
                    : " with standby " + standby + "/" + (standbyDeviceId != null ? standbyDeviceId : target.deviceId), apiTlsCert != null ? "https" : "http",
                    api.host(), d.httpPort(), tokens, listeners.metricsHost() != null ? listeners.metricsHost() : api.host(),
                    d.metricsPort());
            spec.commandLine().getOut().flush();
            stopped.await();
            return 0;
        }

        private ControllerDaemon.Listeners listeners() {
            HostPort metrics = metricsListen == null ? null
                    : HostPort.parse(metricsListen, "--metrics-listen", "127.0.0.1:9601");
            return new ControllerDaemon.Listeners(apiTlsCert, apiTlsKey, metrics == null ? null : metrics.host(),
                    metrics == null ? null : metrics.port());
        }

        /** The pair's second switch, from --standby (null: one switch). */
        private ControllerDaemon.Standby standby() {
            if (standby == null) {
                if (standbyDeviceId != null) {
                    throw new IllegalArgumentException("--standby-device-id goes with --standby (the pair's second switch)");
                }
                return null;
            }
            if (takeoverAfterMillis < 0) {
                throw new IllegalArgumentException("--takeover-after is a number of milliseconds, 0 or more; not "
                        + takeoverAfterMillis);
            }
            HostPort s = HostPort.parse(standby, "--standby", "127.0.0.1:9560");
            return new ControllerDaemon.Standby(s.host(), s.port(), standbyDeviceId != null ? standbyDeviceId
                    : target.deviceId, java.time.Duration.ofMillis(takeoverAfterMillis));
        }

        private long driftCheckMillis() {
            if (driftCheckSeconds < 0) {
                throw new IllegalArgumentException("--drift-check is a number of seconds, 0 or more; not " + driftCheckSeconds);
            }
            return driftCheckSeconds * 1000;
        }

        static String token(Path file) throws java.io.IOException {
            if (Files.exists(file)) {
                return Files.readString(file).trim();
            }
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            String token = HexFormat.of().formatHex(random);
            PrivateFile.write(file, token + "\n");
            return token;
        }
    }
}
