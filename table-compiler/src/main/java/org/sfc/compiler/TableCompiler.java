package org.sfc.compiler;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.sfc.catalog.Catalog;
import org.sfc.catalog.Catalog.*;
import org.sfc.catalog.Validator;

import p4.v1.P4RuntimeOuterClass.*;

/**
 * Compiles a validated catalog into the P4Runtime entities of the sfc program (p4src/): a pure function of
 * the catalog, the program's schema and the previous version's ids.
 *
 * <p>How a service becomes entries (see p4src/README.md for the tables):
 * <ul>
 *   <li>Forward, a packet from the clients' side (the uplinks, or the {@code from} device) goes to step 1;
 *       back from step i (its inside port; a one-port device's only port) it goes to step i+1.</li>
 *   <li>Reply, a packet back from the last device goes to step n-1 (its inside port), back from step i (its
 *       outside port) to step i-1, and from step 1 to the clients' side with the service's DSCP.</li>
 *   <li>Toward a tag-keeping device (tag: dscp) the packet carries a step tag: i in the forward direction,
 *       2n-i in the reply direction (so the two never collide); toward other devices the service's DSCP.
 *       A packet back from a port-tagged device has step 63.</li>
 *   <li>{@code copy-to} on a step copies packets going into that device and replies coming out of it.</li>
 *   <li>The last device's replies are classified by source: a nat-mode server's address and a translated
 *       port are turned back into the service address there.</li>
 * </ul>
 */
public final class TableCompiler {
    public static final int STEP_FROM_PORT = 63;
    private static final int FWD = 0;
    private static final int REPLY = 1;
    private static final int FIXED_PORT_PRIORITY = 2;
    private static final int RANGE_PRIORITY = 1;

    /** A compilation: the entities and the ids it used (to pass to the next compilation). */
    public record Result(DesiredState state, Ids ids) {}

    private final Catalog c;
    private final Schema s;
    private final Ids.Allocator ids;
    private final Map<String, Action> members = new LinkedHashMap<>();
    private final Map<String, List<Device>> cloneSessions = new TreeMap<>();
    private final List<Entity> ports = new ArrayList<>();
    private final List<Entity> meters = new ArrayList<>();
    private final List<Entity> steps = new ArrayList<>();
    private final List<Entity> classifiers = new ArrayList<>();

    private TableCompiler(Catalog c, Schema s, Ids previous) {
        this.c = c;
        this.s = s;
        this.ids = previous.next();
    }

    public static Result compile(Catalog catalog, Schema schema, Ids previous) {
        Validator.validate(catalog);
        return new TableCompiler(catalog, schema, previous).run();
    }

    private Result run() {
        // Ids in a deterministic order: devices and services by name.
        new TreeMap<>(c.devices()).keySet().forEach(d -> deviceId(d));
        new TreeMap<>(c.services()).keySet().forEach(n -> serviceId(n));
        portRoles();
        for (Service svc : new TreeMap<>(c.services()).values()) {
            service(svc);
        }
        List<Entity> all = new ArrayList<>();
        int profile = s.profileId("next_hop_selector");
        members.forEach((key, action) -> {
            int id = ids.id("next-hop", key, 1, 65535);
            all.add(Entity.newBuilder().setActionProfileMember(ActionProfileMember.newBuilder()
                    .setActionProfileId(profile).setMemberId(id).setAction(action)).build());
        });
        members.keySet().forEach(key -> {
            int id = ids.id("next-hop", key, 1, 65535);
            all.add(entry(TableEntry.newBuilder().setTableId(s.table("next_hop").getPreamble().getId())
                    .addMatch(s.exact("next_hop", "nh_id", id))
                    .setAction(TableAction.newBuilder().setActionProfileMemberId(id)).build()));
        });
        cloneSessions.forEach((key, targets) -> {
            CloneSessionEntry.Builder cs = CloneSessionEntry.newBuilder().setSessionId(ids.id("clone-session", key, 1, 65535));
            for (Device d : targets) {
                cs.addReplicas(Replica.newBuilder().setEgressPort(d.outside().port()).setInstance(deviceId(d.id())));
            }
            all.add(Entity.newBuilder().setPacketReplicationEngineEntry(PacketReplicationEngineEntry.newBuilder()
                    .setCloneSessionEntry(cs)).build());
        });
        cloneSessions.values().stream().flatMap(List::stream).map(Device::id).distinct().sorted().forEach(name -> {
            Device d = c.devices().get(name);
            all.add(entry(tableEntry("copy_target", 0, s.action("set_copy_target", "dmac", d.outside().mac().value(),
                    "smac", c.switchInfo().mac().value()), s.exact("copy_target", "copy_rid", deviceId(name)))));
        });
        all.addAll(ports);
        all.addAll(meters);
        all.addAll(steps);
        all.addAll(classifiers);
        checkCapacity(all);
        return new Result(new DesiredState(List.copyOf(all), s), ids.result());
    }

