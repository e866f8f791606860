package org.sfc.catalog;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.sfc.catalog.Catalog.*;

/**
 * Checks what a catalog means, beyond its syntax: references, address conflicts, and what the data plane
 * can express. Reports every problem at once, each as {@code file:line:col: what; how to fix}.
 */
public final class Validator {
    /**
     * Forward tags 1..n and reply tags n+1..2n (2n with an exit) must stay below the port marker 31: the tag's
     * sixth bit is its version, which keeps packets in flight on their chain across a cut-over.
     */
    public static final int MAX_STEPS = 15;

    private final Catalog c;
    private final List<String> problems = new ArrayList<>();

    private Validator(Catalog c) {
        this.c = c;
    }

    /**
     * Resolves packages and pool addresses (lowest free first) and checks the result. Throws a
     * {@link CatalogException} listing every problem; returns the concrete catalog otherwise.
     */
    public static Catalog validate(Catalog c) {
        return validate(c, Resolver.IpAllocator.inOrder());
    }

    /** As {@link #validate(Catalog)}, with pool addresses from {@code ips} (the compiler's keep them stable). */
    public static Catalog validate(Catalog c, Resolver.IpAllocator ips) {
        List<String> problems = new ArrayList<>();
        Validator structure = new Validator(c);
        structure.structure();
        problems.addAll(structure.problems);
        Catalog resolved = Resolver.resolve(c, ips, problems);
        Validator v = new Validator(resolved);
        v.services();
        v.heartbeats();
        problems.addAll(v.problems);
        if (!problems.isEmpty()) {
            throw new CatalogException(problems);
        }
        return resolved;
    }

    private void problem(Src src, String message) {
        problems.add(src + ": " + message);
    }

    /** What does not depend on how services are resolved: ports, devices, pools, groups, tenants. */
    private void structure() {
        ports();
        for (Device d : c.devices().values()) {
            if (d.mode() == Mode.NAT && d.ip() == null) {
                problem(d.src(), "device " + d.id() + " runs in nat mode but has no 'ip': give the address the switch "
                        + "translates the service address to, or use mode: l2");
            }
        }
        pools();
        groups();
        for (Service s : c.services().values()) {
            if (s.tenant() != null && !c.tenants().isEmpty() && !c.tenants().containsKey(s.tenant())) {
                problem(s.src(), "service " + s.name() + ": unknown tenant '" + s.tenant() + "'; the catalog's tenants "
                        + "are " + new java.util.TreeSet<>(c.tenants().keySet()));
            }
        }
    }

    /** A device told to answer TCP handshakes must have an address and a port to be asked on. */
    private void heartbeats() {
        for (Device d : c.devices().values()) {
            if (d.health().probe() == Probe.TCP) {
                ProbeTarget t = c.probeFor(d);
                if (t.ip() == null || t.port() == null) {
                    problem(d.src(), "device " + d.id() + " has 'probe: tcp' but ends no service"
                            + (t.port() == null ? "" : " with an address") + ", so there is nothing to open a "
                            + "handshake to; give it 'ip' (nat mode) and 'probe-port', or use probe: loop or none");
                }
            }
        }
    }

    private void services() {
        for (Service s : c.services().values()) {
            service(s);
        }
        addresses();
        clients();
    }

    /** Pool members and spares exist, have the pool's function (and vendor/model), and sit in one pool only. */
    private void pools() {
        Map<String, String> poolOf = new HashMap<>();
        for (Pool p : c.pools().values()) {
            List<String> all = new ArrayList<>(p.members());
            all.addAll(p.spares());
            for (String name : all) {
                Device d = device(name, p.src(), "pool " + p.name());
                if (d == null) {
                    continue;
                }
                String prev = poolOf.putIfAbsent(name, p.name());
                if (prev != null) {
                    problem(p.src(), "pool " + p.name() + ": device " + name + " is already in pool " + prev
                            + "; a device belongs to one pool (as a member or a spare)");
                }
                if (!d.function().equals(p.function()) || differs(p.vendor(), d.vendor()) || differs(p.model(), d.model())) {
                    problem(p.src(), "pool " + p.name() + " holds " + p.function() + (p.vendor() == null ? "" : " from "
                            + p.vendor()) + (p.model() == null ? "" : " model " + p.model()) + " but device " + name
                            + " is " + d.function() + (d.vendor() == null ? "" : " from " + d.vendor())
                            + (d.model() == null ? "" : " model " + d.model()) + "; a pool holds like devices only");
                }
            }
        }
    }

