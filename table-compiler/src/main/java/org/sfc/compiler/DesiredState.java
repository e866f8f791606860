package org.sfc.compiler;

import java.util.ArrayList;
import java.util.List;

import p4.config.v1.P4InfoOuterClass;
import p4.v1.P4RuntimeOuterClass.*;

/**
 * The entities a catalog compiles to, in a write order that never leaves a dangling reference: action
 * profile members, next hops, clone sessions and copy targets, port roles, meters, sequence steps, then
 * classifiers. Renders as one line per entity for golden tests and diffs.
 */
public record DesiredState(List<Entity> entities, Schema schema) {

    /** Nothing: the diff from here to a state is how a fresh switch is programmed. */
    public static DesiredState empty(Schema schema) {
        return new DesiredState(List.of(), schema);
    }

    public String text() {
        StringBuilder sb = new StringBuilder();
        for (Entity e : entities) {
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
                return "meter[" + m.getIndex().getIndex() + "] cir=" + m.getConfig().getCir() + " cburst="
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