    /**
     * Every table, the next-hop selector and the meter array must hold what the catalog needs (sizes from the
     * target's P4Info, so a bigger target takes a bigger catalog without a code change).
     */
    private void checkCapacity(List<Entity> all) {
        Map<Integer, Integer> perTable = new TreeMap<>();
        int memberCount = 0;
        for (Entity e : all) {
            if (e.hasTableEntry()) {
                perTable.merge(e.getTableEntry().getTableId(), 1, Integer::sum);
            } else if (e.hasActionProfileMember()) {
                memberCount++;
            }
        }
        String file = c.switchInfo().src().file() + ": ";
        List<String> problems = new ArrayList<>();
        for (var t : s.p4info().getTablesList()) {
            int need = perTable.getOrDefault(t.getPreamble().getId(), 0);
            if (need > t.getSize()) {
                problems.add(file + "the catalog needs " + need + " entries in table " + t.getPreamble().getAlias()
                        + " but the target holds " + t.getSize() + "; remove services or use a target with a bigger table");
            }
        }
        long selectorSize = s.profile("next_hop_selector").getSize();
        if (memberCount > selectorSize) {
            problems.add(file + "the catalog needs " + memberCount + " next-hop members but the target's selector holds "
                    + selectorSize);
        }
        long meters = s.meter("service_meter").getSize();
        for (Service svc : new TreeMap<>(c.services()).values()) {
            int id = serviceId(svc.name());
            if (svc.rate() != null && id >= meters) {
                problems.add(file + "service " + svc.name() + " is rate-limited but its id " + id + " is beyond the target's "
                        + meters + " meters (ids 0.." + (meters - 1) + "); give fewer services a rate or use a target "
                        + "with more meters");
            }
        }
        if (!problems.isEmpty()) {
            throw new org.sfc.catalog.CatalogException(problems);
        }
    }

    // ------------------------------------------------------------------ ids and helpers

    private int deviceId(String name) {
        return ids.id("device", name, 1, 4095);
    }

    private int serviceId(String name) {
        int width = s.field("sequence", "service_id").getBitwidth();
        return ids.id("service", name, 1, (1 << width) - 1);
    }

    private static Entity entry(TableEntry t) {
        return Entity.newBuilder().setTableEntry(t).build();
    }

    private TableEntry tableEntry(String table, int priority, Action action, FieldMatch... match) {
        return TableEntry.newBuilder().setTableId(s.table(table).getPreamble().getId()).addAllMatch(List.of(match))
                .setPriority(priority).setAction(TableAction.newBuilder().setAction(action)).build();
    }

    private int nextHop(String key, Action member) {
        members.putIfAbsent(key, member);
        return ids.id("next-hop", key, 1, 65535);
    }

    /** The next hop that sends a packet into {@code d} in {@code direction} (outside forward, inside reply). */
    private int deviceNextHop(Device d, int direction) {
        long smac = c.switchInfo().mac().value();
        if (direction == FWD) {
            Attachment a = d.outside();
            Action act = d.mode() == Mode.NAT
                    ? s.action("set_next_hop_nat", "port", a.port(), "dmac", a.mac().value(), "smac", smac,
                            "device_id", deviceId(d.id()), "device_ip", d.ip().value())
                    : s.action("set_next_hop", "port", a.port(), "dmac", a.mac().value(), "smac", smac,
                            "device_id", deviceId(d.id()));
            // Keyed by what the next hop does: a one-port l2 device shares one next hop for both directions.
            return nextHop("device:" + d.id() + (d.mode() == Mode.NAT ? ":nat" : ":port" + a.port()), act);
        }
        Attachment a = d.inside();
        return nextHop("device:" + d.id() + ":port" + a.port(), s.action("set_next_hop", "port", a.port(), "dmac",
                a.mac().value(), "smac", smac, "device_id", deviceId(d.id())));
    }