    private static boolean differs(String wanted, String have) {
        return wanted != null && !wanted.equals(have);
    }

    /** Group members exist and are interchangeable: same mode, tag mode and number of ports. */
    private void groups() {
        for (Group g : c.groups().values()) {
            Device first = null;
            for (String name : g.members()) {
                if (c.pools().containsKey(name) || c.groups().containsKey(name)) {
                    problem(g.src(), "group " + g.name() + ": member " + name + " is a pool or group; list devices");
                    continue;
                }
                Device d = device(name, g.src(), "group " + g.name());
                if (d == null) {
                    continue;
                }
                if (first == null) {
                    first = d;
                } else if (d.mode() != first.mode() || d.tag() != first.tag() || d.twoPort() != first.twoPort()) {
                    problem(g.src(), "group " + g.name() + ": device " + name + " is not like " + first.id()
                            + " (mode, tag and number of ports must match); a group shares load between identical devices");
                }
            }
        }
    }

    /** Every switch port has one role: one uplink, or one side of one device. */
    private void ports() {
        Map<Integer, String> owner = new HashMap<>();
        for (Uplink u : c.switchInfo().uplinks()) {
            claim(owner, u.port(), "uplink " + u.name(), u.src());
        }
        for (Device d : c.devices().values()) {
            claim(owner, d.outside().port(), "device " + d.id(), d.outside().src());
            if (d.twoPort()) {
                if (d.inside().port() == d.outside().port()) {
                    problem(d.inside().src(), "device " + d.id() + ": outside and inside are on the same port "
                            + d.inside().port() + "; a one-port device takes 'port' and 'mac' instead");
                } else {
                    claim(owner, d.inside().port(), "device " + d.id(), d.inside().src());
                }
            }
        }
        portLimits(owner);
    }

    /** A port limit is on a port the catalog names, once. */
    private void portLimits(Map<Integer, String> owner) {
        Map<Integer, PortLimit> seen = new HashMap<>();
        for (PortLimit l : c.switchInfo().portLimits()) {
            if (!owner.containsKey(l.port())) {
                problem(l.src(), "port-limits: port " + l.port() + " is no uplink's or device's port " + new java.util.TreeSet<>(
                        owner.keySet()) + "; a packet from a port with no role is dropped anyway");
            }
            PortLimit prev = seen.putIfAbsent(l.port(), l);
            if (prev != null) {
                problem(l.src(), "port-limits: port " + l.port() + " is limited twice (also at line " + prev.src().line()
                        + "); keep one");
            }
        }
    }

    private void claim(Map<Integer, String> owner, int port, String who, Src src) {
        if (!c.switchInfo().hasPort(port)) {
            problem(src, who + " is on port " + port + ", which the switch does not have (its ports are "
                    + c.switchInfo().ports().stream().map(PortRange::toString).map(r -> r.replaceAll("^(\\d+)-\\1$", "$1"))
                            .toList() + "); cable it to one of those, or correct the switch's 'ports'");
        }
        String prev = owner.putIfAbsent(port, who);
        if (prev != null && !prev.equals(who)) {
            problem(src, who + " is on port " + port + ", which " + prev + " already uses; the switch tells devices "
                    + "apart by port, so give each its own port");
        }
    }

    private Device device(String name, Src src, String where) {
        Device d = c.devices().get(name);
        if (d == null) {
            problem(src, where + ": unknown device '" + name + "'; the catalog's devices are "
                    + new java.util.TreeSet<>(c.devices().keySet()));
        }
        return d;
    }

    /** A step's target: a device, pool or group (an unknown name is reported). */
    private List<Device> target(String name, String service, Src src, String where) {
        if (c.devices().containsKey(name) || c.pools().containsKey(name) || c.groups().containsKey(name)) {
            return c.devicesOf(name, service);
        }
        String known = "the catalog's devices are " + new java.util.TreeSet<>(c.devices().keySet());
        if (!c.pools().isEmpty() || !c.groups().isEmpty()) {
            known += ", pools " + new java.util.TreeSet<>(c.pools().keySet()) + ", groups "
                    + new java.util.TreeSet<>(c.groups().keySet());
        }
        problem(src, where + ": unknown device '" + name + "'; " + known);
        return List.of();
    }

