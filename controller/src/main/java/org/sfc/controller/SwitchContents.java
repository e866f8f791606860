package org.sfc.controller;

import java.util.ArrayList;
import java.util.List;

import p4.config.v1.P4InfoOuterClass.P4Info;
import p4.v1.P4RuntimeOuterClass.*;

/**
 * What a switch holds that a controller wrote: table entries (not default actions, not a program's const
 * entries), action profile members and groups, clone sessions and configured meter cells, read with the
 * P4Info of the pipeline the switch runs, in the form a desired state spells them (no counter data).
 */
final class SwitchContents {
    private SwitchContents() {}

    static List<Entity> read(P4RuntimeClient client, P4Info p4info) {
        List<Entity> queries = new ArrayList<>();
        for (var t : p4info.getTablesList()) {
            if (t.getIsConstTable()) {
                continue; // the program's own entries (const entries), which no controller may change
            }
            queries.add(Entity.newBuilder().setTableEntry(TableEntry.newBuilder().setTableId(t.getPreamble().getId())).build());
        }
        for (var p : p4info.getActionProfilesList()) {
            int id = p.getPreamble().getId();
            queries.add(Entity.newBuilder().setActionProfileMember(ActionProfileMember.newBuilder().setActionProfileId(id)).build());
            queries.add(Entity.newBuilder().setActionProfileGroup(ActionProfileGroup.newBuilder().setActionProfileId(id)).build());
        }
        queries.add(Entity.newBuilder().setPacketReplicationEngineEntry(PacketReplicationEngineEntry.newBuilder()
                .setCloneSessionEntry(CloneSessionEntry.getDefaultInstance())).build());
        for (var m : p4info.getMetersList()) {
            queries.add(Entity.newBuilder().setMeterEntry(MeterEntry.newBuilder().setMeterId(m.getPreamble().getId())).build());
        }
        List<Entity> out = new ArrayList<>();
        for (Entity e : client.read(queries)) {
            if (e.hasTableEntry()) {
                TableEntry t = e.getTableEntry();
                if (!t.getIsDefaultAction()) {
                    out.add(Entity.newBuilder().setTableEntry(t.toBuilder().clearCounterData().clearMeterConfig()).build());
                }
            } else if (e.hasMeterEntry()) {
                MeterConfig config = e.getMeterEntry().getConfig();
                if (!config.equals(MeterConfig.getDefaultInstance())) { // unconfigured cells are not ours
                    out.add(Entity.newBuilder().setMeterEntry(e.getMeterEntry()).build());
                }
            } else {
                out.add(e);
            }
        }
        return out;
    }
}
