package org.sfc.sw.p4info;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.sfc.sw.ast.Ast;
import org.sfc.sw.compile.CompiledProgram;
import org.sfc.sw.frontend.FrontendException;
import org.sfc.sw.runtime.ActionDef;
import org.sfc.sw.runtime.ActionProfileDef;
import org.sfc.sw.runtime.CounterDef;
import org.sfc.sw.runtime.DirectCounterDef;
import org.sfc.sw.runtime.DirectMeterDef;
import org.sfc.sw.runtime.MeterDef;
import org.sfc.sw.runtime.RegisterDef;
import org.sfc.sw.runtime.TableDef;
import org.sfc.sw.types.P4Type;

import com.google.protobuf.TextFormat;

import p4.config.v1.P4InfoOuterClass;
import p4.config.v1.P4InfoOuterClass.P4Info;
import p4.config.v1.P4InfoOuterClass.Preamble;
import p4.config.v1.P4Types;

/**
 * Builds the P4Info of a compiled program and assigns every object its id, the way p4c does (its P4Info is the
 * reference; P4InfoParityTest diffs the two): the top byte of an id is the resource type (0x01 action, 0x02
 * table, 0x04 controller header, 0x11 action profile, 0x12 counter, 0x13 direct counter, 0x14 meter, 0x15
 * direct meter, 0x16 register). An {@code @id} annotation is used verbatim when it carries the right prefix,
 * and gets the prefix added when its top byte is zero. Every other object gets the Jenkins one-at-a-time hash
 * of its name in the low 24 bits; the names of each resource type are hashed in sorted order and a taken id
 * moves on to the next one (linear probing), so ids do not depend on declaration order. Names follow p4c:
 * {@code Control.object}; an alias is the shortest dot-suffix of a name that no other object's name shares.
 */
public final class P4InfoBuilder {
    public static final int ACTION = 0x01;
    public static final int TABLE = 0x02;
    public static final int CONTROLLER_HEADER = 0x04;
    public static final int ACTION_PROFILE = 0x11;
    public static final int COUNTER = 0x12;
    public static final int DIRECT_COUNTER = 0x13;
    public static final int METER = 0x14;
    public static final int DIRECT_METER = 0x15;
    public static final int REGISTER = 0x16;

    private final Set<Integer> used = new HashSet<>();
    private final Map<String, Integer> controllerHeaderIds = new HashMap<>();
    private final List<String> problems = new ArrayList<>();
    private final List<String> allNames = new ArrayList<>();

    /** An object that gets a P4Info id: its resource type, name, annotations, and where its id goes. */
    private record Named(int prefix, String name, Ast.Annotations annotations, java.util.function.IntConsumer setId,
                         boolean idIgnored) {
        Named(int prefix, String name, Ast.Annotations annotations, java.util.function.IntConsumer setId) {
            this(prefix, name, annotations, setId, false);
        }
    }

    private P4InfoBuilder() {}

    /** Assigns ids to every object of {@code p} (in place) and returns its P4Info. */
    public static P4Info build(CompiledProgram p) {
        return new P4InfoBuilder().run(p);
    }

    public static String toText(P4Info info) {
        return TextFormat.printer().printToString(info);
    }