    private void service(Service s) {
        String what = "service " + s.name();
        if (s.sequence().size() > MAX_STEPS) {
            problem(s.src(), what + " has " + s.sequence().size() + " steps; at most " + MAX_STEPS
                    + " fit the step tag (5 bits of DSCP; the sixth tells a cut-over's old and new steps apart); "
                    + "split it into two services, the second one's clients coming 'from' the first one's last device");
        }
        Device from = null;
        if (s.from() != null) {
            from = device(s.from(), s.src(), what + " 'from'");
            if (from != null && from.tag() != TagMode.PORT) {
                problem(s.src(), what + " starts at device " + from.id() + ", which emits new packets without our "
                        + "step tag: give " + from.id() + " tag: port");
            }
        }
        if (s.exit() != null && c.switchInfo().uplink(s.exit()) == null) {
            problem(s.src(), what + ": unknown exit uplink '" + s.exit() + "'; the switch's uplinks are "
                    + c.switchInfo().uplinks().stream().map(Uplink::name).toList());
        }
        if (s.sourceKeyed() && s.exit() == null) {
            problem(s.src(), what + " is chosen by its clients, so after its last step it leaves toward the network: "
                    + "name the uplink under 'exit'");
        }
        if (s.sourceKeyed() && s.exit() != null && from == null && c.switchInfo().uplink(s.exit()) != null
                && c.switchInfo().uplinks().size() == 1) {
            problem(s.src(), what + " leaves by uplink " + s.exit() + ", the switch's only uplink; its clients need "
                    + "another uplink, or a 'from' device");
        }
        if (!s.sourceKeyed() && s.exit() != null) {
            problem(s.src(), what + ": 'exit' is for services chosen by 'clients'; a service address ends at its last "
                    + "device");
        }
        // A service that leaves by an uplink gets its replies from there, not from its last device.
        boolean endsAtDevice = !s.sourceKeyed();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < s.sequence().size(); i++) {
            Step st = s.sequence().get(i);
            String where = what + " step " + (i + 1);
            List<Device> ds = target(st.target(), s.name(), st.src(), where);
            for (String copy : st.copyTo()) {
                device(copy, st.src(), where + " copy-to");
            }
            boolean last = i == s.sequence().size() - 1;
            if (st.translatePort() != null && !(last && endsAtDevice)) {
                problem(st.src(), where + ": port translation is only for the last step (the server); the reply is "
                        + "translated back where it is classified");
            }
            for (Device d : ds) {
                deviceInStep(s, d, st, where, last && endsAtDevice, last, from, seen);
            }
        }
    }

    private void deviceInStep(Service s, Device d, Step st, String where, boolean end, boolean last, Device from,
                              Set<String> seen) {
        if (from != null && d.id().equals(from.id())) {
            problem(st.src(), where + ": device " + d.id() + " is where the service's clients come from; it "
                    + "cannot also be a step");
        }
        if (!seen.add(d.id()) && d.tag() == TagMode.PORT) {
            problem(st.src(), where + ": device " + d.id() + " appears twice and is port-tagged, so the switch "
                    + "could not tell the two visits apart (a loop); give it tag: dscp or use another device");
        }
        if (end && d.tag() != TagMode.PORT) {
            problem(st.src(), where + ": device " + d.id() + " ends the service, so replies start there and "
                    + "carry no step tag of ours: give it tag: port");
        }
        if (end && d.twoPort()) {
            problem(st.src(), where + ": the last device must be a one-port device (its replies leave where "
                    + "requests arrive)");
        }
        if (!end && d.mode() == Mode.NAT) {
            problem(st.src(), where + ": device " + d.id() + " runs in nat mode but is not the last step; "
                    + "NAT is for the server at the end of a sequence");
        }
        if (end && d.mode() == Mode.NAT && s.address() != null
                && (s.address().dynamicPorts() != null || s.address().port() != s.address().lastPort())) {
            problem(st.src(), where + ": dynamic ports and port ranges with a nat-mode server are not supported yet; "
                    + "run " + d.id() + " in l2 (loopback/alias) mode");
        }
    }

    /** A client address chooses one chain, and is no service's address (the switch would confuse the two). */
    private void clients() {
        Map<Long, String> owner = new HashMap<>();
        for (Service s : c.services().values()) {
            if (s.address() != null) {
                owner.putIfAbsent(s.address().ip().value(), "the address of service " + s.name());
            }
        }
        for (Device d : c.devices().values()) {
            if (d.ip() != null && d.mode() == Mode.NAT) {
                owner.putIfAbsent(d.ip().value(), "the address of nat-mode device " + d.id());
            }
        }
        for (Service s : c.services().values()) {
            if (!s.sourceKeyed()) {
                continue;
            }
            for (Ipv4 ip : s.clients().ips()) {
                String prev = owner.putIfAbsent(ip.value(), "a client of service " + s.name());
                if (prev != null && !prev.equals("a client of service " + s.name())) {
                    problem(s.clients().src(), "service " + s.name() + ": client " + ip + " is already " + prev
                            + "; an address can choose only one chain");
                }
            }
        }
    }

    /** Service addresses are unique, and ranges owned by service ports never overlap (seed ¶127). */
    private void addresses() {
        record Ports(long ip, Protocol protocol, int port, int lastPort) {}
        record IpProto(long ip, Protocol protocol) {}
        Map<Ports, Service> fixed = new HashMap<>();
        List<Service> all = c.services().values().stream().filter(x -> x.address() != null).toList();
        for (Service s : all) {
            Address a = s.address();
            Ports key = new Ports(a.ip().value(), a.protocol(), a.port(), a.lastPort());
            Service prev = fixed.putIfAbsent(key, s);
            if (prev != null) {
                problem(a.src(), "service " + s.name() + " has the same address as service " + prev.name() + " ("
                        + a.ip() + " " + a.protocol().name().toLowerCase() + " " + a.ports() + "); change its ip or port");
            }
        }
        // Ranges only conflict within one IP and protocol: compare within those groups, not all pairs.
        Map<IpProto, List<Service>> byIp = new HashMap<>();
        for (Service svc : all) {
            byIp.computeIfAbsent(new IpProto(svc.address().ip().value(), svc.address().protocol()),
                    k -> new ArrayList<>()).add(svc);
        }
        for (List<Service> group : byIp.values()) {
            for (int i = 0; i < group.size(); i++) {
                for (int j = 0; j < group.size(); j++) {
                    if (i != j) {
                        rangeConflicts(group.get(i), group.get(j), j > i);
                    }
                }
            }
        }
    }

    /** Conflicts of a's ranges with b's (both on one ip and protocol); {@code firstTime}: a comes before b. */
    private void rangeConflicts(Service sa, Service sb, boolean firstTime) {
        Address a = sa.address();
        Address b = sb.address();
        PortRange bPorts = new PortRange(b.port(), b.lastPort(), b.src());
        if (a.dynamicPorts() != null) {
            if (b.dynamicPorts() != null && firstTime && a.dynamicPorts().overlaps(b.dynamicPorts())) {
                problem(b.dynamicPorts().src(), "service " + sb.name() + " owns dynamic ports " + b.dynamicPorts()
                        + ", which overlap " + a.dynamicPorts() + " owned by service " + sa.name() + " on the same ip; "
                        + "each service port needs its own range");
            }
            if (a.dynamicPorts().overlaps(bPorts)) {
                problem(a.dynamicPorts().src(), "service " + sa.name() + "'s dynamic ports " + a.dynamicPorts()
                        + " include port " + b.ports() + ", the service port of " + sb.name() + "; move the range or "
                        + "that service's port");
            }
        }
        boolean sameSinglePort = a.port() == a.lastPort() && b.port() == b.lastPort();
        if (firstTime && !sameSinglePort && new PortRange(a.port(), a.lastPort(), a.src()).overlaps(bPorts)) {
            problem(b.src(), "service " + sb.name() + "'s ports " + b.ports() + " overlap the ports " + a.ports()
                    + " of service " + sa.name() + " on the same ip; give them ranges that do not overlap");
        }
    }
}