    private int uplinkNextHop(Uplink u) {
        return nextHop("uplink:" + u.name(), s.action("set_next_hop", "port", u.port(), "dmac", u.routerMac().value(),
                "smac", c.switchInfo().mac().value(), "device_id", 0));
    }

    private int copySession(List<String> targets) {
        List<String> sorted = targets.stream().sorted().toList();
        String key = String.join(",", sorted);
        cloneSessions.putIfAbsent(key, sorted.stream().map(c.devices()::get).toList());
        return ids.id("clone-session", key, 1, 65535);
    }

    // ------------------------------------------------------------------ tables

    private void portRoles() {
        for (Uplink u : c.switchInfo().uplinks()) {
            ports.add(entry(tableEntry("port_role", 0, s.action("set_uplink"), s.exact("port_role", "ig_port", u.port()))));
        }
        for (Device d : new TreeMap<>(c.devices()).values()) {
            int tag = d.tag() == TagMode.PORT ? 1 : 0;
            ports.add(entry(tableEntry("port_role", 0, s.action("set_device", "device_id", deviceId(d.id()),
                    "tag_mode", tag), s.exact("port_role", "ig_port", d.outside().port()))));
            if (d.twoPort()) {
                ports.add(entry(tableEntry("port_role", 0, s.action("set_device", "device_id", deviceId(d.id()),
                        "tag_mode", tag), s.exact("port_role", "ig_port", d.inside().port()))));
            }
        }
    }

    private void service(Service svc) {
        int id = serviceId(svc.name());
        List<Device> d = svc.sequence().stream().map(st -> c.devices().get(st.device())).toList();
        int n = d.size();
        Device from = svc.from() == null ? null : c.devices().get(svc.from());

        // Forward: from the clients' side to step 1, then from each device to the next.
        if (from == null) {
            for (Uplink u : c.switchInfo().uplinks()) {
                step(id, FWD, 0, u.port(), send(svc, d, 0, FWD, true));
            }
        } else {
            step(id, FWD, STEP_FROM_PORT, from.inside().port(), send(svc, d, 0, FWD, true));
        }
        for (int i = 0; i < n - 1; i++) {
            step(id, FWD, returnStep(d, i, FWD), d.get(i).inside().port(), send(svc, d, i + 1, FWD, true));
        }
        // Reply: from the last device back through the sequence, then to the clients' side.
        for (int i = n - 1; i >= 1; i--) {
            boolean copy = !svc.sequence().get(i).copyTo().isEmpty();
            Action to = send(svc, d, i - 1, REPLY, false);
            step(id, REPLY, returnStep(d, i, REPLY), d.get(i).outside().port(),
                    copy ? withCopy(to, svc.sequence().get(i).copyTo()) : to);
        }
        int toClients = from == null ? uplinkNextHop(c.switchInfo().uplinks().get(0)) : deviceNextHop(from, REPLY);
        Action home = s.action("to_next_hop", "nh_id", toClients, "dscp", svc.dscp());
        List<String> firstCopies = svc.sequence().get(0).copyTo();
        step(id, REPLY, returnStep(d, 0, REPLY), d.get(0).outside().port(),
                firstCopies.isEmpty() ? home : withCopy(home, firstCopies));

        classify(svc, id, d.get(n - 1), svc.sequence().get(n - 1));
        if (svc.rate() != null) {
            meters.add(Entity.newBuilder().setMeterEntry(MeterEntry.newBuilder().setMeterId(s.meterId("service_meter"))
                    .setIndex(Index.newBuilder().setIndex(id)).setConfig(MeterConfig.newBuilder()
                            .setCir(svc.rate().pps()).setCburst(svc.rate().burst()).setPir(svc.rate().pps())
                            .setPburst(svc.rate().burst()))).build());
        }
    }

    /** Tag written toward device i: its step number forward, 2n-i in reply, the service DSCP if port-tagged. */
    private static int tag(Service svc, List<Device> d, int i, int direction) {
        if (d.get(i).tag() == TagMode.PORT) {
            return svc.dscp();
        }
        return direction == FWD ? i + 1 : 2 * d.size() - (i + 1);
    }

