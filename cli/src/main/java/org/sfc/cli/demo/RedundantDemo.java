package org.sfc.cli.demo;

import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.sfc.catalog.Catalog;
import org.sfc.controller.ControllerDaemon;
import org.sfc.controller.Frame;
import org.sfc.controller.PipelineConfig;
import org.sfc.sw.SoftwareSwitch;
import org.sfc.sw.server.SwitchServer;

/**
 * {@code sfc demo --redundant}: a redundant pair (seed Fig. 15) on one machine. Two software switches, the controller
 * daemon driving both; a client's request goes through the active one; the active one dies; the standby takes over
 * on its own and the next request goes through it; the dead one comes back as the standby.
 */
public final class RedundantDemo {
    private static final Pattern SWITCH = Pattern.compile("\"switch\": \"([^\"]*)\", \"role\": \"([^\"]*)\", "
            + "\"connected\": (true|false), \"version\": (null|\\d+)");

    private final Catalog catalog;
    private final String file;
    private final String text;
    private final PipelineConfig pipeline;
    private final PrintWriter out;
    private final HttpClient http = HttpClient.newHttpClient();
    private final String token = java.util.HexFormat.of().formatHex(new java.security.SecureRandom().generateSeed(12));
    private ControllerDaemon daemon;

    public RedundantDemo(Catalog catalog, String file, String text, PipelineConfig pipeline, PrintWriter out) {
        this.catalog = catalog;
        this.file = file;
        this.text = text;
        this.pipeline = pipeline;
        this.out = out;
    }

