package org.sfc.compiler;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

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
 *       A packet back from a port-tagged device has step 31 ({@link #STEP_FROM_PORT}).</li>
 *   <li>Each service's steps have a version (0 or 1, kept in the ids): a tag's top bit, or for a packet with
 *       no tag the sequence key's version, which Classify gives. A {@link CutOver#VERSIONED} compilation puts
 *       a service whose steps change under the other version, so the new steps can be written beside the old
 *       ones and its classifiers flip to them (see {@link Diff}).</li>
 *   <li>{@code copy-to} on a step copies packets going into that device and replies coming out of it.</li>
 *   <li>The last device's replies are classified by source: a nat-mode server's address and a translated
 *       port are turned back into the service address there.</li>
 *   <li>A step may name a pool (the member chosen for the service) or a group: its next hop then hashes the
 *       flow into the group's buckets (next_hop_bucket, see {@link GroupBuckets}), and a packet may come back
 *       from any member's port.</li>
 *   <li>Source-keyed services (ISP mode, a proxy's outbound requests) are classified by client address and,
 *       after their last step, leave by their {@code exit} uplink; replies to the clients come back there
 *       (step 0) and go through the sequence in reverse.</li>
 *   <li>ACL rules are matched where the service's clients enter (the uplinks or the {@code from} device).</li>
 * </ul>
 */
public final class TableCompiler {
    /** The step of a packet whose port tells it (no tag): the same under both versions. */
    public static final int STEP_FROM_PORT = 31;
    /** A tag's version bit: tags are 1..30 (see {@link #STEP_FROM_PORT}) plus this under version 1. */
    public static final int TAG_VERSION_BIT = 32;

    /** How a changed service's steps replace its old ones. */
    public enum CutOver {
        /** Overwritten where they are: a packet inside a device meanwhile may meet the new chain (failovers). */
        IN_PLACE,
        /**
         * Under the service's other version, beside the old ones; its classifiers flip to them: every packet is
         * handled by the old chain or by the new one, never a mix (applies and rollbacks).
         */
        VERSIONED
    }
    private static final int FWD = 0;
    private static final int REPLY = 1;
    private static final int FIXED_PORT_PRIORITY = 2;
    private static final int RANGE_PRIORITY = 1;

    /**
     * A compilation: the entities, the ids it used, and the concrete catalog it compiled (pass it to the next
     * compilation, which keeps the ids and carries unchanged services' fragments over).
     */
    public record Result(DesiredState state, Ids ids, Catalog catalog, Map<String, List<Consumer<TableCompiler>>> uses,
                         DeviceStates states, Map<String, Consumer<TableCompiler>> sharedUses) {
        /**
         * {@code uses}: the shared things (next hops, clone sessions) a service's fragment refers to, as calls to
         * replay; {@code sharedUses}: one instance per distinct call (by what it registers), which the lists share,
         * so a compilation that carries fragments over replays each distinct call once, not once per service.
         */
        public Result {
            uses = Map.copyOf(uses);
            sharedUses = Map.copyOf(sharedUses);
        }
    }

    /**
     * A step's target as the compiler sees it: one device, or the members of a group (load shared): those in
     * service ({@code devices}) and all it has ({@code configured}, what its buckets are dealt from).
     */
    private record Hop(String name, List<Device> devices, List<Device> configured, boolean group) {
        Device first() {
            return devices.get(0);
        }
    }

    private final Catalog c;
    private final Schema s;
    private final Ids.Allocator ids;
    // What sending to one device (or the uplink) does, by member key; next hops and group buckets use them.
    private final Map<String, Action> members = new LinkedHashMap<>();
    // A group's next hop key -> the member key of each of its buckets.
    private final Map<String, List<String>> groups = new LinkedHashMap<>();
    private final Map<String, Action> nextHops = new LinkedHashMap<>();
    private final Map<String, List<Device>> cloneSessions = new TreeMap<>();
    private final List<Entity> ports = new ArrayList<>();
    private final List<Entity> meters = new ArrayList<>();
    private final List<SequenceSteps.Step> steps = new ArrayList<>();
    private final List<Entity> classifiers = new ArrayList<>();
    private final Result previous;
    private final DeviceStates states;
    private final Map<String, List<Consumer<TableCompiler>>> usesByService = new java.util.HashMap<>();
    // One instance per distinct use (see Result), carried from the previous compilation.
    private final Map<String, Consumer<TableCompiler>> sharedUses = new java.util.HashMap<>();
    // Next hops already resolved in this compilation, per direction, by device id (or "group:" + group name).
    private final List<Map<String, Integer>> hopIds = List.of(new java.util.HashMap<>(), new java.util.HashMap<>());
    /** While a service compiles: the shared things it uses, recorded so a later version can reuse its fragment. */
    private List<Consumer<TableCompiler>> uses;
    /** Pooled devices (see {@link #poolSlots}) -> the device whose port numbers are the pool's slots. */
    private final Map<String, Device> poolSlot;
    private final CutOver mode;
    /** While a service compiles: the version its steps are written under (0 or 1). */
    private int version;

    private TableCompiler(Catalog c, Schema s, Ids.Allocator ids, Result previous, DeviceStates states,
                          CutOver mode) {
        this.mode = mode;
        this.c = c;
        this.s = s;
        this.ids = ids;
        this.previous = previous;
        this.states = states;
        this.poolSlot = poolSlots(c);
    }

    /**
     * The devices reached through device_attach: members and spares of a pool (in exactly one pool, not NAT-mode,
     * all of the pool alike in ports). Every device of such a pool answers for the pool's slots — the port numbers
     * of its first member — so a spare's returning packets already match the steps of the member it stands in for,
     * and a failover to it is two device_attach entries, a side each. (The wrong-port check for them: from the right side of a
     * device of the right pool.)
     */
    private static Map<String, Device> poolSlots(Catalog c) {
        Map<String, Integer> pools = new java.util.HashMap<>();
        c.pools().values().forEach(p -> java.util.stream.Stream.concat(p.members().stream(), p.spares().stream())
                .distinct().forEach(d -> pools.merge(d, 1, Integer::sum)));
        Map<String, Device> out = new java.util.HashMap<>();
        for (Catalog.Pool p : c.pools().values()) {
            List<Device> all = java.util.stream.Stream.concat(p.members().stream(), p.spares().stream()).distinct()
                    .map(c.devices()::get).toList();
            if (p.members().isEmpty() || all.stream().anyMatch(d -> d == null || d.mode() == Mode.NAT
                    || d.twoPort() != all.get(0).twoPort() || pools.get(d.id()) != 1)) {
                continue;
            }
            Device first = c.devices().get(p.members().get(0));
            all.forEach(d -> out.put(d.id(), first));
        }
        return out;
    }

    /** The slot a device's side answers for (what sequence steps and ACL rules match): its port, or its pool's. */
    private int slot(Device d, boolean inside) {
        Device owner = poolSlot.getOrDefault(d.id(), d);
        return inside ? owner.inside().port() : owner.outside().port();
    }

    private List<Integer> insideSlots(Hop h) {
        return h.devices().stream().map(d -> slot(d, true)).distinct().toList();
    }

    private List<Integer> outsideSlots(Hop h) {
        return h.devices().stream().map(d -> slot(d, false)).distinct().toList();
    }

    /**
     * Validates {@code catalog} (every problem at once, as a {@link org.sfc.catalog.CatalogException}) and
     * compiles it; names keep the ids {@code previous} gave them.
     */
    public static Result compile(Catalog catalog, Schema schema, Ids previous) {
        return compile(catalog, schema, previous, null, DeviceStates.NONE, CutOver.IN_PLACE);
    }

    /**
     * Compiles the next version: ids as {@code previous} gave them, and each service that did not change (nor
     * the switch, devices, pools and groups it may use) keeps its fragment, the same object, so that
     * {@link Diff#between} skips it. Changed steps go under their service's other version.
     */
    public static Result compile(Catalog catalog, Schema schema, Result previous) {
        return compile(catalog, schema, previous, previous.states(), CutOver.VERSIONED);
    }

    /** The health monitor's device states applied to {@code previous}'s catalog or another: steps change in place. */
    public static Result compile(Catalog catalog, Schema schema, Result previous, DeviceStates states) {
        return compile(catalog, schema, previous, states, CutOver.IN_PLACE);
    }

    /** As {@link #compile(Catalog, Schema, Result)} with the health monitor's device states, cut over as said. */
    public static Result compile(Catalog catalog, Schema schema, Result previous, DeviceStates states, CutOver mode) {
        return compile(catalog, schema, previous.ids(), previous, states, mode);
    }

    /** From scratch with ids (e.g. a stored version's, with its services' versions) and device states. */
    public static Result compile(Catalog catalog, Schema schema, Ids previous, DeviceStates states) {
        return compile(catalog, schema, previous, null, states, CutOver.IN_PLACE);
    }

    private static Result compile(Catalog catalog, Schema schema, Ids previousIds, Result previous,
                                  DeviceStates states, CutOver mode) {
        Ids.Allocator ids = previousIds.next();
        // The previous result's own (already validated and resolved) catalog: only device states change (a
        // failover), and validating every service again would only delay it.
        Catalog resolved = previous != null && catalog == previous.catalog() ? catalog
                : Validator.validate(catalog, new org.sfc.catalog.Resolver.IpAllocator() {
            @Override
            public void reserve(String pool, long offset) {
                ids.reserve("service-ip:" + pool, (int) offset);
            }

            @Override
            public long allocate(String pool, String service, long size) {
                return ids.id("service-ip:" + pool, service, 0, (int) Math.min(size - 1, Integer.MAX_VALUE));
            }
        });
        if (resolved == catalog && previous != null) {
            // Not resolved again: the pool addresses it gave services stay theirs.
            previousIds.asMap().forEach((kind, byName) -> {
                if (kind.startsWith("service-ip:")) {
                    byName.forEach((name, id) -> ids.id(kind, name, id, id));
                }
            });
        }
        for (String d : states.replacedBy().keySet()) {
            checkSpare(resolved, d, states.replacedBy().get(d));
        }
        return new TableCompiler(resolved, schema, ids, previous, states, mode).run();
    }

    /**
     * The previous version's fragments, if what services share is unchanged (else everything recompiles). Device
     * states may differ: a service that uses none of the devices whose bypass or drop changed keeps its fragment
     * (a spare taking over changes shared members and port roles only), so a failover compiles in time
     * proportional to the services it touches.
     */
    private Map<String, DesiredState.Fragment> reusable() {
        Map<String, DesiredState.Fragment> out = new java.util.HashMap<>();
        if (previous != null && previous.catalog().switchInfo().equals(c.switchInfo())
                && previous.catalog().devices().equals(c.devices()) && previous.catalog().pools().equals(c.pools())
                && previous.catalog().groups().equals(c.groups()) && previous.state().schema() == s) {
            previous.state().fragments().forEach(f -> out.put(f.owner(), f));
        }
        return out;
    }

    /**
     * Devices bypassed or dropped in one of the previous and the new states but not in both, and nat-mode devices
     * whose spare changed (their services classify replies by the answering server's address).
     */
    private Set<String> changedBypassOrDrop() {
        if (previous == null) {
            return Set.of();
        }
        Set<String> changed = new java.util.HashSet<>();
        symmetricDifference(previous.states().bypassed(), states.bypassed(), changed);
        symmetricDifference(previous.states().dropped(), states.dropped(), changed);
        java.util.stream.Stream.concat(previous.states().replacedBy().keySet().stream(), states.replacedBy().keySet().stream())
                .filter(d -> c.devices().containsKey(d) && c.devices().get(d).mode() == Mode.NAT)
                .filter(d -> !java.util.Objects.equals(previous.states().replacedBy().get(d), states.replacedBy().get(d)))
                .forEach(changed::add);
        return changed;
    }

    /** The spares of the pools {@code d} is a member of. */
    private List<Device> poolSpares(Device d) {
        return c.pools().values().stream().filter(p -> p.members().contains(d.id()))
                .flatMap(p -> p.spares().stream()).distinct().map(c.devices()::get).filter(java.util.Objects::nonNull)
                .toList();
    }

    /** The device that answers for {@code d} now: {@code d}, or the spare standing in for it. */
    private Device standingIn(Device d) {
        String spare = states.replacedBy().get(d.id());
        return spare == null ? d : c.devices().get(spare);
    }

    private static void symmetricDifference(Set<String> a, Set<String> b, Set<String> into) {
        a.stream().filter(x -> !b.contains(x)).forEach(into::add);
        b.stream().filter(x -> !a.contains(x)).forEach(into::add);
    }

    private boolean uses(Service svc, Set<String> devices) {
        for (Step st : svc.sequence()) {
            for (Device d : c.devicesOf(st.target(), svc.name())) {
                if (devices.contains(d.id())) {
                    return true;
                }
            }
        }
        return false;
    }

    private Result run() {
        // Ids in a deterministic order: devices and services by name.
        new TreeMap<>(c.devices()).keySet().forEach(d -> deviceId(d));
        List<Service> byName = new ArrayList<>(c.services().values());
        byName.sort(java.util.Comparator.comparing(Service::name));
        byName.forEach(svc -> serviceId(svc.name()));
        portRoles();
        Map<String, DesiredState.Fragment> reusable = reusable();
        if (!reusable.isEmpty()) {
            sharedUses.putAll(previous.sharedUses()); // what they register is unchanged: the same instances serve
        }
        Set<Consumer<TableCompiler>> replayed = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        Set<String> changedStates = changedBypassOrDrop();
        List<DesiredState.Fragment> serviceFragments = new ArrayList<>();
        for (Service svc : byName) {
            String owner = "service:" + svc.name();
            DesiredState.Fragment prev = reusable.get(owner);
            List<Consumer<TableCompiler>> prevUses = previous == null ? null : previous.uses().get(svc.name());
            if (prev != null && prevUses != null && svc.equals(previous.catalog().services().get(svc.name()))
                    && (changedStates.isEmpty() || !uses(svc, changedStates))) {
                for (Consumer<TableCompiler> u : prevUses) {
                    if (replayed.add(u)) { // each distinct use once: it registers the next hops and copies it refers to
                        u.accept(this);
                    }
                }
                usesByService.put(svc.name(), prevUses);
                serviceFragments.add(prev);
                ids.version(svc.name(), false);
                continue;
            }
            DesiredState.Fragment f = serviceFragment(svc, ids.version(svc.name(), false));
            DesiredState.Fragment old = previous == null ? null : previous.state().fragment(owner);
            if (mode == CutOver.VERSIONED && old != null && old.steps() != null && !old.steps().equals(f.steps())) {
                // Changed steps: under the other version, beside the old ones (see CutOver).
                f = serviceFragment(svc, ids.version(svc.name(), true));
            }
            serviceFragments.add(f);
        }
        List<Entity> all = new ArrayList<>();
        nextHops.forEach((key, action) -> all.add(entry(tableEntry("next_hop", 0, action,
                s.exact("next_hop", "nh_id", nextHopId(key))))));
        groups.forEach((key, buckets) -> {
            for (int b = 0; b < buckets.size(); b++) {
                all.add(entry(tableEntry("next_hop_bucket", 0, members.get(buckets.get(b)),
                        s.exact("next_hop_bucket", "nh_id", nextHopId(key)), s.exact("next_hop_bucket", "bucket", b))));
            }
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
        arp(all);
        List<DesiredState.Fragment> fragments = new ArrayList<>();
        fragments.add(new DesiredState.Fragment("shared", List.copyOf(all)));
        fragments.addAll(serviceFragments);
        checkCapacity(fragments);
        return new Result(new DesiredState(fragments, s), ids.result(), c, usesByService, states, sharedUses);
    }

    /** Compiles one service under {@code version}: its meter, classifiers and ACL rules, and its steps. */
    private DesiredState.Fragment serviceFragment(Service svc, int version) {
        this.version = version;
        uses = new ArrayList<>();
        service(svc);
        usesByService.put(svc.name(), List.copyOf(uses));
        uses = null;
        List<Entity> own = new ArrayList<>(meters);
        own.addAll(classifiers);
        DesiredState.Fragment f = new DesiredState.Fragment("service:" + svc.name(), own,
                new SequenceSteps(s, serviceId(svc.name()), steps));
        meters.clear();
        steps.clear();
        classifiers.clear();
        return f;
    }

    /**
     * Every table and the meter array must hold what the catalog needs (sizes from the
     * target's P4Info, so a bigger target takes a bigger catalog without a code change).
     */
    private void checkCapacity(List<DesiredState.Fragment> fragments) {
        Map<Integer, Integer> perTable = DesiredState.entriesPerTable(fragments, s);
        String file = c.switchInfo().src().file() + ": ";
        List<String> problems = new ArrayList<>();
        for (var t : s.p4info().getTablesList()) {
            int need = perTable.getOrDefault(t.getPreamble().getId(), 0);
            if (need > t.getSize()) {
                problems.add(file + "the catalog needs " + need + " entries in table " + t.getPreamble().getAlias()
                        + " but the target holds " + t.getSize() + "; remove services or use a target with a bigger table");
            }
        }
        int maxGroup = 1 << bucketWidth();
        for (Map.Entry<String, Group> g : c.groups().entrySet()) {
            int size = g.getValue().members().size();
            if (size > maxGroup) {
                problems.add(file + "group " + g.getKey() + " has " + size + " members but the target's next_hop_bucket "
                        + "shares a group among at most " + maxGroup + "; split it");
            }
        }
        long meters = s.meter("service_meter").getSize();
        for (Service svc : c.services().values()) {
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

    /** Actions are interned by the schema, so their table-action wrappers can be shared too. */
    private TableAction tableAction(Action action) {
        return tableActions.computeIfAbsent(action, a -> TableAction.newBuilder().setAction(a).build());
    }

    private final Map<Action, TableAction> tableActions = new java.util.IdentityHashMap<>();

    private TableEntry tableEntry(String table, int priority, Action action, FieldMatch... match) {
        TableEntry.Builder b = TableEntry.newBuilder().setTableId(s.table(table).getPreamble().getId())
                .setPriority(priority).setAction(tableAction(action));
        for (FieldMatch m : match) {
            if (m != null) { // null: a don't-care match, omitted
                b.addMatch(m);
            }
        }
        return b.build();
    }

    private int nextHopId(String key) {
        return ids.id("next-hop", key, 1, 65535);
    }

    private int bucketWidth() {
        return s.field("next_hop_bucket", "bucket").getBitwidth();
    }

    /** A next hop that is one member: the member's action. */
    private int nextHop(String key, Action member) {
        members.putIfAbsent(key, member);
        nextHops.putIfAbsent(key, members.get(key));
        return nextHopId(key);
    }

    /** The member sending into {@code d} in {@code direction} (outside forward, inside reply); its key. */
    private String deviceMember(Device d, int direction) {
        long smac = c.switchInfo().mac().value();
        if (poolSlot.containsKey(d.id())) {
            // Names the device and the side; device_attach says where it is (a failover changes only that).
            int side = direction == FWD || !d.twoPort() ? 0 : 1;
            String key = "device:" + d.id() + ":side" + side;
            members.putIfAbsent(key, s.action("set_next_hop_pooled", "device_id", deviceId(d.id()), "side", side,
                    "smac", smac));
            return key;
        }
        // A device replaced by a spare keeps its members (and their ids); they now lead to the spare.
        Device to = standingIn(d);
        if (direction == FWD) {
            Attachment a = to.outside();
            Action act = d.mode() == Mode.NAT
                    ? s.action("set_next_hop_nat", "port", a.port(), "dmac", a.mac().value(), "smac", smac,
                            "device_id", deviceId(to.id()), "device_ip", to.ip().value())
                    : s.action("set_next_hop", "port", a.port(), "dmac", a.mac().value(), "smac", smac,
                            "device_id", deviceId(to.id()));
            // Keyed by what the member does: a one-port l2 device shares one member for both directions.
            String key = "device:" + d.id() + (d.mode() == Mode.NAT ? ":nat" : ":port" + d.outside().port());
            members.putIfAbsent(key, act);
            return key;
        }
        Attachment a = to.inside();
        String key = "device:" + d.id() + ":port" + d.inside().port();
        members.putIfAbsent(key, s.action("set_next_hop", "port", a.port(), "dmac", a.mac().value(), "smac", smac,
                "device_id", deviceId(to.id())));
        return key;
    }

    /** A spare must be able to take the failed device's place: same ports, tag mode and mode. */
    private static void checkSpare(Catalog c, String failed, String spare) {
        Device f = c.devices().get(failed);
        Device s = c.devices().get(spare);
        if (f == null || s == null) {
            throw new IllegalArgumentException("unknown device '" + (f == null ? failed : spare) + "'");
        }
        if (f.twoPort() != s.twoPort() || f.tag() != s.tag() || f.mode() != s.mode()) {
            throw new IllegalArgumentException("spare " + spare + " is not like " + failed
                    + " (ports, tag mode and mode must match): it cannot take its place");
        }
    }

    /** The next hop that is one device's member. */
    private int deviceNextHop(Device d, int direction) {
        record("device:" + d.id() + ":" + direction, tc -> tc.deviceNextHop(d, direction));
        String key = deviceMember(d, direction);
        return nextHop(key, members.get(key));
    }

    /**
     * Notes a use of something shared while a service compiles (the lambda must not capture {@code this}); {@code key}
     * names what it registers, so every service using the same thing holds the same instance.
     */
    private void record(String key, Consumer<TableCompiler> use) {
        if (uses != null) {
            uses.add(sharedUses.computeIfAbsent(key, k -> use));
        }
    }

    /** The next hop into a step's target: the device's member, or a group over the members' members. */
    private int hopNextHop(Hop h, int direction) {
        String memo = h.group() ? "group:" + h.name() : h.first().id();
        record("hop:" + memo + ":" + direction, tc -> tc.hopNextHop(h, direction));
        Integer known = hopIds.get(direction).get(memo);
        return known != null ? known : hopIds.get(direction).computeIfAbsent(memo, k -> newHopNextHop(h, direction));
    }

    private int newHopNextHop(Hop h, int direction) {
        if (!h.group()) {
            String key = deviceMember(h.first(), direction);
            return nextHop(key, members.get(key));
        }
        List<String> memberKeys = h.configured().stream().map(d -> deviceMember(d, direction)).toList();
        List<String> otherWay = h.configured().stream().map(d -> deviceMember(d, 1 - direction)).toList();
        Set<String> failed = new java.util.HashSet<>(memberKeys);
        h.devices().forEach(d -> failed.remove(deviceMember(d, direction)));
        // One group serves both directions when its members' members are the same (one-port l2 devices).
        String key = "group:" + h.name() + (memberKeys.equals(otherWay) ? "" : direction == FWD ? ":fwd" : ":reply");
        List<String> buckets = GroupBuckets.assign(memberKeys, failed, bucketWidth());
        groups.putIfAbsent(key, buckets);
        nextHops.putIfAbsent(key, s.action("set_next_hop_group", "bucket_mask", buckets.size() - 1));
        return nextHopId(key);
    }

    private int uplinkNextHop(Uplink u) {
        record("uplink:" + u.name(), tc -> tc.uplinkNextHop(u));
        return nextHop("uplink:" + u.name(), s.action("set_next_hop", "port", u.port(), "dmac", u.routerMac().value(),
                "smac", c.switchInfo().mac().value(), "device_id", 0));
    }

    private int copySession(List<String> targets) {
        List<String> sorted = targets.stream().sorted().toList();
        String key = String.join(",", sorted);
        record("copy:" + key, tc -> tc.copySession(targets));
        cloneSessions.putIfAbsent(key, sorted.stream().map(c.devices()::get).toList());
        return ids.id("clone-session", key, 1, 65535);
    }

    // ------------------------------------------------------------------ tables

    /**
     * Heartbeats: whatever comes back addressed to the probe address goes to the controller (with its port) — from
     * the ports the catalog names only, each held to the switch's punt rate by its own meter cell, so a flood on
     * one port cannot crowd out the answers on the others. A port with nothing of ours on it punts nothing.
     */
    private void punts() {
        Set<Integer> catalogPorts = new java.util.TreeSet<>();
        c.switchInfo().uplinks().forEach(u -> catalogPorts.add(u.port()));
        for (Device d : c.devices().values()) {
            catalogPorts.add(d.outside().port());
            if (d.twoPort()) {
                catalogPorts.add(d.inside().port());
            }
        }
        Rate rate = c.switchInfo().puntRate();
        for (int port : catalogPorts) {
            ports.add(entry(tableEntry("punt", 1, s.action("punt_to_cpu"),
                    s.ternary("punt", "ig_port", port, 0x1FF),
                    s.ternary("punt", "ipv4_dst", c.switchInfo().probeIp().value(), 0xFFFFFFFFL))));
            ports.add(meterCell("punt_meter", port, rate));
        }
    }

    /**
     * The addresses the engine answers ARP for on its uplinks, with its MAC: every service address (once, though
     * several services share it) and the switch's own IP. Shared, not per service: the service owning an address
     * in one version may be gone in the next while another keeps it.
     */
    private void arp(List<Entity> out) {
        Set<Long> addresses = new java.util.TreeSet<>();
        if (c.switchInfo().ip() != null) {
            addresses.add(c.switchInfo().ip().value());
        }
        for (Service svc : c.services().values()) {
            if (svc.address() != null && svc.address().ip() != null) {
                addresses.add(svc.address().ip().value());
            }
        }
        long mac = c.switchInfo().mac().value();
        for (long ip : addresses) {
            out.add(entry(tableEntry("arp", 0, s.action("arp_reply", "mac", mac), s.exact("arp", "ipv4", ip))));
        }
    }

    /** Cell {@code index} of meter array {@code meter} at {@code rate} (one rate: committed and peak alike). */
    private Entity meterCell(String meter, long index, Rate rate) {
        return Entity.newBuilder().setMeterEntry(MeterEntry.newBuilder().setMeterId(s.meterId(meter))
                .setIndex(Index.newBuilder().setIndex(index)).setConfig(MeterConfig.newBuilder()
                        .setCir(rate.pps()).setCburst(rate.burst()).setPir(rate.pps()).setPburst(rate.burst())))
                .build();
    }

    /** The ports whose ingress is limited (seed ¶153): a meter cell each, at the port's number. */
    private void portLimits() {
        for (PortLimit l : c.switchInfo().portLimits()) {
            ports.add(meterCell("port_meter", l.port(), l.rate()));
        }
    }

    /** Every port's role and slot (what sequence steps and ACL rules match: its own number, or its pool's). */
    private void portRoles() {
        punts();
        portLimits();
        for (Uplink u : c.switchInfo().uplinks()) {
            ports.add(entry(tableEntry("port_role", 0, s.action("set_uplink", "slot", u.port()),
                    s.exact("port_role", "ig_port", u.port()))));
        }
        Map<String, String> standsFor = new java.util.HashMap<>();
        states.replacedBy().forEach((failed, spare) -> standsFor.put(spare, failed));
        for (Device d : new TreeMap<>(c.devices()).values()) {
            int tag = d.tag() == TagMode.PORT ? 1 : 0;
            // A spare in service answers for the failed device: its ports take that device's slots (the same ones
            // already when both are of one pool).
            Device slots = standsFor.containsKey(d.id()) ? c.devices().get(standsFor.get(d.id())) : d;
            ports.add(entry(tableEntry("port_role", 0, s.action("set_device", "device_id", deviceId(d.id()),
                    "tag_mode", tag, "slot", slot(slots, false)), s.exact("port_role", "ig_port", d.outside().port()))));
            if (d.twoPort()) {
                ports.add(entry(tableEntry("port_role", 0, s.action("set_device", "device_id", deviceId(d.id()),
                        "tag_mode", tag, "slot", slot(slots, true)), s.exact("port_role", "ig_port", d.inside().port()))));
            }
        }
        // Where each pooled device is: its own ports, or the spare's standing in for it.
        for (String id : new TreeMap<>(poolSlot).keySet()) {
            Device d = c.devices().get(id);
            Device at = standingIn(d);
            for (int side = 0; side < 2; side++) {
                var port = side == 0 ? at.outside() : at.inside();
                ports.add(entry(tableEntry("device_attach", 0, s.action("attach", "port", port.port(), "mac",
                        port.mac().value(), "device_id", deviceId(at.id())), s.exact("device_attach", "device",
                        deviceId(id)), s.exact("device_attach", "side", side))));
            }
        }
    }

    private List<Hop> hops(Service svc) {
        List<Hop> out = new ArrayList<>();
        for (Step st : svc.sequence()) {
            List<Device> configured = c.devicesOf(st.target(), svc.name());
            List<Device> devices = configured;
            boolean group = c.groups().containsKey(st.target());
            if (group) { // failed members leave the group (while some remain)
                List<Device> healthy = devices.stream().filter(x -> !failed(x)).toList();
                devices = healthy.isEmpty() ? devices : healthy;
            }
            out.add(new Hop(st.target(), devices, configured, group));
        }
        return out;
    }

    /**
     * Whether packets toward hop i are dropped: its devices are down with policy drop (or bypass at the end); a
     * group's, when every member has failed whatever their own policies (a group with policy bypass has left the
     * service then, see withoutBypassed, unless it is the end): never to dead members.
     */
    private boolean dropsAt(List<Hop> d, int i, Service svc) {
        boolean last = i == d.size() - 1 && svc.exit() == null;
        Hop hop = d.get(i);
        if (hop.group()) {
            return hop.configured().stream().allMatch(this::failed);
        }
        return hop.devices().stream().allMatch(x -> states.dropped().contains(x.id())
                || (last && states.bypassed().contains(x.id())));
    }

    private boolean failed(Device x) {
        return states.bypassed().contains(x.id()) || states.dropped().contains(x.id());
    }

    /** The service without the steps whose device is bypassed (the end device cannot be: it answers). */
    private Service withoutBypassed(Service svc) {
        if (states.bypassed().isEmpty() && states.dropped().isEmpty()) {
            return svc;
        }
        List<Step> kept = new ArrayList<>();
        for (int i = 0; i < svc.sequence().size(); i++) {
            Step st = svc.sequence().get(i);
            boolean end = i == svc.sequence().size() - 1 && svc.exit() == null;
            Catalog.Group group = c.groups().get(st.target());
            boolean bypassed = group == null
                    ? c.devicesOf(st.target(), svc.name()).stream().allMatch(x -> states.bypassed().contains(x.id()))
                    : group.failure() == Catalog.FailurePolicy.BYPASS
                            && c.devicesOf(st.target(), svc.name()).stream().allMatch(this::failed);
            if (end || !bypassed) {
                kept.add(st);
            }
        }
        return kept.size() == svc.sequence().size() || kept.isEmpty() ? svc : svc.with(svc.address(), kept);
    }

    private void service(Service original) {
        Service svc = withoutBypassed(original);
        int id = serviceId(svc.name());
        List<Hop> d = hops(svc);
        int n = d.size();
        Device from = svc.from() == null ? null : c.devices().get(svc.from());
        Uplink exit = svc.exit() == null ? null : c.switchInfo().uplink(svc.exit());
        // Where the service's clients enter, and the step their packets have there.
        // A service address may be reached from any uplink; a source-keyed service's clients are behind one: the
        // first uplink that is not its exit (their packets elsewhere would be spoofed).
        Uplink clientsUplink = c.switchInfo().uplinks().stream().filter(u -> u != exit).findFirst().orElse(null);
        List<Integer> clientPorts = from != null ? List.of(slot(from, true))
                : svc.sourceKeyed() ? List.of(clientsUplink.port())
                : c.switchInfo().uplinks().stream().map(Uplink::port).toList();
        int clientStep = from != null ? STEP_FROM_PORT : 0;

        // Forward: from the clients' side to step 1, then from each device to the next (and out of the exit).
        for (int port : clientPorts) {
            step(FWD, clientStep, port, send(svc, d, 0, FWD, true));
        }
        for (int i = 0; i < n - 1; i++) {
            Action next = send(svc, d, i + 1, FWD, true);
            for (int port : insideSlots(d.get(i))) {
                step(FWD, returnStep(svc, d, i, FWD), port, next);
            }
        }
        if (exit != null) {
            Action out = s.action("to_next_hop", "nh_id", uplinkNextHop(exit), "dscp", svc.dscp());
            for (int port : insideSlots(d.get(n - 1))) {
                step(FWD, returnStep(svc, d, n - 1, FWD), port, out);
            }
            // Replies from the network enter at the exit (step 0) and go into the last device.
            step(REPLY, 0, exit.port(), send(svc, d, n - 1, REPLY, false));
        }
        // Reply: from the last device back through the sequence, then to the clients' side.
        for (int i = n - 1; i >= 1; i--) {
            List<String> copies = svc.sequence().get(i).copyTo();
            Action to = send(svc, d, i - 1, REPLY, false);
            for (int port : outsideSlots(d.get(i))) {
                step(REPLY, returnStep(svc, d, i, REPLY), port, copies.isEmpty() ? to : withCopy(to, copies));
            }
        }
        int toClients = from == null ? uplinkNextHop(clientsUplink) : deviceNextHop(from, REPLY);
        Action home = s.action("to_next_hop", "nh_id", toClients, "dscp", svc.dscp());
        List<String> firstCopies = svc.sequence().get(0).copyTo();
        for (int port : outsideSlots(d.get(0))) {
            step(REPLY, returnStep(svc, d, 0, REPLY), port, firstCopies.isEmpty() ? home : withCopy(home, firstCopies));
        }

        if (svc.sourceKeyed()) {
            classifyClients(svc, id);
        } else {
            classify(svc, id, d.get(n - 1), svc.sequence().get(n - 1));
        }
        acl(svc, id, clientPorts);
        if (svc.rate() != null) {
            meters.add(meterCell("service_meter", id, svc.rate()));
        }
    }

    /**
     * Tag written toward step i: its number forward; in reply 2n-1-i (one more when the last device also sees
     * replies, i.e. the service leaves by an exit), so forward and reply tags never collide; the service's DSCP
     * toward a port-tagged device.
     */
    private int tag(Service svc, List<Hop> d, int i, int direction) {
        if (d.get(i).first().tag() == TagMode.PORT) {
            return svc.dscp();
        }
        int tag = direction == FWD ? i + 1 : 2 * d.size() - 1 - i + (svc.exit() != null ? 1 : 0);
        return version == 1 ? tag | TAG_VERSION_BIT : tag;
    }

    /** The step a packet has when it comes back from step i. */
    private int returnStep(Service svc, List<Hop> d, int i, int direction) {
        boolean endsHere = svc.exit() == null && i == d.size() - 1;
        if (d.get(i).first().tag() == TagMode.PORT || (direction == REPLY && endsHere)) {
            return STEP_FROM_PORT;
        }
        return tag(svc, d, i, direction);
    }

    /** The action sending into step i; forward sends also copy and translate as step i says. */
    private Action send(Service svc, List<Hop> d, int i, int direction, boolean stepEffects) {
        if (dropsAt(d, i, svc)) {
            return s.action("drop_step");
        }
        int nh = hopNextHop(d.get(i), direction);
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

    /**
     * {@code to_next_hop(nh, dscp)} plus a copy to {@code targets}; a {@code drop_step} (the step the packet goes
     * to has failed with policy drop) stays a drop: a packet the chain drops is not copied either.
     */
    private Action withCopy(Action toNextHop, List<String> targets) {
        if (toNextHop.getActionId() == s.action("drop_step").getActionId()) {
            return toNextHop;
        }
        long nh = Schema.value(toNextHop.getParams(0).getValue());
        long dscp = Schema.value(toNextHop.getParams(1).getValue());
        return s.action("to_next_hop_copy", "nh_id", nh, "dscp", dscp, "copy_session", copySession(targets));
    }

    /**
     * A sequence entry. A packet with no tag (step 0 from the clients' side or an exit, STEP_FROM_PORT from a
     * port-tagged device) is matched with its service's version; a tag has the version in it (key version 0).
     */
    private void step(int direction, int step, int port, Action action) {
        boolean untagged = step == 0 || step == STEP_FROM_PORT;
        steps.add(new SequenceSteps.Step(direction, step, port, untagged ? version : 0, action));
    }

    /**
     * A classification as the catalog means it: packets from ({@code bySource}) or to an address, of a protocol,
     * on ports {@code lo..hi} (0..65535: any port), and the action; the higher priority wins where ranges overlap.
     */
    private record Rule(boolean bySource, long ip, int proto, int lo, int hi, int priority, Action action) {
        boolean range() {
            return lo != hi;
        }

        boolean covers(Rule o) {
            return bySource == o.bySource && ip == o.ip && proto == o.proto && lo <= o.lo && o.lo <= hi;
        }
    }

    private void classify(Service svc, int id, Hop last, Step lastStep) {
        Address a = svc.address();
        int proto = a.protocol().number;
        List<Rule> rules = new ArrayList<>();
        Action request = s.action("set_service", "service_id", id, "direction", FWD, "version", version);
        rules.add(new Rule(false, a.ip().value(), proto, a.port(), a.lastPort(), FIXED_PORT_PRIORITY, request));
        if (a.dynamicPorts() != null) {
            rules.add(new Rule(false, a.ip().value(), proto, a.dynamicPorts().low(), a.dynamicPorts().high(),
                    RANGE_PRIORITY, request));
        }
        // Replies come from the last device: from its own address (nat) or the service address, from the port
        // it listens on (translated or not). A nat-mode group's members each have their own address.
        int replyPort = lastStep.translatePort() != null ? lastStep.translatePort() : a.port();
        int replyLast = lastStep.translatePort() != null ? lastStep.translatePort() : a.lastPort();
        boolean nat = last.first().mode() == Mode.NAT;
        // A nat-mode device's spares answer from their own addresses: classified from the start (so a failover does
        // not touch the services), and whoever stands in now.
        List<Long> replyIps = nat ? last.devices().stream().flatMap(x -> java.util.stream.Stream.concat(
                        java.util.stream.Stream.of(x, standingIn(x)), poolSpares(x).stream()))
                .filter(x -> x.mode() == Mode.NAT && x.ip() != null).map(x -> x.ip().value()).distinct().toList()
                : List.of(a.ip().value());
        boolean rewrite = nat || lastStep.translatePort() != null;
        Action reply = s.action("set_service_by_src", "service_id", id, "direction", REPLY, "version", version);
        Action replyToTranslate = rewrite ? s.action("set_service_unnat", "service_id", id, "direction", REPLY,
                "service_ip", a.ip().value(), "service_port", a.port(), "version", version) : reply;
        for (long replyIp : replyIps) {
            rules.add(new Rule(true, replyIp, proto, replyPort, replyLast, FIXED_PORT_PRIORITY, replyToTranslate));
        }
        // A reply turned back into the service address at classification still passes the devices before the
        // server; coming back from each of them it is classified by the service address.
        if (rewrite && svc.sequence().size() > 1) {
            rules.add(new Rule(true, a.ip().value(), proto, a.port(), a.lastPort(), FIXED_PORT_PRIORITY, reply));
        }
        if (a.dynamicPorts() != null) {
            rules.add(new Rule(true, a.ip().value(), proto, a.dynamicPorts().low(), a.dynamicPorts().high(),
                    RANGE_PRIORITY, reply));
        }
        addClassifiers(rules);
    }

    /** A source-keyed service: its clients' packets choose it; packets addressed to its clients are replies. */
    private void classifyClients(Service svc, int id) {
        List<Rule> rules = new ArrayList<>();
        for (var ip : svc.clients().ips()) {
            for (Protocol p : svc.clients().protocols()) {
                rules.add(new Rule(true, ip.value(), p.number, 0, 65535, RANGE_PRIORITY,
                        s.action("set_service_by_src", "service_id", id, "direction", FWD, "version", version)));
                rules.add(new Rule(false, ip.value(), p.number, 0, 65535, RANGE_PRIORITY,
                        s.action("set_service", "service_id", id, "direction", REPLY, "version", version)));
            }
        }
        addClassifiers(rules);
    }

    /**
     * Rules into entries: classify_src/dst are exact on (address, protocol, port key); a rule over several ports
     * becomes a src/dst_port_range entry that gives its packets the key of its first port. A one-port rule
     * inside another rule's range gets a one-port range entry of its own priority, so it still wins (the
     * validator keeps services' ranges apart; this is a service's port inside its own range).
     */
    private void addClassifiers(List<Rule> rules) {
        // What an entry is keyed by: a classifier's (hi and priority -1) or a range entry's.
        record Key(boolean bySource, long ip, int proto, int lo, int hi, int priority) {}
        Set<Key> keys = new java.util.HashSet<>();
        for (Rule r : rules) {
            String classify = r.bySource() ? "classify_src" : "classify_dst";
            String ipField = r.bySource() ? "ipv4_src" : "ipv4_dst";
            String portField = r.bySource() ? "l4_sport" : "l4_dport";
            if (keys.add(new Key(r.bySource(), r.ip(), r.proto(), r.lo(), -1, -1))) { // first rule for a key wins
                classifiers.add(entry(tableEntry(classify, 0, r.action(), s.exact(classify, ipField, r.ip()),
                        s.exact(classify, "ip_proto", r.proto()), s.exact(classify, portField, r.lo()))));
            }
            boolean inAnother = rules.stream().anyMatch(o -> o != r && o.range() && o.covers(r));
            // A range entry's action is only its first port: two rules of the same range make one entry.
            if ((r.range() || inAnother)
                    && keys.add(new Key(r.bySource(), r.ip(), r.proto(), r.lo(), r.hi(), r.priority()))) {
                String ranges = r.bySource() ? "src_port_range" : "dst_port_range";
                classifiers.add(entry(tableEntry(ranges, r.priority(),
                        s.action(r.bySource() ? "set_src_port_key" : "set_dst_port_key", "port_key", r.lo()),
                        s.exact(ranges, ipField, r.ip()), s.exact(ranges, "ip_proto", r.proto()),
                        s.range(ranges, portField, r.lo(), r.hi()))));
            }
        }
    }

    /**
     * The service's virtual firewall, where its clients enter: the first rule that matches decides (highest
     * priority), the default verdict is the lowest-priority rule; with default permit and no rule, nothing.
     */
    private void acl(Service svc, int id, List<Integer> clientPorts) {
        Acl acl = svc.acl();
        if (acl == null) {
            return;
        }
        int n = acl.rules().size();
        for (int port : clientPorts) {
            for (int i = 0; i < n; i++) {
                AclRule r = acl.rules().get(i);
                classifiers.add(entry(tableEntry("acl", n - i + 1, s.action(r.action() == Verdict.PERMIT ? "permit" : "deny"),
                        s.exact("acl", "service_id", id), s.ternary("acl", "slot", port, 0x1FF),
                        r.source() == null ? null : s.ternary("acl", "ipv4_src", r.source().ip().value(), r.source().mask()),
                        r.sourcePorts() == null ? null
                                : s.range("acl", "l4_sport", r.sourcePorts().low(), r.sourcePorts().high()),
                        r.ports() == null ? null : s.range("acl", "l4_dport", r.ports().low(), r.ports().high()))));
            }
            if (acl.defaultVerdict() == Verdict.DENY) {
                classifiers.add(entry(tableEntry("acl", 1, s.action("deny"), s.exact("acl", "service_id", id),
                        s.ternary("acl", "slot", port, 0x1FF))));
            }
        }
    }
}
