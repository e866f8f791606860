package org.sfc.compiler;

import java.util.ArrayList;
import java.util.List;

import p4.config.v1.P4InfoOuterClass;
import p4.v1.P4RuntimeOuterClass.*;

/**
 * The entities a catalog compiles to, in fragments: one for what services share (next hops and group buckets,
 * clone sessions and copy targets, port roles) and one per service (its meter, sequence
 * steps, classifiers and ACL rules). An unchanged service's fragment is carried over from the previous
 * version as the same object, so a diff skips it without looking inside. {@link #entities()} lists
 * everything in a write order that never leaves a dangling reference: the shared fragment, then every
 * service's meters, steps, and classifiers. Renders as one line per entity for golden tests and diffs.
 */
public final class DesiredState {
    /**
     * Entities owned together: {@code "shared"} or {@code "service:NAME"}. A service's sequence steps are kept
     * compact and made into entities when read.
     */
    public static final class Fragment {
        private final String owner;
        private final List<Entity> entities;
        private final SequenceSteps steps;

        public Fragment(String owner, List<Entity> entities) {
            this(owner, entities, null);
        }

        Fragment(String owner, List<Entity> entities, SequenceSteps steps) {
            this.owner = owner;
            this.entities = List.copyOf(entities);
            this.steps = steps;
        }

        public String owner() {
            return owner;
        }

        /** Every entity of the fragment (its steps built on each call). */
        public List<Entity> entities() {
            if (steps == null) {
                return entities;
            }
            List<Entity> all = new ArrayList<>(entities);
            all.addAll(steps.entities());
            return all;
        }

        /** Whether the two fragments hold the same entities, without building them. */
        boolean sameAs(Fragment o) {
            return owner.equals(o.owner) && entities.equals(o.entities) && java.util.Objects.equals(steps, o.steps);
        }

        /** The entities kept as such (all but the steps), and how many steps there are. */
        List<Entity> builtEntities() {
            return entities;
        }

        int stepCount() {
            return steps == null ? 0 : steps.size();
        }

        /** The service's steps (null for a fragment without any). */
        SequenceSteps steps() {
            return steps;
        }
    }

    static final int LEVEL_MEMBERS = 0;
    static final int LEVEL_GROUPS = 1;
    static final int LEVEL_OTHER = 2;
    static final int LEVEL_STEPS = 3;
    static final int LEVEL_CLASSIFIERS = 4;
    static final int LEVELS = 5;

    private final List<Fragment> fragments;
    private final Schema schema;
    private final java.util.Map<Integer, Integer> tableLevel = new java.util.HashMap<>();
    private List<Entity> flat;

    public DesiredState(List<Fragment> fragments, Schema schema) {
        this.fragments = List.copyOf(fragments);
        this.schema = schema;
        for (var t : schema.p4info().getTablesList()) {
            tableLevel.put(t.getPreamble().getId(), switch (t.getPreamble().getAlias()) {
                case "sequence" -> LEVEL_STEPS;
                case "classify_src", "classify_dst", "src_port_range", "dst_port_range", "acl" -> LEVEL_CLASSIFIERS;
                default -> LEVEL_OTHER;
            });
        }
    }

    /** Nothing: the diff from here to a state is how a fresh switch is programmed. */
    public static DesiredState empty(Schema schema) {
        return new DesiredState(List.of(), schema);
    }

    public List<Fragment> fragments() {
        return fragments;
    }

    /** How many entries each table of the program holds here (table id -> count; 0 for the others). */
    public java.util.Map<Integer, Integer> entriesPerTable() {
        return entriesPerTable(fragments, schema);
    }

    /** As {@link #entriesPerTable()}, for fragments not yet a state; the steps are counted, not built. */
    static java.util.Map<Integer, Integer> entriesPerTable(List<Fragment> fragments, Schema schema) {
        // A million entries are counted here: a linear scan of a dozen table ids beats boxing each id.
        int[] tableIds = schema.p4info().getTablesList().stream().mapToInt(t -> t.getPreamble().getId()).toArray();
        int[] counts = new int[tableIds.length];
        int sequence = schema.table("sequence").getPreamble().getId();
        for (Fragment f : fragments) {
            for (int i = 0; i < tableIds.length; i++) {
                if (tableIds[i] == sequence) {
                    counts[i] += f.stepCount();
                }
            }
            for (Entity e : f.builtEntities()) {
                if (e.hasTableEntry()) {
                    int id = e.getTableEntry().getTableId();
                    int i = 0;
                    while (i < tableIds.length && tableIds[i] != id) {
                        i++;
                    }
                    if (i < tableIds.length) {
                        counts[i]++;
                    }
                }
            }
        }
        java.util.Map<Integer, Integer> perTable = new java.util.HashMap<>();
        for (int i = 0; i < tableIds.length; i++) {
            perTable.put(tableIds[i], counts[i]);
        }
        return perTable;
    }

    private java.util.Map<String, Fragment> byOwner;

    /** The fragment {@code owner} ("shared", "service:NAME") has here, or null. */
    public synchronized Fragment fragment(String owner) {
        if (byOwner == null) {
            byOwner = new java.util.HashMap<>();
            fragments.forEach(f -> byOwner.put(f.owner(), f));
        }
        return byOwner.get(owner);
    }

    public Schema schema() {
        return schema;
    }