    private P4Info run(CompiledProgram p) {
        // One list of every object with its resource type, so that explicit ids are reserved before
        // hashed ids are chosen (a hashed id never collides with an explicit one).
        List<Named> objects = new ArrayList<>();
        p.actions().forEach(a -> objects.add(new Named(ACTION, a.name, a.annotations, id -> a.id = id)));
        p.tables().forEach(t -> objects.add(new Named(TABLE, t.name, t.annotations, id -> t.id = id)));
        p.profiles().forEach(x -> objects.add(new Named(ACTION_PROFILE, x.name, x.annotations, id -> x.id = id)));
        // bf-p4c does not read @id on TNA's Counter, DirectCounter and Meter: it hashes their names, as here.
        boolean tna = p.isTna();
        p.counters().forEach(c -> objects.add(new Named(COUNTER, c.name, c.annotations, id -> c.id = id, tna)));
        p.directCounters().forEach(c -> objects.add(new Named(DIRECT_COUNTER, c.name, c.annotations, id -> c.id = id,
                tna)));
        p.meters().forEach(m -> objects.add(new Named(METER, m.name, m.annotations, id -> m.id = id, tna)));
        p.directMeters().forEach(m -> objects.add(new Named(DIRECT_METER, m.name, m.annotations, id -> m.id = id)));
        p.registers().forEach(r -> objects.add(new Named(REGISTER, r.name, r.annotations, id -> r.id = id)));
        // A controller header's id is hashed from its type's name (p4c), though P4Info names it by its annotation.
        p.controllerHeaders().forEach(h -> objects.add(new Named(CONTROLLER_HEADER, h.type().name(),
                h.type().annotations(), id -> controllerHeaderIds.put(h.name(), id))));
        objects.forEach(o -> allNames.add(o.name()));
        int[] explicit = new int[objects.size()];
        for (int i = 0; i < explicit.length; i++) {
            Named o = objects.get(i);
            explicit[i] = o.idIgnored() ? 0 : explicitId(o.annotations(), o.prefix(), o.name());
        }
        if (!problems.isEmpty()) {
            throw new FrontendException(problems);
        }
        List<Named> hashed = new ArrayList<>();
        for (int i = 0; i < explicit.length; i++) {
            if (explicit[i] != 0) {
                objects.get(i).setId().accept(explicit[i]);
            } else {
                hashed.add(objects.get(i));
            }
        }
        // p4c probes in sorted name order within each resource type (a std::map of names). bf-p4c hashes the name
        // of a table or extern a TNA pipeline declares with the pipeline's name in front ("pipe.SwitchIngress.t"),
        // though P4Info names it without; actions, and what is declared at the top, keep their own names.
        java.util.function.Function<Named, String> key = o -> p.isTna() && o.name().contains(".")
                && o.prefix() != CONTROLLER_HEADER && o.prefix() != ACTION ? p.tna().pipeName() + "." + o.name()
                : o.name();
        hashed.sort(java.util.Comparator.comparingInt(Named::prefix).thenComparing(key));
        for (Named o : hashed) {
            o.setId().accept(hashedId(o.prefix(), key.apply(o)));
        }
        return toP4Info(p);
    }

    private int explicitId(Ast.Annotations annos, int prefix, String name) {
        var a = annos.find("id");
        if (a.isEmpty()) {
            return 0;
        }
        long v;
        try {
            v = Long.decode(a.get().rawBody().trim());
        } catch (NumberFormatException e) {
            problems.add(a.get().pos() + ": @id of " + name + " must be an integer, got '" + a.get().rawBody() + "'");
            return 0;
        }
        int id = (int) v;
        if ((id >>> 24) == 0) {
            id |= prefix << 24;
        } else if ((id >>> 24) != prefix) {
            problems.add(a.get().pos() + ": @id 0x" + Integer.toHexString(id) + " of " + name
                    + " has resource-type prefix 0x" + Integer.toHexString(id >>> 24) + " but this kind of object needs 0x"
                    + String.format("%02x", prefix));
            return 0;
        }
        if (!used.add(id)) {
            problems.add(a.get().pos() + ": @id 0x" + Integer.toHexString(id) + " of " + name + " is used twice");
        }
        return id;
    }

    private int hashedId(int prefix, String name) {
        int low = jenkinsOneAtATime(name.getBytes(StandardCharsets.UTF_8));
        int id = (prefix << 24) | (low & 0xFFFFFF);
        while (!used.add(id)) {
            low++;
            id = (prefix << 24) | (low & 0xFFFFFF);
        }
        return id;
    }

    /** Bob Jenkins' one-at-a-time hash, as p4c hashes names into P4Runtime ids. */
    static int jenkinsOneAtATime(byte[] key) {
        int hash = 0;
        for (byte b : key) {
            hash += b & 0xFF;
            hash += hash << 10;
            hash ^= hash >>> 6;
        }
        hash += hash << 3;
        hash ^= hash >>> 11;
        hash += hash << 15;
        return hash;
    }

    /** The shortest dot-suffix of {@code name} that no other object name ends with. */
    private String alias(String name) {
        String[] parts = name.split("\\.");
        for (int k = parts.length - 1; k >= 0; k--) {
            String suffix = String.join(".", java.util.Arrays.copyOfRange(parts, k, parts.length));
            long clashes = allNames.stream().filter(n -> !n.equals(name)
                    && (n.equals(suffix) || n.endsWith("." + suffix))).count();
            if (clashes == 0) {
                return suffix;
            }
        }
        return name;
    }

    private Preamble preamble(int id, String name, Ast.Annotations annotations) {
        Preamble.Builder b = Preamble.newBuilder().setId(id).setName(name).setAlias(alias(name));
        for (Ast.Annotation a : annotations.list()) {
            switch (a.name()) {
                // represented elsewhere, or consumed by the compiler (as p4c does)
                case "name", "id", "hidden", "max_group_size", "selector_size_semantics", "max_member_weight" -> { }
                case "brief" -> a.stringValue().ifPresent(v -> b.getDocBuilder().setBrief(v));
                case "description" -> a.stringValue().ifPresent(v -> b.getDocBuilder().setDescription(v));
                default -> b.addAnnotations(a.tokens().isEmpty() ? "@" + a.name() : "@" + a.name() + "(" + a.rawBody() + ")");
            }
        }
        return b.build();
    }