    /** The step a packet has when it comes back from device i. */
    private static int returnStep(List<Device> d, int i, int direction) {
        if (d.get(i).tag() == TagMode.PORT || (direction == REPLY && i == d.size() - 1)) {
            return STEP_FROM_PORT;
        }
        return direction == FWD ? i + 1 : 2 * d.size() - (i + 1);
    }

    /** The action sending into device i; forward sends also copy and translate as step i says. */
    private Action send(Service svc, List<Device> d, int i, int direction, boolean stepEffects) {
        int nh = deviceNextHop(d.get(i), direction);
        int dscp = tag(svc, d, i, direction);
        Step st = svc.sequence().get(i);
        Integer translate = stepEffects ? st.translatePort() : null;
        List<String> copies = stepEffects ? st.copyTo() : List.of();
        if (translate != null && !copies.isEmpty()) {
            return s.action("to_next_hop_translate_copy", "nh_id", nh, "dscp", dscp, "l4_dst_port", translate,
                    "copy_session", copySession(copies));
        }
        if (translate != null) {
            return s.action("to_next_hop_translate", "nh_id", nh, "dscp", dscp, "l4_dst_port", translate);
        }
        if (!copies.isEmpty()) {
            return s.action("to_next_hop_copy", "nh_id", nh, "dscp", dscp, "copy_session", copySession(copies));
        }
        return s.action("to_next_hop", "nh_id", nh, "dscp", dscp);
    }

    /** {@code to_next_hop(nh, dscp)} plus a copy to {@code targets}. */
    private Action withCopy(Action toNextHop, List<String> targets) {
        long nh = Schema.value(toNextHop.getParams(0).getValue());
        long dscp = Schema.value(toNextHop.getParams(1).getValue());
        return s.action("to_next_hop_copy", "nh_id", nh, "dscp", dscp, "copy_session", copySession(targets));
    }

    private void step(int service, int direction, int step, int port, Action action) {
        steps.add(entry(tableEntry("sequence", 0, action, s.exact("sequence", "service_id", service),
                s.exact("sequence", "direction", direction), s.exact("sequence", "step", step),
                s.exact("sequence", "ig_port", port))));
    }

    private void classify(Service svc, int id, Device last, Step lastStep) {
        Address a = svc.address();
        int proto = a.protocol().number;
        classifiers.add(entry(tableEntry("classify_dst", FIXED_PORT_PRIORITY,
                s.action("set_service", "service_id", id, "direction", FWD),
                s.exact("classify_dst", "ipv4_dst", a.ip().value()), s.exact("classify_dst", "ip_proto", proto),
                s.range("classify_dst", "l4_dport", a.port(), a.port()))));
        if (a.dynamicPorts() != null) {
            classifiers.add(entry(tableEntry("classify_dst", RANGE_PRIORITY,
                    s.action("set_service", "service_id", id, "direction", FWD),
                    s.exact("classify_dst", "ipv4_dst", a.ip().value()), s.exact("classify_dst", "ip_proto", proto),
                    s.range("classify_dst", "l4_dport", a.dynamicPorts().low(), a.dynamicPorts().high()))));
        }
        // Replies come from the last device: from its own address (nat) or the service address, from the port
        // it listens on (translated or not).
        int replyPort = lastStep.translatePort() != null ? lastStep.translatePort() : a.port();
        long replyIp = last.mode() == Mode.NAT ? last.ip().value() : a.ip().value();
        boolean rewrite = last.mode() == Mode.NAT || lastStep.translatePort() != null;
        Action reply = rewrite
                ? s.action("set_service_unnat", "service_id", id, "direction", REPLY, "service_ip", a.ip().value(),
                        "service_port", a.port())
                : s.action("set_service", "service_id", id, "direction", REPLY);
        classifiers.add(entry(tableEntry("classify_src", FIXED_PORT_PRIORITY, reply,
                s.exact("classify_src", "ipv4_src", replyIp), s.exact("classify_src", "ip_proto", proto),
                s.range("classify_src", "l4_sport", replyPort, replyPort))));
        if (a.dynamicPorts() != null) {
            classifiers.add(entry(tableEntry("classify_src", RANGE_PRIORITY,
                    s.action("set_service", "service_id", id, "direction", REPLY),
                    s.exact("classify_src", "ipv4_src", a.ip().value()), s.exact("classify_src", "ip_proto", proto),
                    s.range("classify_src", "l4_sport", a.dynamicPorts().low(), a.dynamicPorts().high()))));
        }
    }
}
