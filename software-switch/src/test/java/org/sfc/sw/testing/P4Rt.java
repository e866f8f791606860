package org.sfc.sw.testing;

import java.util.ArrayList;
import java.util.List;

import org.sfc.sw.server.Bytes;

import p4.config.v1.P4InfoOuterClass;
import p4.config.v1.P4InfoOuterClass.P4Info;
import p4.v1.P4RuntimeOuterClass.*;

/** Builds P4Runtime entities by name from a P4Info, so tests read like p4runtime-shell sessions. */
public final class P4Rt {
    private final P4Info info;

    public P4Rt(P4Info info) {
        this.info = info;
    }

    public P4InfoOuterClass.Table table(String name) {
        return info.getTablesList().stream().filter(t -> t.getPreamble().getName().equals(name)
                || t.getPreamble().getAlias().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no table " + name));
    }

    public P4InfoOuterClass.Action action(String name) {
        return info.getActionsList().stream().filter(a -> a.getPreamble().getName().equals(name)
                || a.getPreamble().getAlias().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no action " + name));
    }

    public int id(String kind, String name) {
        return switch (kind) {
            case "counter" -> info.getCountersList().stream().filter(c -> c.getPreamble().getName().endsWith(name))
                    .findFirst().orElseThrow().getPreamble().getId();
            case "meter" -> info.getMetersList().stream().filter(c -> c.getPreamble().getName().endsWith(name))
                    .findFirst().orElseThrow().getPreamble().getId();
            case "register" -> info.getRegistersList().stream().filter(c -> c.getPreamble().getName().endsWith(name))
                    .findFirst().orElseThrow().getPreamble().getId();
            case "profile" -> info.getActionProfilesList().stream().filter(c -> c.getPreamble().getName().endsWith(name))
                    .findFirst().orElseThrow().getPreamble().getId();
            default -> throw new IllegalArgumentException(kind);
        };
    }

    /** An action call: {@code call("forward", 0xaabbL, 2L)} with parameters in declaration order. */
    public Action call(String action, long... params) {
        P4InfoOuterClass.Action a = action(action);
        Action.Builder b = Action.newBuilder().setActionId(a.getPreamble().getId());
        for (int i = 0; i < params.length; i++) {
            b.addParams(Action.Param.newBuilder().setParamId(a.getParams(i).getId()).setValue(Bytes.canonical(params[i])));
        }
        return b.build();
    }

    public int fieldId(String table, String field) {
        return table(table).getMatchFieldsList().stream().filter(f -> f.getName().equals(field)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no field " + field)).getId();
    }

    public FieldMatch exact(String table, String field, long v) {
        return FieldMatch.newBuilder().setFieldId(fieldId(table, field))
                .setExact(FieldMatch.Exact.newBuilder().setValue(Bytes.canonical(v))).build();
    }

    public FieldMatch lpm(String table, String field, long v, int len) {
        return FieldMatch.newBuilder().setFieldId(fieldId(table, field))
                .setLpm(FieldMatch.LPM.newBuilder().setValue(Bytes.canonical(v)).setPrefixLen(len)).build();
    }

    public FieldMatch ternary(String table, String field, long v, long mask) {
        return FieldMatch.newBuilder().setFieldId(fieldId(table, field))
                .setTernary(FieldMatch.Ternary.newBuilder().setValue(Bytes.canonical(v)).setMask(Bytes.canonical(mask)))
                .build();
    }

    public FieldMatch range(String table, String field, long lo, long hi) {
        return FieldMatch.newBuilder().setFieldId(fieldId(table, field))
                .setRange(FieldMatch.Range.newBuilder().setLow(Bytes.canonical(lo)).setHigh(Bytes.canonical(hi))).build();
    }

    public TableEntry entry(String table, Action action, int priority, FieldMatch... match) {
        return TableEntry.newBuilder().setTableId(table(table).getPreamble().getId()).addAllMatch(List.of(match))
                .setPriority(priority).setAction(TableAction.newBuilder().setAction(action)).build();
    }

    public static Update insert(TableEntry e) {
        return update(Update.Type.INSERT, Entity.newBuilder().setTableEntry(e).build());
    }

    public static Update update(Update.Type type, Entity e) {
        return Update.newBuilder().setType(type).setEntity(e).build();
    }

    public static List<Update> inserts(TableEntry... es) {
        List<Update> out = new ArrayList<>();
        for (TableEntry e : es) {
            out.add(insert(e));
        }
        return out;
    }
}
