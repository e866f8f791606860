package org.sfc.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.sfc.catalog.Catalog;
import org.sfc.catalog.CatalogLoader;
import org.sfc.cli.demo.PlayedNetwork;
import org.sfc.controller.Frame;
import org.sfc.controller.P4RuntimeClient;
import org.sfc.controller.PipelineConfig;
import org.sfc.controller.Provisioner;
import org.sfc.controller.Store;
import org.sfc.sw.SoftwareSwitch;
import org.sfc.sw.server.SwitchServer;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sfc demo}: the whole system on one machine, in one process, in a few seconds. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Starts the software switch behind a real P4Runtime server on loopback, connects the",
            "controller, pushes the pipeline, applies a catalog (default: the seed's Figure 7: firewall -> VPN,",
            "then server with an IDS copy), sends a client's request and follows it hop by hop through the",
            "devices (played by the demo) and the server's reply back, then prints the per-device counters.",
            "With --redundant: the same catalog on a redundant pair, and a takeover.",
            "Exit 0 when the reply reached the client."})
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--catalog", paramLabel = "FILE", description = "the catalog (default: examples/figure-7.yaml)")
    Path catalog;

    @Option(names = "--client", defaultValue = "198.51.100.7", description = "the client's address (default: ${DEFAULT-VALUE})")
    String client;

    @Option(names = "--service", description = "the service to call (default: the first one reached from the uplinks)")
    String service;

    @Option(names = "--redundant", description = {"a redundant pair instead (seed Fig. 15): two software switches driven by",
        "the controller daemon; the active one dies, the standby takes over and answers the next request, the dead",
        "one comes back as the standby"})
    boolean redundant;

    @Mixin
    PipelineOptions pipeline = new PipelineOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        var out = spec.commandLine().getOut();
        Path file = catalog != null ? catalog : Home.resolve("examples/figure-7.yaml");
        String text = Files.readString(file);
        Catalog c = CatalogLoader.loadText(file.toString(), text);
        Catalog.Service svc = pick(c);
        PipelineConfig config = pipeline.load();
        if (redundant) {
            return new org.sfc.cli.demo.RedundantDemo(c, file.getFileName().toString(), text, config, out)
                    .run(svc, ipv4(client)) ? 0 : 1;
        }
        Path db = Files.createTempFile("sfc-demo", ".db");
        SoftwareSwitch sw = new SoftwareSwitch(1, 255);
        try (SwitchServer server = SwitchServer.start(sw, "127.0.0.1", 0);
             Store store = Store.open(db);
             P4RuntimeClient controller = P4RuntimeClient.connect("127.0.0.1", server.port(), 1, 10, 5000)) {
            out.printf("1. software switch: P4Runtime on 127.0.0.1:%d (device 1, CPU port 255)%n", server.port());
            Provisioner p = Provisioner.start(controller, config, store, "demo", "demo");
            out.printf("2. controller: primary (election id 10); pipeline pushed (%d tables)%n",
                    config.p4info().getTablesCount());
            Provisioner.Report r = p.apply(file.toString(), text, "demo", "sfc demo");
            out.printf("3. catalog %s applied as version %d: %d writes in %d ms%n", file.getFileName(), r.version(),
                    r.writes(), r.millis());

            PlayedNetwork net = new PlayedNetwork(c, sw, out);
            Catalog.Uplink uplink = c.switchInfo().uplinks().get(0);
            Frame request = Frame.tcp(c.switchInfo().mac().value(), uplink.routerMac().value(), ipv4(client),
                    svc.address().ip().value(), 40000, svc.address().port(), 0x02, "GET /");
            out.printf("4. client %s calls service %s (%s:%d) through uplink %s (port %d)%n", client, svc.name(),
                    svc.address().ip(), svc.address().port(), uplink.name(), uplink.port());
            List<PlayedNetwork.Delivered> back = net.send(uplink.port(), request);
            boolean answered = back.stream().map(PlayedNetwork.Delivered::frame).anyMatch(f -> f.dstIp() == ipv4(client)
                    && f.srcIp() == svc.address().ip().value() && f.sport() == svc.address().port() && f.checksumsOk());
            out.println(answered ? "   the reply reached the client from the service address, checksums intact"
                    : "   NO reply reached the client");
            counters(out, controller, p, c);
            return answered ? 0 : 1;
        } finally {
            Files.deleteIfExists(db);
        }
    }

    private Catalog.Service pick(Catalog c) {
        if (service != null) {
            Catalog.Service s = c.services().get(service);
            if (s == null || s.address() == null) {
                throw new IllegalArgumentException("no service '" + service + "' with an address; the catalog has "
                        + c.services().keySet());
            }
            return s;
        }
        return c.services().values().stream().filter(s -> s.address() != null && s.from() == null).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the catalog has no service reached from the uplinks"));
    }

    private static void counters(java.io.PrintWriter out, P4RuntimeClient client, Provisioner p, Catalog c) {
        out.println("5. counters (read over P4Runtime)");
        out.printf("   %-12s %10s %14s%n", "DEVICE", "SENT TO", "RECEIVED FROM");
        Map<String, Integer> ids = p.compiled().ids().asMap().getOrDefault("device", Map.of());
        // As sfc stats and the metrics count them: copies sent to an IDS are traffic sent to it.
        Map<String, long[]> traffic = org.sfc.controller.Accounting.deviceTraffic(client, p.schema().p4info(), ids);
        for (String d : new java.util.TreeSet<>(c.devices().keySet())) {
            long[] t = traffic.getOrDefault(d, new long[4]);
            out.printf("   %-12s %10d %14d%n", d, t[0], t[2]);
        }
    }

    private static long ipv4(String s) {
        return org.sfc.catalog.Ipv4.parse(s).value();
    }
}
