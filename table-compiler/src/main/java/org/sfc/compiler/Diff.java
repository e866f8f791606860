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
 * (action profile members and groups where a program has them, next hops and the rest, sequence steps,
 * classifiers), deletes the other way round.
 * An entity whose identity (table and match, member id, session id, meter cell) is unchanged but whose
 * action or configuration changed is one MODIFY.
 */
public final class Diff {
    /** Writes to apply together, e.g. as one ROLLBACK_ON_ERROR request. */
    public record Batch(String label, List<Update> updates) {}

    private Diff() {}

    public static List<Batch> between(DesiredState before, DesiredState after) {
        // Only fragments that changed are looked into; an unchanged service's fragment is the same object.
        // Fragments come in a stable order: first pair them up by position, then match the rest by owner.
        List<DesiredState.Fragment> a = before.fragments();
        List<DesiredState.Fragment> b = after.fragments();
        Map<String, DesiredState.Fragment> oldFragments = new LinkedHashMap<>();
        List<DesiredState.Fragment> newFragments = new ArrayList<>();
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            DesiredState.Fragment x = i < a.size() ? a.get(i) : null;
            DesiredState.Fragment y = i < b.size() ? b.get(i) : null;
            if (x != null && x == y) {
                continue;
            }
            if (x != null) {
                oldFragments.put(x.owner(), x);
            }
            if (y != null) {
                newFragments.add(y);
            }
        }
        List<Entity> was = new ArrayList<>();
        List<Entity> is = new ArrayList<>();
        for (DesiredState.Fragment f : newFragments) {
            DesiredState.Fragment prev = oldFragments.remove(f.owner());
            if (prev == f || (prev != null && prev.sameAs(f))) {
                continue;
            }
            is.addAll(f.entities());
            if (prev != null) {
                was.addAll(prev.entities());
            }
        }
        oldFragments.values().forEach(f -> was.addAll(f.entities()));
        Map<Key, Entity> old = index(was, before);
        Map<Key, Entity> now = index(is, after);
        int levels = DesiredState.LEVELS;
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
                upserts.get(after.level(e)).add(update(type, e));
            } else if (!prev.equals(e)) {
                upserts.get(after.level(e)).add(update(Update.Type.MODIFY, e));
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
            deletes.get(before.level(e)).add(u);
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

    /**
     * An entity's identity bytes with a well-spread hash: ByteString's own hash (31-polynomial) collides a lot
     * on a million near-identical entries, turning the index into long bucket scans.
     */
    private record Key(byte[] bytes, int hash) {
        static Key of(ByteString identity) {
            byte[] b = identity.toByteArray();
            long h = 0xcbf29ce484222325L;
            for (byte x : b) {
                h = (h ^ (x & 0xFF)) * 0x100000001b3L;
            }
            h ^= h >>> 33;
            h *= 0xff51afd7ed558ccdL;
            h ^= h >>> 33;
            return new Key(b, (int) h);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.hash == hash && java.util.Arrays.equals(k.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    private static Update update(Update.Type type, Entity e) {
        return Update.newBuilder().setType(type).setEntity(e).build();
    }

    private static Map<Key, Entity> index(List<Entity> entities, DesiredState s) {
        Map<Key, Entity> m = new LinkedHashMap<>();
        for (Entity e : entities) {
            if (m.put(Key.of(identity(e)), e) != null) {
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
}