    /** Runs the demo; whether the client was answered through the standby after the takeover. */
    public boolean run(Catalog.Service svc, long client) throws Exception {
        Path dir = Files.createTempDirectory("sfc-demo-pair");
        SoftwareSwitch a = new SoftwareSwitch(1, 255);
        SoftwareSwitch b = new SoftwareSwitch(1, 255);
        SwitchServer serverA = SwitchServer.start(a, "127.0.0.1", 0);
        SwitchServer serverB = SwitchServer.start(b, "127.0.0.1", 0);
        int portA = serverA.port();
        SwitchServer back = null;
        try (PlayedHeartbeats ha = new PlayedHeartbeats(catalog, a); PlayedHeartbeats hb = new PlayedHeartbeats(catalog, b)) {
            out.printf("1. two software switches: A on 127.0.0.1:%d, B on 127.0.0.1:%d (the same ports cabled to the "
                    + "same devices, the same MAC %s)%n", portA, serverB.port(), catalog.switchInfo().mac());
            daemon = ControllerDaemon.start(new ControllerDaemon.Config("127.0.0.1", portA, 1, 10, pipeline,
                    dir.resolve("sfc.db"), "127.0.0.1", 0, token, null).with(new ControllerDaemon.Standby("127.0.0.1",
                    serverB.port(), 1, ControllerDaemon.Standby.DEFAULT_TAKEOVER_AFTER)));
            await(() -> daemon.ready(), "the controller takes charge of A");
            HttpResponse<String> applied = call("POST", "/v1/catalog?file=" + file, text);
            if (applied.statusCode() != 200) {
                throw new IllegalStateException("the catalog was refused: " + applied.body());
            }
            await(() -> roles().stream().allMatch(r -> r[2].equals("true") && r[3].equals("1")), "both hold version 1");
            out.printf("2. controller daemon drives the pair (takeover after %d ms out of reach); catalog applied to both:%n",
                    ControllerDaemon.Standby.DEFAULT_TAKEOVER_AFTER.toMillis());
            printRoles();

            Frame request = request(svc, client, 40000);
            out.printf("3. client %s calls %s (%s:%d): through A %s; B, the standby, %s%n", ip(client), svc.name(),
                    svc.address().ip(), svc.address().port(), answered(a, svc, client, request) ? "answered" : "NOT answered",
                    b.receive(catalog.switchInfo().uplinks().get(0).port(), request.bytes()).isEmpty()
                            ? "drops it (it forwards nothing)" : "FORWARDED IT TOO");

            long died = System.nanoTime();
            serverA.kill();
            out.println("4. switch A dies (its P4Runtime server killed)");
            await(() -> roles().stream().anyMatch(r -> r[0].endsWith(":" + serverB.port() + "/1") && r[1].equals("active")),
                    "B takes over");
            out.printf("   B took over %d ms later: %s%n", (System.nanoTime() - died) / 1_000_000, takeoverEvent());
            printRoles();

            out.printf("5. the router learned from B's gratuitous ARP; the client calls again, through B:%n");
            boolean answered = answered(b, svc, client, request(svc, client, 40001));
            out.println(answered ? "   the reply reached the client through B" : "   NO reply reached the client");

            SoftwareSwitch again = new SoftwareSwitch(1, 255);
            back = SwitchServer.start(again, "127.0.0.1", portA);
            out.println("6. switch A comes back, empty");
            await(() -> roles().stream().anyMatch(r -> r[0].endsWith(":" + portA + "/1") && r[1].equals("standby")
                    && r[2].equals("true") && r[3].equals("1")), "A is the standby");
            out.println("   the controller made it the standby (pipeline, chains, no entry points); nothing moved back:");
            printRoles();
            out.println("   'sfc switch activate' would move the traffic back; the operator chooses when");
            return answered;
        } finally {
            if (daemon != null) {
                daemon.close();
            }
            serverA.close();
            serverB.close();
            if (back != null) {
                back.close();
            }
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private Frame request(Catalog.Service svc, long client, int sport) {
        return Frame.tcp(catalog.switchInfo().mac().value(), catalog.switchInfo().uplinks().get(0).routerMac().value(),
                client, svc.address().ip().value(), sport, svc.address().port(), 0x02, "GET /");
    }

    /** The request through {@code sw}, with the devices played (quietly); whether the reply reached the client. */
    private boolean answered(SoftwareSwitch sw, Catalog.Service svc, long client, Frame request) {
        PlayedNetwork net = new PlayedNetwork(catalog, sw, new PrintWriter(java.io.Writer.nullWriter()));
        List<PlayedNetwork.Delivered> back = net.send(catalog.switchInfo().uplinks().get(0).port(), request);
        return back.stream().map(PlayedNetwork.Delivered::frame).anyMatch(f -> f.dstIp() == client
                && f.srcIp() == svc.address().ip().value() && f.checksumsOk());
    }

    private String takeoverEvent() throws Exception {
        Matcher m = Pattern.compile("\"detail\": \"([^\"]*took over[^\"]*)\"").matcher(call("GET", "/v1/events", null).body());
        String last = "?";
        while (m.find()) {
            last = m.group(1);
        }
        return last;
    }

    /** [switch, role, connected, version] per switch, from the daemon's /v1/switches. */
    private List<String[]> roles() throws Exception {
        Matcher m = SWITCH.matcher(call("GET", "/v1/switches", null).body());
        List<String[]> out = new java.util.ArrayList<>();
        while (m.find()) {
            out.add(new String[] {m.group(1), m.group(2), m.group(3), m.group(4)});
        }
        return out;
    }

    private void printRoles() throws Exception {
        for (String[] r : roles()) {
            out.printf("   %-22s %-8s %s%n", r[0], r[1], r[2].equals("true") ? "version " + r[3] : "out of reach");
        }
    }

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + daemon.httpPort() + path))
                .header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    interface Check {
        boolean ok() throws Exception;
    }

    private static void await(Check c, String what) throws Exception {
        long until = System.nanoTime() + 30_000_000_000L;
        while (!c.ok()) {
            if (System.nanoTime() > until) {
                throw new IllegalStateException("the demo timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }

    private static String ip(long v) {
        return ((v >> 24) & 255) + "." + ((v >> 16) & 255) + "." + ((v >> 8) & 255) + "." + (v & 255);
    }
}
