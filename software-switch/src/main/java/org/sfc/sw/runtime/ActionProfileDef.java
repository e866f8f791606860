package org.sfc.sw.runtime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An action profile or action selector: members (actions with arguments) and, for a selector, groups of
 * weighted members. A group picks its member from a hash of the table's selector key fields, so one
 * flow always reaches the same member and a change of a member is one write for every entry using it.
 */
public final class ActionProfileDef {
    public record Member(int id, ActionCall action) {}

    public record GroupMember(int memberId, int weight) {}

    public record Group(int id, List<GroupMember> members, int maxSize) {}

    public final String name;
    public final int size;
    public final boolean withSelector;
    public final String algorithm;
    public final int outputWidth;
    public final int maxGroupSize;
    public final org.sfc.sw.ast.Ast.Annotations annotations;
    public int id;
    public final List<TableDef> tables = new ArrayList<>();
    public final Map<Integer, Member> members = new LinkedHashMap<>();
    public final Map<Integer, Group> groups = new LinkedHashMap<>();
    /**
     * Table entries programmed in one shot: their members and groups are made here with ids counting down from
     * the top of the id space, and none may be written by hand while there are any (the spec forbids mixing).
     */
    public int oneShotEntries;
    public int nextOneShotId = Integer.MAX_VALUE;

    public ActionProfileDef(String name, org.sfc.sw.ast.Ast.Annotations annotations, int size, boolean withSelector,
                            String algorithm, int outputWidth, int maxGroupSize) {
        this.annotations = annotations;
        this.name = name;
        this.size = size;
        this.withSelector = withSelector;
        this.algorithm = algorithm;
        this.outputWidth = outputWidth;
        this.maxGroupSize = maxGroupSize;
    }

    /** The member a group chooses for a given selector hash, honouring weights; null for an empty group. */
    public Member choose(Group g, long hash) {
        int total = 0;
        for (GroupMember m : g.members()) {
            total += m.weight();
        }
        if (total == 0) {
            return null;
        }
        long pick = Long.remainderUnsigned(hash, total);
        for (GroupMember m : g.members()) {
            pick -= m.weight();
            if (pick < 0) {
                return members.get(m.memberId());
            }
        }
        return null;
    }
}
