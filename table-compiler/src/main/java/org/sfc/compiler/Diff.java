package org.sfc.compiler;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.google.protobuf.ByteString;

import p4.v1.P4RuntimeOuterClass.*;

/**
 * The smallest set of writes that turns the entities of one version into the next, in batches that never
 * leave a dangling reference: inserts and modifies go from what is referenced to what references it
 * (members, groups, next hops and the rest, sequence steps, classifiers), deletes the other way round.
 * An entity whose identity (table and match, member id, session id, meter cell) is unchanged but whose
 * action or configuration changed is one MODIFY.
 */
public final class Diff {
    /** Writes to apply together, e.g. as one ROLLBACK_ON_ERROR request. */
    public record Batch(String label, List<Update> updates) {}

    private Diff() {}

    public static List<Batch> between(DesiredState before, DesiredState after) {
        Map<ByteString, Entity> old = index(before);
        Map<ByteString, Entity> now = index(after);
        int levels = 5;
        List<List<Update>> upserts = new ArrayList<>();
        List<List<Update>> deletes = new ArrayList<>();
        for (int i = 0; i < levels; i++) {
            upserts.add(new ArrayList<>());
            deletes.add(new ArrayList<>());
        }
        now.forEach((key, e) -> {
            Entity prev = old.get(key);
            if (prev == null) {
                // Meter cells always exist (P4Runtime): configuring one is a MODIFY, never an INSERT.
                Update.Type type = e.hasMeterEntry() ? Update.Type.MODIFY : Update.Type.INSERT;
                upserts.get(level(e, after.schema())).add(update(type, e));
            } else if (!prev.equals(e)) {
                upserts.get(level(e, after.schema())).add(update(Update.Type.MODIFY, e));
            }
        });
        old.forEach((key, e) -> {
            if (now.containsKey(key)) {
                return;
            }
            // Meter cells always exist: removing a rate resets the cell to unconfigured (always green).
            Update u = e.hasMeterEntry()
                    ? update(Update.Type.MODIFY, Entity.newBuilder().setMeterEntry(e.getMeterEntry().toBuilder()
                            .clearConfig()).build())
                    : update(Update.Type.DELETE, e);
            deletes.get(level(e, before.schema())).add(u);
        });
        String[] names = {"action profile members", "groups", "next hops, copies, ports and meters", "sequence steps",
            "classifiers and ACLs"};
        List<Batch> batches = new ArrayList<>();
        for (int i = 0; i < levels; i++) {
            if (!upserts.get(i).isEmpty()) {
                batches.add(new Batch("insert/modify " + names[i], upserts.get(i)));
            }
        }
        for (int i = levels - 1; i >= 0; i--) {
            if (!deletes.get(i).isEmpty()) {
                batches.add(new Batch("delete " + names[i], deletes.get(i)));
            }
        }
        return batches;
    }

    private static Update update(Update.Type type, Entity e) {
        return Update.newBuilder().setType(type).setEntity(e).build();
    }

    private static Map<ByteString, Entity> index(DesiredState s) {
        Map<ByteString, Entity> m = new LinkedHashMap<>();
        for (Entity e : s.entities()) {
            if (m.put(identity(e), e) != null) {
                throw new IllegalStateException("two entities with the same identity: " + s.describe(e));
            }
        }
        return m;
    }

    /** What makes two entities "the same entity" in P4Runtime, regardless of their action or config. */
    static ByteString identity(Entity e) {
        Entity.Builder b = Entity.newBuilder();
        switch (e.getEntityCase()) {
            case TABLE_ENTRY -> b.setTableEntry(e.getTableEntry().toBuilder().clearAction().clearCounterData()
                    .clearMeterConfig().clearMetadata());
            case ACTION_PROFILE_MEMBER -> b.setActionProfileMember(e.getActionProfileMember().toBuilder().clearAction());
            case ACTION_PROFILE_GROUP -> b.setActionProfileGroup(e.getActionProfileGroup().toBuilder().clearMembers()
                    .clearMaxSize());
            case PACKET_REPLICATION_ENGINE_ENTRY -> {
                PacketReplicationEngineEntry p = e.getPacketReplicationEngineEntry();
                b.setPacketReplicationEngineEntry(p.hasCloneSessionEntry()
                        ? PacketReplicationEngineEntry.newBuilder().setCloneSessionEntry(CloneSessionEntry.newBuilder()
                                .setSessionId(p.getCloneSessionEntry().getSessionId()))
                        : PacketReplicationEngineEntry.newBuilder().setMulticastGroupEntry(MulticastGroupEntry.newBuilder()
                                .setMulticastGroupId(p.getMulticastGroupEntry().getMulticastGroupId())));
            }
            case METER_ENTRY -> b.setMeterEntry(e.getMeterEntry().toBuilder().clearConfig());
            default -> b.mergeFrom(e);
        }
        return b.build().toByteString();
    }

    private static int level(Entity e, Schema s) {
        switch (e.getEntityCase()) {
            case ACTION_PROFILE_MEMBER:
                return 0;
            case ACTION_PROFILE_GROUP:
                return 1;
            case TABLE_ENTRY:
                String alias = s.p4info().getTablesList().stream()
                        .filter(t -> t.getPreamble().getId() == e.getTableEntry().getTableId()).findFirst()
                        .map(t -> t.getPreamble().getAlias()).orElse("");
                return switch (alias) {
                    case "sequence" -> 3;
                    case "classify_src", "classify_dst", "acl" -> 4;
                    default -> 2;
                };
            default:
                return 2;
        }
    }
}
