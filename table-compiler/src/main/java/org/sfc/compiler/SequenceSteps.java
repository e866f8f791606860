package org.sfc.compiler;

import java.util.ArrayList;
import java.util.List;

import p4.v1.P4RuntimeOuterClass.Action;
import p4.v1.P4RuntimeOuterClass.Entity;
import p4.v1.P4RuntimeOuterClass.FieldMatch;
import p4.v1.P4RuntimeOuterClass.TableAction;
import p4.v1.P4RuntimeOuterClass.TableEntry;

/**
 * One service's sequence steps, kept compact (direction, step, ingress port, action: four fields instead of
 * a tree of protobuf objects) and made into P4Runtime table entries only when someone reads them. Steps are
 * most of a catalog's entries; a 100,000-service catalog keeps about a million of them in memory.
 */
final class SequenceSteps {
    /**
     * One entry of the sequence table of this service; {@code port}: the slot the packet comes back on;
     * {@code version}: the service's version an untagged packet has (0 for a tag, which holds its own).
     */
    record Step(int direction, int step, int port, int version, Action action) {}

    private final Schema schema;
    private final int serviceId;
    private final List<Step> steps;

    SequenceSteps(Schema schema, int serviceId, List<Step> steps) {
        this.schema = schema;
        this.serviceId = serviceId;
        this.steps = List.copyOf(steps);
    }

    int size() {
        return steps.size();
    }

    /** The steps as sequence-table entries, built anew on each call (callers keep them only as long as needed). */
    List<Entity> entities() {
        int table = schema.table("sequence").getPreamble().getId();
        FieldMatch service = schema.exact("sequence", "service_id", serviceId);
        List<Entity> out = new ArrayList<>(steps.size());
        for (Step s : steps) {
            out.add(Entity.newBuilder().setTableEntry(TableEntry.newBuilder().setTableId(table).addMatch(service)
                    .addMatch(schema.exact("sequence", "direction", s.direction()))
                    .addMatch(schema.exact("sequence", "step", s.step()))
                    .addMatch(schema.exact("sequence", "slot", s.port()))
                    .addMatch(schema.exact("sequence", "version", s.version()))
                    .setAction(TableAction.newBuilder().setAction(s.action()))).build());
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SequenceSteps other && other.serviceId == serviceId && other.steps.equals(steps);
    }

    @Override
    public int hashCode() {
        return serviceId * 31 + steps.hashCode();
    }
}
