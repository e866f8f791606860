package org.sfc.cli.demo;

import java.io.PrintWriter;
import java.util.List;

import org.sfc.catalog.Catalog.Service;
import org.sfc.catalog.Catalog.Uplink;
import org.sfc.catalog.Catalog;
import org.sfc.controller.Frame;
import org.sfc.sw.SoftwareSwitch;

/**
 * Follows one client exchange of a service through a switch (request in, through the devices, the answer
 * back), printing every hop: the seed's "service validation" before a cut-over, when the switch is a copy of
 * the pipeline holding the candidate entries.
 */
public final class Tracer {
    private static final long INTERNET_HOST = org.sfc.catalog.Ipv4.parse("192.0.2.80").value();
    private static final int SYN = 0x02;
    private static final int SYN_ACK = 0x12;

    private final Catalog c;
    private final SoftwareSwitch sw;
    private final PrintWriter out;

    public Tracer(Catalog c, SoftwareSwitch sw, PrintWriter out) {
        this.c = c;
        this.sw = sw;
        this.out = out;
    }

    /** Traces a request of {@code client} to {@code svc} and its reply; true if the reply reached the client. */
    public boolean trace(Service svc, long client, int clientPort) {
        PlayedNetwork net = new PlayedNetwork(c, sw, out);
        long switchMac = c.switchInfo().mac().value();
        int entry;
        Frame request;
        if (svc.sourceKeyed()) {
            client = svc.clients().ips().get(0).value();
            Uplink exit = c.switchInfo().uplink(svc.exit());
            entry = svc.from() != null ? c.devices().get(svc.from()).inside().port()
                    : c.switchInfo().uplinks().stream().filter(u -> u != exit).findFirst().orElseThrow().port();
            int proto = svc.clients().protocols().get(0).number;
            request = Frame.of(proto, switchMac, 0x0200000000aaL, client, INTERNET_HOST, clientPort, 80, SYN, "GET /");
            out.printf("  request: client %s -> the network (%s) enters port %d%n", Frame.ip(client), Frame.ip(INTERNET_HOST),
                    entry);
        } else {
            Uplink in = c.switchInfo().uplinks().get(0);
            entry = svc.from() != null ? c.devices().get(svc.from()).inside().port() : in.port();
            request = Frame.of(svc.address().protocol().number, switchMac, svc.from() != null
                    ? c.devices().get(svc.from()).inside().mac().value() : in.routerMac().value(), client,
                    svc.address().ip().value(), clientPort, svc.address().port(), SYN, "GET /");
            out.printf("  request: client %s -> %s:%d enters port %d (%s)%n", Frame.ip(client), svc.address().ip(),
                    svc.address().port(), entry, svc.from() != null ? "from " + svc.from() : "uplink " + in.name());
        }
        if (svc.from() != null) {
            net.clientsBehind(svc.from(), client);
        }
        List<PlayedNetwork.Delivered> delivered = net.send(entry, request);
        for (int round = 0; round < 2; round++) {
            for (PlayedNetwork.Delivered d : delivered) {
                if (d.frame().dstIp() == client) {
                    out.printf("  the reply reached client %s%s%n", Frame.ip(client),
                            d.frame().checksumsOk() ? "" : " (with a bad checksum)");
                    return d.frame().checksumsOk();
                }
            }
            // A request that left toward the network: the host answers on the same uplink.
            PlayedNetwork.Delivered left = delivered.stream().filter(d -> d.frame().dstIp() == INTERNET_HOST)
                    .findFirst().orElse(null);
            if (left == null) {
                break;
            }
            Frame f = left.frame();
            Frame reply = Frame.of(f.protocol(), switchMac, uplinkMac(left.port()), f.dstIp(), f.srcIp(), f.dport(),
                    f.sport(), SYN_ACK, "hello");
            out.printf("  the network answers on port %d: %s%n", left.port(), reply.flow());
            delivered = net.send(left.port(), reply);
        }
        out.printf("  NO reply reached client %s%n", Frame.ip(client));
        return false;
    }

    private long uplinkMac(int port) {
        return c.switchInfo().uplinks().stream().filter(u -> u.port() == port).findFirst().orElseThrow().routerMac().value();
    }
}