    private P4Info toP4Info(CompiledProgram p) {
        P4Info.Builder b = P4Info.newBuilder();
        b.setPkgInfo(P4InfoOuterClass.PkgInfo.newBuilder().setArch(p.arch()));
        for (TableDef t : p.tables()) {
            P4InfoOuterClass.Table.Builder tb = P4InfoOuterClass.Table.newBuilder()
                    .setPreamble(preamble(t.id, t.name, t.annotations)).setSize(t.size).setIsConstTable(t.constEntries)
                    .setHasInitialEntries(t.hasEntries);
            for (TableDef.KeyField k : t.keys) {
                tb.addMatchFields(P4InfoOuterClass.MatchField.newBuilder().setId(k.id()).setName(k.name())
                        .setBitwidth(k.width()).setMatchType(matchType(k.kind())));
            }
            for (TableDef.ActionRef r : t.actions) {
                P4InfoOuterClass.ActionRef.Builder ar = P4InfoOuterClass.ActionRef.newBuilder().setId(r.action().id);
                if (r.defaultOnly()) {
                    ar.setScope(P4InfoOuterClass.ActionRef.Scope.DEFAULT_ONLY).addAnnotations("@defaultonly");
                } else if (r.tableOnly()) {
                    ar.setScope(P4InfoOuterClass.ActionRef.Scope.TABLE_ONLY).addAnnotations("@tableonly");
                }
                tb.addActionRefs(ar);
            }
            if (t.constDefaultAction) {
                tb.setConstDefaultActionId(t.defaultAction.action().id);
            }
            tb.setInitialDefaultAction(initialDefaultAction(t.initialDefaultAction));
            if (t.profile != null) {
                tb.setImplementationId(t.profile.id);
            }
            if (t.directCounter != null) {
                tb.addDirectResourceIds(t.directCounter.id);
            }
            if (t.directMeter != null) {
                tb.addDirectResourceIds(t.directMeter.id);
            }
            b.addTables(tb);
        }
        // Only what a table can run is the control plane's: an action that other actions only call (p4c inlines
        // it) has no place in the P4Info, as in p4c's.
        Set<Integer> inTables = new HashSet<>();
        for (TableDef t : p.tables()) {
            t.actions.forEach(r -> inTables.add(r.action().id));
        }
        Set<Integer> seenActions = new HashSet<>();
        for (ActionDef a : p.actions()) {
            if (!inTables.contains(a.id) || !seenActions.add(a.id)) {
                continue;
            }
            P4InfoOuterClass.Action.Builder ab = P4InfoOuterClass.Action.newBuilder().setPreamble(preamble(a.id, a.name, a.annotations));
            for (ActionDef.Param prm : a.params) {
                if (prm.id() > 0) {
                    ab.addParams(P4InfoOuterClass.Action.Param.newBuilder().setId(prm.id()).setName(prm.name())
                            .setBitwidth(prm.width()));
                }
            }
            b.addActions(ab);
        }
        for (ActionProfileDef ap : p.profiles()) {
            P4InfoOuterClass.ActionProfile.Builder pb = P4InfoOuterClass.ActionProfile.newBuilder()
                    .setPreamble(preamble(ap.id, ap.name, ap.annotations)).setWithSelector(ap.withSelector).setSize(ap.size)
                    .setMaxGroupSize(ap.maxGroupSize);
            ap.tables.forEach(t -> pb.addTableIds(t.id));
            b.addActionProfiles(pb);
        }
        for (CounterDef c : p.counters()) {
            b.addCounters(P4InfoOuterClass.Counter.newBuilder().setPreamble(preamble(c.id, c.name, c.annotations))
                    .setSpec(counterSpec(c.unit)).setSize(c.size));
        }
        for (DirectCounterDef c : p.directCounters()) {
            b.addDirectCounters(P4InfoOuterClass.DirectCounter.newBuilder().setPreamble(preamble(c.id, c.name, c.annotations))
                    .setSpec(counterSpec(c.unit)).setDirectTableId(c.table == null ? 0 : c.table.id));
        }
        for (MeterDef m : p.meters()) {
            b.addMeters(P4InfoOuterClass.Meter.newBuilder().setPreamble(preamble(m.id, m.name, m.annotations))
                    .setSpec(meterSpec(m.unit)).setSize(m.size));
        }
        for (DirectMeterDef m : p.directMeters()) {
            b.addDirectMeters(P4InfoOuterClass.DirectMeter.newBuilder().setPreamble(preamble(m.id, m.name, m.annotations))
                    .setSpec(meterSpec(m.unit)).setDirectTableId(m.table == null ? 0 : m.table.id));
        }
        for (CompiledProgram.ControllerHeader h : p.controllerHeaders()) {
            P4InfoOuterClass.ControllerPacketMetadata.Builder cb = P4InfoOuterClass.ControllerPacketMetadata.newBuilder()
                    .setPreamble(preamble(controllerHeaderIds.get(h.name()), h.name(), h.type().annotations()).toBuilder()
                            .setAlias(h.name()));
            int id = 1;
            for (P4Type.Field f : h.type().fields()) {
                cb.addMetadata(P4InfoOuterClass.ControllerPacketMetadata.Metadata.newBuilder().setId(id++)
                        .setName(f.name()).setBitwidth(P4Type.bitWidthOf(f.type())));
            }
            b.addControllerPacketMetadata(cb);
        }
        for (RegisterDef r : p.registers()) {
            b.addRegisters(P4InfoOuterClass.Register.newBuilder().setPreamble(preamble(r.id, r.name, r.annotations)).setSize(r.size)
                    .setTypeSpec(P4Types.P4DataTypeSpec.newBuilder().setBitstring(P4Types.P4BitstringLikeTypeSpec
                            .newBuilder().setBit(P4Types.P4BitTypeSpec.newBuilder().setBitwidth(r.width)))));
        }
        b.setTypeInfo(P4Types.P4TypeInfo.getDefaultInstance()); // p4c always writes one, empty without user types
        return b.build();
    }