    /** Every entity, in write order. */
    public synchronized List<Entity> entities() {
        if (flat == null) {
            List<Entity> out = new ArrayList<>();
            List<List<Entity>> byLevel = new ArrayList<>();
            for (int level = 0; level < LEVELS; level++) {
                byLevel.add(new ArrayList<>());
            }
            for (Fragment f : fragments) {
                if (!f.owner().startsWith("service:")) {
                    out.addAll(f.entities());
                } else {
                    for (Entity e : f.entities()) {
                        byLevel.get(level(e)).add(e);
                    }
                }
            }
            byLevel.forEach(out::addAll);
            flat = java.util.Collections.unmodifiableList(out);
        }
        return flat;
    }

    /** Where an entity goes in the write order: what is referenced comes before what references it. */
    int level(Entity e) {
        return switch (e.getEntityCase()) {
            case ACTION_PROFILE_MEMBER -> LEVEL_MEMBERS;
            case ACTION_PROFILE_GROUP -> LEVEL_GROUPS;
            case TABLE_ENTRY -> tableLevel.getOrDefault(e.getTableEntry().getTableId(), LEVEL_OTHER);
            default -> LEVEL_OTHER;
        };
    }

    public String text() {
        StringBuilder sb = new StringBuilder();
        for (Entity e : entities()) {
            sb.append(describe(e)).append('\n');
        }
        return sb.toString();
    }

    public String describe(Entity e) {
        switch (e.getEntityCase()) {
            case TABLE_ENTRY -> {
                TableEntry t = e.getTableEntry();
                P4InfoOuterClass.Table table = schema.p4info().getTablesList().stream()
                        .filter(x -> x.getPreamble().getId() == t.getTableId()).findFirst().orElseThrow();
                List<String> parts = new ArrayList<>();
                for (FieldMatch fm : t.getMatchList()) {
                    P4InfoOuterClass.MatchField f = table.getMatchFieldsList().stream()
                            .filter(x -> x.getId() == fm.getFieldId()).findFirst().orElseThrow();
                    String v = switch (fm.getFieldMatchTypeCase()) {
                        case EXACT -> format(f.getName(), f.getBitwidth(), Schema.value(fm.getExact().getValue()));
                        case RANGE -> Schema.value(fm.getRange().getLow()) + ".." + Schema.value(fm.getRange().getHigh());
                        case TERNARY -> format(f.getName(), f.getBitwidth(), Schema.value(fm.getTernary().getValue()))
                                + "&&&0x" + Long.toHexString(Schema.value(fm.getTernary().getMask()));
                        case LPM -> format(f.getName(), f.getBitwidth(), Schema.value(fm.getLpm().getValue())) + "/"
                                + fm.getLpm().getPrefixLen();
                        default -> fm.toString().trim();
                    };
                    parts.add(f.getName() + "=" + v);
                }
                String prio = t.getPriority() != 0 ? " prio=" + t.getPriority() : "";
                return table.getPreamble().getAlias() + " " + String.join(" ", parts) + prio + " -> " + action(t.getAction());
            }
            case ACTION_PROFILE_MEMBER -> {
                ActionProfileMember m = e.getActionProfileMember();
                return "member " + m.getMemberId() + " -> " + call(m.getAction());
            }
            case ACTION_PROFILE_GROUP -> {
                ActionProfileGroup g = e.getActionProfileGroup();
                return "group " + g.getGroupId() + " -> members " + g.getMembersList().stream()
                        .map(m -> m.getMemberId() + "x" + m.getWeight()).toList();
            }
            case PACKET_REPLICATION_ENGINE_ENTRY -> {
                CloneSessionEntry c = e.getPacketReplicationEngineEntry().getCloneSessionEntry();
                return "clone-session " + c.getSessionId() + " -> " + c.getReplicasList().stream()
                        .map(r -> "port " + r.getEgressPort() + " instance " + r.getInstance()).toList();
            }
            case METER_ENTRY -> {
                MeterEntry m = e.getMeterEntry();
                return schema.meterName(m.getMeterId()) + "[" + m.getIndex().getIndex() + "] cir=" + m.getConfig().getCir() + " cburst="
                        + m.getConfig().getCburst() + " pir=" + m.getConfig().getPir() + " pburst="
                        + m.getConfig().getPburst();
            }
            default -> {
                return e.toString().replace('\n', ' ');
            }
        }
    }

    private String action(TableAction a) {
        return switch (a.getTypeCase()) {
            case ACTION -> call(a.getAction());
            case ACTION_PROFILE_MEMBER_ID -> "member " + a.getActionProfileMemberId();
            case ACTION_PROFILE_GROUP_ID -> "group " + a.getActionProfileGroupId();
            default -> "?";
        };
    }

    private String call(Action a) {
        List<String> names = schema.paramNames(a.getActionId());
        P4InfoOuterClass.Action info = schema.actionInfo(schema.actionName(a.getActionId()));
        List<String> args = new ArrayList<>();
        for (int i = 0; i < a.getParamsCount(); i++) {
            int width = info.getParams(i).getBitwidth();
            args.add(names.get(i) + "=" + format(names.get(i), width, Schema.value(a.getParams(i).getValue())));
        }
        return schema.actionName(a.getActionId()) + "(" + String.join(", ", args) + ")";
    }

    /** MACs and IPv4 addresses in their usual notation, other values as numbers. */
    static String format(String name, int width, long v) {
        if (width == 48 && name.contains("mac")) {
            return new org.sfc.catalog.Mac(v).toString();
        }
        if (width == 32 && (name.contains("ip") || name.contains("ipv4"))) {
            return new org.sfc.catalog.Ipv4(v).toString();
        }
        return Long.toString(v);
    }
}
