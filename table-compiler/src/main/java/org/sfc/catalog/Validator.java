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
    /** Forward tags 1..n and reply tags n+1..2n-1 must stay below the port marker 63. */
    public static final int MAX_STEPS = 31;

    private final Catalog c;
    private final List<String> problems = new ArrayList<>();

    private Validator(Catalog c) {
        this.c = c;
    }

    /** Throws a {@link CatalogException} listing every problem, or returns normally if there is none. */
    public static void validate(Catalog c) {
        Validator v = new Validator(c);
        v.run();
        if (!v.problems.isEmpty()) {
            throw new CatalogException(v.problems);
        }
    }

    private void problem(Src src, String message) {
        problems.add(src + ": " + message);
    }

    private void run() {
        ports();
        for (Device d : c.devices().values()) {
            if (d.mode() == Mode.NAT && d.ip() == null) {
                problem(d.src(), "device " + d.id() + " runs in nat mode but has no 'ip': give the address the switch "
                        + "translates the service address to, or use mode: l2");
            }
        }
        for (Service s : c.services().values()) {
            service(s);
        }
        addresses();
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
    }

    private void claim(Map<Integer, String> owner, int port, String who, Src src) {
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

    private void service(Service s) {
        String what = "service " + s.name();
        if (s.sequence().size() > MAX_STEPS) {
            problem(s.src(), what + " has " + s.sequence().size() + " steps; at most " + MAX_STEPS
                    + " fit the 6-bit step tag (forward and reply tags must stay below 63)");
        }
        Device from = null;
        if (s.from() != null) {
            from = device(s.from(), s.src(), what + " 'from'");
            if (from != null && from.tag() != TagMode.PORT) {
                problem(s.src(), what + " starts at device " + from.id() + ", which emits new packets without our "
                        + "step tag: give " + from.id() + " tag: port");
            }
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < s.sequence().size(); i++) {
            Step st = s.sequence().get(i);
            String where = what + " step " + (i + 1);
            Device d = device(st.device(), st.src(), where);
            for (String copy : st.copyTo()) {
                device(copy, st.src(), where + " copy-to");
            }
            if (d == null) {
                continue;
            }
            if (from != null && d.id().equals(from.id())) {
                problem(st.src(), where + ": device " + d.id() + " is where the service's clients come from; it "
                        + "cannot also be a step");
            }
            if (!seen.add(d.id()) && d.tag() == TagMode.PORT) {
                problem(st.src(), where + ": device " + d.id() + " appears twice and is port-tagged, so the switch "
                        + "could not tell the two visits apart (a loop); give it tag: dscp or use another device");
            }
            boolean last = i == s.sequence().size() - 1;
            if (st.translatePort() != null && !last) {
                problem(st.src(), where + ": port translation is only for the last step (the server); the reply is "
                        + "translated back where it is classified");
            }
            if (last && d.tag() != TagMode.PORT) {
                problem(st.src(), where + ": device " + d.id() + " ends the service, so replies start there and "
                        + "carry no step tag of ours: give it tag: port");
            }
            if (last && d.twoPort()) {
                problem(st.src(), where + ": the last device must be a one-port device (its replies leave where "
                        + "requests arrive)");
            }
            if (!last && d.mode() == Mode.NAT) {
                problem(st.src(), where + ": device " + d.id() + " runs in nat mode but is not the last step; "
                        + "NAT is for the server at the end of a sequence");
            }
            if (last && d.mode() == Mode.NAT && s.address().dynamicPorts() != null) {
                problem(st.src(), where + ": dynamic ports with a nat-mode server are not supported yet; run "
                        + d.id() + " in l2 (loopback/alias) mode");
            }
        }
    }

    /** Service addresses are unique, and ranges owned by service ports never overlap (seed ¶127). */
    private void addresses() {
        Map<String, Service> fixed = new HashMap<>();
        List<Service> all = new ArrayList<>(c.services().values());
        for (Service s : all) {
            Address a = s.address();
            String key = a.ip() + "/" + a.protocol() + "/" + a.port();
            Service prev = fixed.putIfAbsent(key, s);
            if (prev != null) {
                problem(a.src(), "service " + s.name() + " has the same address as service " + prev.name() + " ("
                        + a.ip() + " " + a.protocol().name().toLowerCase() + " " + a.port() + "); change its ip or port");
            }
        }
        // Ranges only conflict within one IP and protocol: compare within those groups, not all pairs.
        Map<String, List<Service>> byIp = new HashMap<>();
        for (Service svc : all) {
            byIp.computeIfAbsent(svc.address().ip() + "/" + svc.address().protocol(), k -> new ArrayList<>()).add(svc);
        }
        for (List<Service> group : byIp.values()) {
            if (group.stream().noneMatch(x -> x.address().dynamicPorts() != null)) {
                continue;
            }
            for (int i = 0; i < group.size(); i++) {
                Address a = group.get(i).address();
                if (a.dynamicPorts() == null) {
                    continue;
                }
                for (int j = 0; j < group.size(); j++) {
                    Address b = group.get(j).address();
                    if (i == j) {
                        continue;
                    }
                    if (b.dynamicPorts() != null && j > i && a.dynamicPorts().overlaps(b.dynamicPorts())) {
                        problem(b.dynamicPorts().src(), "service " + group.get(j).name() + " owns dynamic ports "
                                + b.dynamicPorts() + ", which overlap " + a.dynamicPorts() + " owned by service "
                                + group.get(i).name() + " on the same ip; each service port needs its own range");
                    }
                    if (a.dynamicPorts().contains(b.port())) {
                        problem(a.dynamicPorts().src(), "service " + group.get(i).name() + "'s dynamic ports "
                                + a.dynamicPorts() + " include port " + b.port() + ", the service port of "
                                + group.get(j).name() + "; move the range or that service's port");
                    }
                }
            }
        }
    }
}