    /** P4Runtime 1.4: the default action a table starts with, and its arguments (as p4c writes them: full width). */
    private static P4InfoOuterClass.TableActionCall initialDefaultAction(org.sfc.sw.runtime.ActionCall call) {
        P4InfoOuterClass.TableActionCall.Builder b = P4InfoOuterClass.TableActionCall.newBuilder()
                .setActionId(call.action().id);
        int i = 0;
        for (ActionDef.Param prm : call.action().params) {
            if (prm.id() > 0) {
                b.addArguments(P4InfoOuterClass.TableActionCall.Argument.newBuilder().setParamId(prm.id())
                        .setValue(fullWidthBytes(call.args()[i], prm.width())));
            }
            i++;
        }
        return b.build();
    }

    private static com.google.protobuf.ByteString fullWidthBytes(long v, int width) {
        byte[] bytes = new byte[(width + 7) / 8];
        for (int i = bytes.length - 1; i >= 0; i--, v >>>= 8) {
            bytes[i] = (byte) v;
        }
        return com.google.protobuf.ByteString.copyFrom(bytes);
    }

    private static P4InfoOuterClass.MatchField.MatchType matchType(org.sfc.sw.runtime.MatchKind k) {
        return switch (k) {
            case EXACT -> P4InfoOuterClass.MatchField.MatchType.EXACT;
            case LPM -> P4InfoOuterClass.MatchField.MatchType.LPM;
            case TERNARY -> P4InfoOuterClass.MatchField.MatchType.TERNARY;
            case RANGE -> P4InfoOuterClass.MatchField.MatchType.RANGE;
            case OPTIONAL -> P4InfoOuterClass.MatchField.MatchType.OPTIONAL;
            default -> P4InfoOuterClass.MatchField.MatchType.UNSPECIFIED;
        };
    }

    private static P4InfoOuterClass.CounterSpec counterSpec(String unit) {
        P4InfoOuterClass.CounterSpec.Unit u = switch (unit) {
            case "packets" -> P4InfoOuterClass.CounterSpec.Unit.PACKETS;
            case "bytes" -> P4InfoOuterClass.CounterSpec.Unit.BYTES;
            default -> P4InfoOuterClass.CounterSpec.Unit.BOTH;
        };
        return P4InfoOuterClass.CounterSpec.newBuilder().setUnit(u).build();
    }

    private static P4InfoOuterClass.MeterSpec meterSpec(String unit) {
        return P4InfoOuterClass.MeterSpec.newBuilder().setUnit(unit.equals("bytes")
                ? P4InfoOuterClass.MeterSpec.Unit.BYTES : P4InfoOuterClass.MeterSpec.Unit.PACKETS).build();
    }
}
