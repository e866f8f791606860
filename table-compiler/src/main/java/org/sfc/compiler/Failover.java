package org.sfc.compiler;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.sfc.catalog.Catalog;
import org.sfc.catalog.Catalog.Attachment;
import org.sfc.catalog.Catalog.Device;
import org.sfc.catalog.Catalog.Mode;
import org.sfc.catalog.Catalog.TagMode;

import p4.v1.P4RuntimeOuterClass.*;

/**
 * The writes that move a failed device's traffic to a like spare without touching any service entry: the
 * failed device's next-hop members now send to the spare, and the spare's ports take the failed device's
 * slots (so what comes back from the spare continues where the failed device's packets would have). Two
 * writes for a one-port device, four for a two-port one, however many services use it.
 */
public final class Failover {
    private Failover() {}

    public static List<Update> toSpare(TableCompiler.Result compiled, String failedName, String spareName) {
        Catalog c = compiled.catalog();
        Schema s = compiled.state().schema();
        Device failed = device(c, failedName);
        Device spare = device(c, spareName);
        if (failed.twoPort() != spare.twoPort() || failed.tag() != spare.tag() || failed.mode() != spare.mode()) {
            throw new IllegalArgumentException("spare " + spareName + " is not like " + failedName
                    + " (ports, tag mode and mode must match): it cannot take its place");
        }
        Map<String, Map<String, Integer>> ids = compiled.ids().asMap();
        Map<String, Integer> members = ids.getOrDefault("next-hop", Map.of());
        int spareId = ids.get("device").get(spareName);
        long smac = c.switchInfo().mac().value();
        int profile = s.profileId("next_hop_selector");
        List<Update> out = new ArrayList<>();
        for (Map.Entry<String, Integer> m : members.entrySet()) {
            if (!m.getKey().startsWith("device:" + failedName + ":")) {
                continue;
            }
            String side = m.getKey().substring(("device:" + failedName + ":").length());
            Attachment to = side.equals("nat") || side.equals("port" + failed.outside().port()) ? spare.outside()
                    : spare.inside();
            Action action = side.equals("nat")
                    ? s.action("set_next_hop_nat", "port", to.port(), "dmac", to.mac().value(), "smac", smac,
                            "device_id", spareId, "device_ip", spare.ip().value())
                    : s.action("set_next_hop", "port", to.port(), "dmac", to.mac().value(), "smac", smac,
                            "device_id", spareId);
            out.add(modify(Entity.newBuilder().setActionProfileMember(ActionProfileMember.newBuilder()
                    .setActionProfileId(profile).setMemberId(m.getValue()).setAction(action)).build()));
        }
        int tag = spare.tag() == TagMode.PORT ? 1 : 0;
        List<Attachment[]> sides = new ArrayList<>();
        sides.add(new Attachment[] {spare.outside(), failed.outside()});
        if (spare.twoPort()) {
            sides.add(new Attachment[] {spare.inside(), failed.inside()});
        }
        for (Attachment[] pair : sides) {
            out.add(modify(Entity.newBuilder().setTableEntry(TableEntry.newBuilder()
                    .setTableId(s.table("port_role").getPreamble().getId())
                    .addMatch(s.exact("port_role", "ig_port", pair[0].port()))
                    .setAction(TableAction.newBuilder().setAction(s.action("set_device", "device_id", spareId,
                            "tag_mode", tag, "slot", pair[1].port())))).build()));
        }
        return out;
    }

    private static Device device(Catalog c, String name) {
        Device d = c.devices().get(name);
        if (d == null) {
            throw new IllegalArgumentException("unknown device '" + name + "'; the catalog's devices are "
                    + new java.util.TreeSet<>(c.devices().keySet()));
        }
        if (d.mode() == Mode.NAT && d.ip() == null) {
            throw new IllegalArgumentException("device " + name + " runs in nat mode without an ip");
        }
        return d;
    }

    private static Update modify(Entity e) {
        return Update.newBuilder().setType(Update.Type.MODIFY).setEntity(e).build();
    }
}
