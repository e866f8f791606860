package org.sfc.compiler;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;

import p4.config.v1.P4InfoOuterClass;
import p4.config.v1.P4InfoOuterClass.P4Info;
import p4.config.v1.P4InfoOuterClass.Preamble;

/**
 * Turns the P4Info bf-p4c writes for a TNA program (its own externs: {@code Counter}, {@code DirectCounter},
 * {@code Meter} as {@code barefoot.*} messages, names prefixed with the pipeline's) into standard P4Info: what
 * {@code --p4runtime-force-std-externs} does inside bf-p4c, which also warns about every extern it cannot convert
 * (a {@code Hash} unit is always a {@code DynHash} extern), so the program cannot be compiled with zero warnings
 * that way. The rules are bf-p4c's: a standard counter, direct counter or meter keeps the low 24 bits of the TNA
 * id under its standard prefix (0x12, 0x13, 0x14), a table's direct resources follow, and a one-pipeline program
 * loses the pipeline's name in front of every name. Externs with no standard form that the control plane does not
 * need here (the hash's configuration, port metadata, snapshots) are dropped and listed; any other is refused.
 *
 * <p>The barefoot messages are read by field number (spec = 1, size or direct_table_id = 2, the spec being
 * P4Runtime's CounterSpec or MeterSpec), as bf-p4c writes them.
 */
public final class TofinoP4Info {
    private static final int TNA_COUNTER = 131;
    private static final int TNA_DIRECT_COUNTER = 132;
    private static final int TNA_METER = 133;
    /** Extern types with no standard P4Info form that sfc's control plane does not use. */
    private static final Set<String> DROPPED = Set.of("DynHash", "PortMetadata", "Snapshot");

    /** The standard P4Info, whether it was converted, and the names of the extern types dropped from it. */
    public record Result(P4Info p4info, boolean converted, Set<String> dropped) {}

    private TofinoP4Info() {}

    /** Whether {@code info} is bf-p4c's own TNA P4Info (it has TNA externs). */
    public static boolean isTofino(P4Info info) {
        return info.getExternsList().stream().anyMatch(e -> e.getExternTypeId() >= TNA_COUNTER);
    }

    /** The standard P4Info of {@code info}; a standard P4Info comes back unchanged. */
    public static Result toStandard(P4Info info) {
        if (!isTofino(info)) {
            return new Result(info, false, Set.of());
        }
        String pipe = pipePrefix(info);
        P4Info.Builder out = info.toBuilder().clearExterns();
        Map<Integer, Integer> directIds = new HashMap<>();
        Set<String> dropped = new TreeSet<>();
        for (P4InfoOuterClass.Extern type : info.getExternsList()) {
            for (P4InfoOuterClass.ExternInstance instance : type.getInstancesList()) {
                Preamble preamble = rename(instance.getPreamble(), pipe);
                Fields f = Fields.of(instance.getInfo().getValue(), type.getExternTypeName());
                switch (type.getExternTypeId()) {
                    case TNA_COUNTER -> out.addCounters(P4InfoOuterClass.Counter.newBuilder()
                            .setPreamble(standardId(preamble, 0x12)).setSpec(f.counterSpec()).setSize(f.number()));
                    case TNA_DIRECT_COUNTER -> {
                        Preamble p = standardId(preamble, 0x13);
                        directIds.put(instance.getPreamble().getId(), p.getId());
                        out.addDirectCounters(P4InfoOuterClass.DirectCounter.newBuilder().setPreamble(p)
                                .setSpec(f.counterSpec()).setDirectTableId((int) f.number()));
                    }
                    case TNA_METER -> out.addMeters(P4InfoOuterClass.Meter.newBuilder()
                            .setPreamble(standardId(preamble, 0x14)).setSpec(f.meterSpec()).setSize(f.number()));
                    default -> {
                        if (!DROPPED.contains(type.getExternTypeName())) {
                            throw new IllegalArgumentException("bf-p4c's P4Info has a " + type.getExternTypeName()
                                    + " (" + instance.getPreamble().getName() + "), which sfc does not convert to "
                                    + "standard P4Info; compile with --p4runtime-force-std-externs");
                        }
                        dropped.add(type.getExternTypeName());
                    }
                }
            }
        }
        for (P4InfoOuterClass.Table.Builder t : out.getTablesBuilderList()) {
            t.setPreamble(rename(t.getPreamble(), pipe));
            List<Integer> resources = new ArrayList<>();
            t.getDirectResourceIdsList().forEach(id -> resources.add(directIds.getOrDefault(id, id)));
            t.clearDirectResourceIds().addAllDirectResourceIds(resources);
        }
        for (P4InfoOuterClass.Action.Builder a : out.getActionsBuilderList()) {
            a.setPreamble(rename(a.getPreamble(), pipe));
        }
        return new Result(out.build(), true, dropped);
    }

    /** "pipe." when every table is named inside one pipeline (bf-p4c then leaves it out), else "". */
    private static String pipePrefix(P4Info info) {
        TreeSet<String> pipes = new TreeSet<>();
        info.getTablesList().forEach(t -> {
            String n = t.getPreamble().getName();
            pipes.add(n.contains(".") ? n.substring(0, n.indexOf('.')) : "");
        });
        return pipes.size() == 1 && !pipes.first().isEmpty() ? pipes.first() + "." : "";
    }

    private static Preamble rename(Preamble p, String pipe) {
        return !pipe.isEmpty() && p.getName().startsWith(pipe)
                ? p.toBuilder().setName(p.getName().substring(pipe.length())).build() : p;
    }

    private static Preamble standardId(Preamble p, int prefix) {
        return p.toBuilder().setId((prefix << 24) | (p.getId() & 0xFFFFFF)).build();
    }

    /** Field 1 (the spec) and field 2 (a size or a table id) of a barefoot Counter, DirectCounter or Meter. */
    private record Fields(ByteString spec, long number) {
        static Fields of(ByteString value, String type) {
            ByteString spec = ByteString.EMPTY;
            long number = 0;
            try {
                CodedInputStream in = value.newCodedInput();
                for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                    int field = WireFormat.getTagFieldNumber(tag);
                    if (field == 1 && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                        spec = in.readBytes();
                    } else if (field == 2 && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_VARINT) {
                        number = in.readInt64();
                    } else {
                        in.skipField(tag);
                    }
                }
            } catch (IOException e) {
                throw new IllegalArgumentException("bf-p4c's P4Info has an unreadable " + type + ": " + e.getMessage(), e);
            }
            return new Fields(spec, number);
        }

        P4InfoOuterClass.CounterSpec counterSpec() {
            try {
                return P4InfoOuterClass.CounterSpec.parseFrom(spec);
            } catch (IOException e) {
                throw new IllegalArgumentException("bf-p4c's P4Info has an unreadable counter spec", e);
            }
        }

        P4InfoOuterClass.MeterSpec meterSpec() {
            try {
                return P4InfoOuterClass.MeterSpec.parseFrom(spec);
            } catch (IOException e) {
                throw new IllegalArgumentException("bf-p4c's P4Info has an unreadable meter spec", e);
            }
        }
    }
}
