package org.sfc.cli.demo;

import java.io.PrintWriter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.sfc.catalog.Catalog.Device;
import org.sfc.catalog.Catalog.Service;
import org.sfc.catalog.Catalog.Uplink;
import org.sfc.catalog.Catalog;
import org.sfc.controller.Frame;
import org.sfc.sw.SoftwareSwitch;
import org.sfc.sw.runtime.V1ModelPipeline.Output;

/**
 * The outside world of the demo, played from the catalog around a switch: what leaves the switch on a
 * device's port comes back the way that device would send it, until it leaves by an uplink. Two-port
 * devices pass packets across; one-port appliances hand them back; a device that is a service's 'from'
 * (a VPN) turns the tunnel's port into the inner service's port and back; copy targets (an IDS) only
 * listen; a service's last device (a server) answers. Every hop is printed.
 */
public final class PlayedNetwork {
    private static final int SYN_ACK = 0x12;
    private static final int MAX_HOPS = 64;

    private final Catalog c;
    private final SoftwareSwitch sw;
    private final PrintWriter out;
    private final Set<String> listeners = new TreeSet<>();
    private String clientDevice;
    private long clientIp;

    public PlayedNetwork(Catalog c, SoftwareSwitch sw, PrintWriter out) {
        this.c = c;
        this.sw = sw;
        this.out = out;
        for (Service s : c.services().values()) {
            s.sequence().forEach(st -> listeners.addAll(st.copyTo()));
        }
        s().forEach(s -> s.sequence().forEach(st -> listeners.remove(st.target())));
    }

    private java.util.Collection<Service> s() {
        return c.services().values();
    }

    /** The service's clients sit behind {@code device} (a VPN, a proxy): frames to {@code ip} there are delivered. */
    public void clientsBehind(String device, long ip) {
        this.clientDevice = device;
        this.clientIp = ip;
    }

    /** A frame that left the switch by an uplink (or reached the clients' device). */
    public record Delivered(int port, Frame frame) {}

    /** A frame entering the switch on {@code port}; returns what reached an uplink. */
    public List<Delivered> send(int port, Frame frame) {
        List<Delivered> delivered = new ArrayList<>();
        Deque<Object[]> pending = new ArrayDeque<>();
        pending.add(new Object[] {port, frame});
        int hops = 0;
        while (!pending.isEmpty() && hops++ < MAX_HOPS) {
            Object[] next = pending.poll();
            int in = (Integer) next[0];
            Frame f = (Frame) next[1];
            List<Output> outs = sw.receive(in, f.bytes());
            if (outs.isEmpty()) {
                out.printf("    switch drops it%n");
            }
            for (Output o : outs) {
                Frame got = new Frame(o.data());
                Uplink u = uplinkOn(o.port());
                Device d = deviceOn(o.port());
                String checks = got.checksumsOk() ? "" : "  (BAD CHECKSUM)";
                if (u != null) {
                    out.printf("    switch -> port %-3d uplink %-12s %s%s%n", o.port(), u.name(), got.flow(), checks);
                    delivered.add(new Delivered(o.port(), got));
                } else if (d == null) {
                    out.printf("    switch -> port %-3d (nothing there)  %s%n", o.port(), got.flow());
                } else if (d.id().equals(clientDevice) && got.dstIp() == clientIp) {
                    out.printf("    switch -> port %-3d %-19s %s%s (the client)%n", o.port(), d.id(), got.flow(), checks);
                    delivered.add(new Delivered(o.port(), got));
                } else {
                    out.printf("    switch -> port %-3d %-19s %s%s%n", o.port(), d.id() + side(d, o.port()), got.flow(), checks);
                    Object[] back = play(d, o.port(), got);
                    if (back != null) {
                        pending.add(back);
                    }
                }
            }
        }
        return delivered;
    }

    /** What device {@code d} sends back (port, frame), or null if it keeps the packet. */
    private Object[] play(Device d, int port, Frame f) {
        if (listeners.contains(d.id())) {
            out.printf("      %s receives the copy%n", d.id());
            return null;
        }
        if (d.twoPort()) {
            int other = port == d.outside().port() ? d.inside().port() : d.outside().port();
            out.printf("      %s passes it through to port %d%n", d.id(), other);
            return new Object[] {other, f};
        }
        for (Service inner : s()) {
            if (d.id().equals(inner.from()) && inner.address() != null) {
                // A tunnel end (a VPN) turns the tunnel's port into the inner service's, on the same service IP; a
                // server that opens services of its own (to a database) is not one.
                Service tunnel = endingAt(d);
                if (tunnel == null || tunnel.address() == null || !tunnel.address().ip().equals(inner.address().ip())) {
                    continue;
                }
                if (tunnel != null && f.dport() == tunnel.address().port()) {
                    Frame inside = f.withDstPort(inner.address().port());
                    out.printf("      %s decapsulates: %s%n", d.id(), inside.flow());
                    return new Object[] {port, inside};
                }
                if (tunnel != null && f.sport() == inner.address().port()) {
                    Frame wrapped = f.withSrcPort(tunnel.address().port());
                    out.printf("      %s encapsulates the reply: %s%n", d.id(), wrapped.flow());
                    return new Object[] {port, wrapped};
                }
            }
        }
        if (endingAt(d) != null && d.tag() == Catalog.TagMode.PORT) {
            Frame reply = Frame.of(f.protocol(), c.switchInfo().mac().value(), d.outside().mac().value(), f.dstIp(),
                    f.srcIp(), f.dport(), f.sport(), SYN_ACK, "hello from " + d.id());
            out.printf("      %s answers: %s%n", d.id(), reply.flow());
            return new Object[] {port, reply};
        }
        out.printf("      %s hands it back%n", d.id());
        return new Object[] {port, f};
    }

    private Service endingAt(Device d) {
        for (Service s : s()) {
            if (!s.sequence().isEmpty() && s.exit() == null
                    && c.devicesOf(s.sequence().get(s.sequence().size() - 1).target(), s.name()).contains(d)) {
                return s;
            }
        }
        return null;
    }

    private String side(Device d, int port) {
        return !d.twoPort() ? "" : port == d.outside().port() ? " (outside)" : " (inside)";
    }

    private Uplink uplinkOn(int port) {
        return c.switchInfo().uplinks().stream().filter(u -> u.port() == port).findFirst().orElse(null);
    }

    private Device deviceOn(int port) {
        return c.devices().values().stream().filter(d -> d.outside().port() == port || d.inside().port() == port)
                .findFirst().orElse(null);
    }
}
