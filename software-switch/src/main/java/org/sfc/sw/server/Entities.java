package org.sfc.sw.server;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.sfc.sw.exec.BitIo;
import org.sfc.sw.runtime.ActionCall;
import org.sfc.sw.runtime.ActionDef;
import org.sfc.sw.runtime.ActionProfileDef;
import org.sfc.sw.runtime.CounterDef;
import org.sfc.sw.runtime.MatchKind;
import org.sfc.sw.runtime.MeterDef;
import org.sfc.sw.runtime.MeterState;
import org.sfc.sw.runtime.RegisterDef;
import org.sfc.sw.runtime.Replication;
import org.sfc.sw.runtime.TableDef;
import org.sfc.sw.runtime.TableEntryRt;

import com.google.protobuf.ByteString;

import io.grpc.Status;
import p4.v1.P4DataOuterClass;
import p4.v1.P4RuntimeOuterClass.*;

/**
 * Applies P4Runtime entity updates to a pipeline and reads entities back, with the checks and error codes
 * the P4Runtime specification gives. Every successful update returns its inverse so a batch can be rolled
 * back. Callers hold the switch lock.
 */
public final class Entities {
    private final Pipeline p;

    public Entities(Pipeline p) {
        this.p = p;
    }

    // ================================================================== writes

    /** Applies one update; returns the action that undoes it. */
    public Runnable apply(Update.Type type, Entity entity) {
        if (type == Update.Type.UNSPECIFIED || type == Update.Type.UNRECOGNIZED) {
            throw P4RtException.invalid("update type must be INSERT, MODIFY or DELETE");
        }
        return switch (entity.getEntityCase()) {
            case TABLE_ENTRY -> tableEntry(type, entity.getTableEntry());
            case ACTION_PROFILE_MEMBER -> member(type, entity.getActionProfileMember());
            case ACTION_PROFILE_GROUP -> group(type, entity.getActionProfileGroup());
            case PACKET_REPLICATION_ENGINE_ENTRY -> replication(type, entity.getPacketReplicationEngineEntry());
            case COUNTER_ENTRY -> counter(type, entity.getCounterEntry());
            case DIRECT_COUNTER_ENTRY -> directCounter(type, entity.getDirectCounterEntry());
            case METER_ENTRY -> meter(type, entity.getMeterEntry());
            case DIRECT_METER_ENTRY -> directMeter(type, entity.getDirectMeterEntry());
            case REGISTER_ENTRY -> register(type, entity.getRegisterEntry());
            case ENTITY_NOT_SET -> throw P4RtException.invalid("the update has an empty entity");
            default -> throw new P4RtException(Status.Code.UNIMPLEMENTED,
                    "entity " + entity.getEntityCase() + " is not supported by the software switch");
        };
    }

    private TableDef table(int id) {
        TableDef t = p.tables.get(id);
        if (t == null) {
            throw P4RtException.notFound("no table with id " + id);
        }
        return t;
    }

    private Runnable tableEntry(Update.Type type, TableEntry e) {
        TableDef t = table(e.getTableId());
        if (e.getIsDefaultAction()) {
            return defaultEntry(type, t, e);
        }
        if (t.constEntries) {
            throw new P4RtException(Status.Code.PERMISSION_DENIED, "table " + t.name + " has const entries and "
                    + "cannot be written");
        }
        TableEntryRt parsed = matchOf(t, e);
        TableEntryRt existing = t.find(parsed.key());
        switch (type) {
            case INSERT -> {
                if (existing != null) {
                    throw new P4RtException(Status.Code.ALREADY_EXISTS, "table " + t.name + " already has this entry");
                }
                if (t.entryCount() >= t.size) {
                    throw new P4RtException(Status.Code.RESOURCE_EXHAUSTED, "table " + t.name + " is full ("
                            + t.size + " entries)");
                }
                Runnable undoAction = setAction(t, parsed, e);
                try {
                    configureDirect(t, parsed, e);
                } catch (RuntimeException refused) {
                    undoAction.run(); // the members and group a one shot made go again
                    throw refused;
                }
                parsed.controlPlaneData = e.getMetadata();
                parsed.controllerMetadata = e.getControllerMetadata();
                t.insert(parsed);
                return () -> {
                    t.remove(parsed);
                    undoAction.run();
                };
            }
            case MODIFY -> {
                if (existing == null) {
                    throw P4RtException.notFound("table " + t.name + " has no such entry to modify");
                }
                ActionCall oldAction = existing.action;
                int oldMember = existing.memberId;
                int oldGroup = existing.groupId;
                Object oldData = existing.controlPlaneData;
                long oldCookie = existing.controllerMetadata;
                Object oldOneShot = existing.oneShot;
                long oldPackets = existing.packets;
                long oldBytes = existing.bytes;
                Runnable undoMeter = meterUndo(existing.meter);
                Runnable restore = () -> {
                    existing.action = oldAction;
                    existing.memberId = oldMember;
                    existing.groupId = oldGroup;
                    existing.controlPlaneData = oldData;
                    existing.controllerMetadata = oldCookie;
                    existing.oneShot = oldOneShot;
                    existing.packets = oldPackets;
                    existing.bytes = oldBytes;
                    undoMeter.run();
                };
                // A refused MODIFY leaves the entry as it was (what a one shot made included).
                Runnable undoRelease = releaseOneShot(t, existing);
                Runnable undoAction;
                try {
                    undoAction = setAction(t, existing, e);
                } catch (RuntimeException refused) {
                    undoRelease.run();
                    restore.run();
                    throw refused;
                }
                Runnable undo = () -> {
                    undoAction.run();
                    undoRelease.run();
                    restore.run();
                };
                try {
                    configureDirect(t, existing, e);
                } catch (RuntimeException refused) {
                    undo.run();
                    throw refused;
                }
                if (t.directMeter != null && !e.hasMeterConfig()) {
                    existing.meter.unconfigure(); // MODIFY without meter_config: back to the default (spec)
                }
                existing.controlPlaneData = e.getMetadata();
                existing.controllerMetadata = e.getControllerMetadata();
                return undo;
            }
            default -> {
                if (existing == null) {
                    throw P4RtException.notFound("table " + t.name + " has no such entry to delete");
                }
                t.remove(existing);
                Runnable undoRelease = releaseOneShot(t, existing);
                return () -> {
                    undoRelease.run();
                    t.insert(existing);
                };
            }
        }
    }

    private Runnable defaultEntry(Update.Type type, TableDef t, TableEntry e) {
        if (type != Update.Type.MODIFY) {
            throw P4RtException.invalid("the default entry of " + t.name + " can only be modified, not "
                    + (type == Update.Type.INSERT ? "inserted" : "deleted"));
        }
        if (e.getMatchCount() > 0 || e.getPriority() != 0) {
            throw P4RtException.invalid("a default entry has no match fields and no priority");
        }
        if (t.constDefaultAction) {
            throw new P4RtException(Status.Code.PERMISSION_DENIED, "the default action of " + t.name + " is const");
        }
        ActionCall old = t.defaultAction;
        if (!e.hasAction()) {
            t.defaultAction = t.initialDefaultAction; // spec: MODIFY without action resets the default entry
        } else {
            if (e.getAction().getTypeCase() != TableAction.TypeCase.ACTION) {
                throw P4RtException.invalid("the default entry of " + t.name + " needs a direct action");
            }
            ActionCall call = actionCall(e.getAction().getAction(), t);
            if (t.actionRef(call.action().id).tableOnly()) {
                throw new P4RtException(Status.Code.PERMISSION_DENIED, "action " + call.action().name
                        + " is @tableonly in " + t.name + " and cannot be the default action");
            }
            t.defaultAction = call;
        }
        return () -> t.defaultAction = old;
    }

    /** Parses the match of an entry into runtime form (value/mask/high per key field) and priority. */
    TableEntryRt matchOf(TableDef t, TableEntry e) {
        int n = t.keys.size();
        long[] value = new long[n];
        long[] mask = new long[n];
        long[] high = new long[n];
        boolean[] seen = new boolean[n];
        for (int i = 0; i < n; i++) {
            if (t.keys.get(i).kind() == MatchKind.RANGE) {
                high[i] = BitIo.mask(t.keys.get(i).width());
            }
        }
        int prefix = 0;
        for (FieldMatch fm : e.getMatchList()) {
            int i = fm.getFieldId() - 1;
            if (i < 0 || i >= n) {
                throw P4RtException.invalid("table " + t.name + " has no match field with id " + fm.getFieldId());
            }
            if (seen[i]) {
                throw P4RtException.invalid("match field " + t.keys.get(i).name() + " is given twice");
            }
            seen[i] = true;
            TableDef.KeyField k = t.keys.get(i);
            long full = BitIo.mask(k.width());
            String what = t.name + " field " + k.name();
            switch (fm.getFieldMatchTypeCase()) {
                case EXACT -> {
                    require(k, MatchKind.EXACT, "exact");
                    value[i] = Bytes.toLong(fm.getExact().getValue(), k.width(), what);
                    mask[i] = full;
                }
                case TERNARY -> {
                    require(k, MatchKind.TERNARY, "ternary");
                    long v = Bytes.toLong(fm.getTernary().getValue(), k.width(), what);
                    long m = Bytes.toLong(fm.getTernary().getMask(), k.width(), what + " mask");
                    if (m == 0) {
                        throw P4RtException.invalid(what + ": a don't-care ternary match must be omitted, not sent with mask 0");
                    }
                    if ((v & ~m) != 0) {
                        throw P4RtException.invalid(what + ": value has bits set outside the mask");
                    }
                    value[i] = v;
                    mask[i] = m;
                }
                case LPM -> {
                    require(k, MatchKind.LPM, "lpm");
                    int len = fm.getLpm().getPrefixLen();
                    if (len <= 0 || len > k.width()) {
                        throw P4RtException.invalid(what + ": prefix length " + len + " must be 1.." + k.width()
                                + " (omit the field for a /0 match)");
                    }
                    long m = full & ~BitIo.mask(k.width() - len);
                    long v = Bytes.toLong(fm.getLpm().getValue(), k.width(), what);
                    if ((v & ~m) != 0) {
                        throw P4RtException.invalid(what + ": value has bits set beyond the /" + len + " prefix");
                    }
                    value[i] = v;
                    mask[i] = m;
                    prefix = len;
                }
                case RANGE -> {
                    require(k, MatchKind.RANGE, "range");
                    long lo = Bytes.toLong(fm.getRange().getLow(), k.width(), what + " low");
                    long hi = Bytes.toLong(fm.getRange().getHigh(), k.width(), what + " high");
                    if (Long.compareUnsigned(lo, hi) > 0) {
                        throw P4RtException.invalid(what + ": range low " + lo + " is above high " + hi);
                    }
                    if (lo == 0 && hi == full) {
                        throw P4RtException.invalid(what + ": a don't-care range must be omitted");
                    }
                    value[i] = lo;
                    high[i] = hi;
                    mask[i] = full;
                }
                case OPTIONAL -> {
                    require(k, MatchKind.OPTIONAL, "optional");
                    value[i] = Bytes.toLong(fm.getOptional().getValue(), k.width(), what);
                    mask[i] = full;
                }
                default -> throw P4RtException.invalid(what + ": unsupported match type " + fm.getFieldMatchTypeCase());
            }
        }
        for (int i = 0; i < n; i++) {
            if (!seen[i] && t.keys.get(i).kind() == MatchKind.EXACT) {
                throw P4RtException.invalid("exact match field " + t.keys.get(i).name() + " of " + t.name + " is missing");
            }
            if (t.keys.get(i).kind() != MatchKind.RANGE) {
                high[i] = 0;
            }
        }
        int priority;
        if (t.needsPriority()) {
            if (e.getPriority() <= 0) {
                throw P4RtException.invalid("table " + t.name + " has ternary, range or optional fields: entries "
                        + "need a priority > 0");
            }
            priority = e.getPriority();
        } else {
            if (e.getPriority() != 0) {
                throw P4RtException.invalid("table " + t.name + " has no ternary, range or optional fields: the "
                        + "priority must be 0");
            }
            priority = t.lpmPriority ? prefix : 0;
        }
        return new TableEntryRt(value, mask, high, priority, prefix);
    }

    private static void require(TableDef.KeyField k, MatchKind kind, String name) {
        if (k.kind() != kind) {
            throw P4RtException.invalid("match field " + k.name() + " is " + k.kind().name().toLowerCase()
                    + ", not " + name);
        }
    }

    /** Sets an entry's action; returns what undoes the members and group a one shot made (else nothing). */
    private Runnable setAction(TableDef t, TableEntryRt rt, TableEntry e) {
        if (!e.hasAction()) {
            throw P4RtException.invalid("an entry of " + t.name + " needs an action");
        }
        TableAction a = e.getAction();
        rt.oneShot = null;
        switch (a.getTypeCase()) {
            case ACTION -> {
                if (t.profile != null) {
                    throw P4RtException.invalid("table " + t.name + " is implemented by action profile "
                            + t.profile.name + ": entries name a member or group, not an action");
                }
                ActionCall call = actionCall(a.getAction(), t);
                if (t.actionRef(call.action().id).defaultOnly()) {
                    throw new P4RtException(Status.Code.PERMISSION_DENIED, "action " + call.action().name
                            + " is @defaultonly in " + t.name);
                }
                rt.action = call;
                rt.memberId = -1;
                rt.groupId = -1;
            }
            case ACTION_PROFILE_MEMBER_ID -> {
                ActionProfileDef prof = profileOf(t);
                if (!prof.members.containsKey(a.getActionProfileMemberId())) {
                    throw P4RtException.notFound("action profile " + prof.name + " has no member "
                            + a.getActionProfileMemberId());
                }
                rt.action = null;
                rt.memberId = a.getActionProfileMemberId();
                rt.groupId = -1;
            }
            case ACTION_PROFILE_GROUP_ID -> {
                ActionProfileDef prof = profileOf(t);
                if (!prof.withSelector) {
                    throw P4RtException.invalid("action profile " + prof.name + " has no selector, so no groups");
                }
                if (!prof.groups.containsKey(a.getActionProfileGroupId())) {
                    throw P4RtException.notFound("action profile " + prof.name + " has no group "
                            + a.getActionProfileGroupId());
                }
                rt.action = null;
                rt.memberId = -1;
                rt.groupId = a.getActionProfileGroupId();
            }
            case ACTION_PROFILE_ACTION_SET -> {
                return oneShot(t, rt, a);
            }
            default -> throw P4RtException.invalid("an entry of " + t.name + " needs an action");
        }
        if (a.getTypeCase() != TableAction.TypeCase.ACTION && t.profile.oneShotEntries > 0) {
            throw P4RtException.invalid(t.profile.name + " is programmed with one shots: its tables' entries cannot"
                    + " also name members or groups");
        }
        return () -> { };
    }

    /**
     * One-shot programming (a MUST of the spec): the entry's action set becomes members and a group of the table's
     * selector under ids of the switch's choosing, as if written one by one; reads give back the action set.
     */
    private Runnable oneShot(TableDef t, TableEntryRt rt, TableAction a) {
        ActionProfileDef prof = profileOf(t);
        if (!prof.withSelector) {
            throw P4RtException.invalid("action profile " + prof.name + " has no selector: one-shot action sets"
                    + " program selectors");
        }
        if (prof.oneShotEntries == 0 && (!prof.members.isEmpty() || !prof.groups.isEmpty())) {
            throw P4RtException.invalid(prof.name + " is programmed with members and groups: its tables' entries"
                    + " cannot also be one shots");
        }
        List<ActionProfileAction> actions = a.getActionProfileActionSet().getActionProfileActionsList();
        if (actions.isEmpty()) {
            throw P4RtException.invalid("a one-shot action set needs at least one action");
        }
        long weights = 0;
        List<ActionProfileDef.GroupMember> groupMembers = new ArrayList<>();
        List<ActionProfileDef.Member> made = new ArrayList<>();
        for (ActionProfileAction x : actions) {
            if (x.getWeight() <= 0) {
                throw P4RtException.invalid("weight " + x.getWeight() + " in a one-shot action set: weights are"
                        + " positive");
            }
            if (!x.getWatchPort().isEmpty() || x.getWatch() != 0) {
                throw new P4RtException(Status.Code.UNIMPLEMENTED, "watch ports are not supported");
            }
            ActionCall call = actionCall(x.getAction(), t);
            if (t.actionRef(call.action().id).defaultOnly()) {
                throw new P4RtException(Status.Code.PERMISSION_DENIED, "action " + call.action().name
                        + " is @defaultonly in " + t.name);
            }
            weights += x.getWeight();
            made.add(new ActionProfileDef.Member(prof.nextOneShotId - made.size(), call));
        }
        if (prof.maxGroupSize > 0 && weights > prof.maxGroupSize) {
            throw P4RtException.invalid("the one-shot weights add up to " + weights + ", more than "
                    + prof.name + "'s max_group_size " + prof.maxGroupSize);
        }
        if (prof.members.size() + made.size() > prof.size) {
            throw new P4RtException(Status.Code.RESOURCE_EXHAUSTED, prof.name + " is full (" + prof.size + " members)");
        }
        for (int i = 0; i < made.size(); i++) {
            prof.members.put(made.get(i).id(), made.get(i));
            groupMembers.add(new ActionProfileDef.GroupMember(made.get(i).id(), actions.get(i).getWeight()));
        }
        int groupId = prof.nextOneShotId - made.size();
        prof.groups.put(groupId, new ActionProfileDef.Group(groupId, List.copyOf(groupMembers), 0));
        prof.nextOneShotId -= made.size() + 1;
        prof.oneShotEntries++;
        rt.action = null;
        rt.memberId = -1;
        rt.groupId = groupId;
        rt.oneShot = a;
        return () -> {
            prof.oneShotEntries--;
            prof.groups.remove(groupId);
            made.forEach(m -> prof.members.remove(m.id()));
        };
    }

    /** Frees what a one-shot entry made (on its MODIFY or DELETE); returns what makes it again. */
    private static Runnable releaseOneShot(TableDef t, TableEntryRt rt) {
        if (rt.oneShot == null) {
            return () -> { };
        }
        ActionProfileDef prof = t.profile;
        ActionProfileDef.Group g = prof.groups.remove(rt.groupId);
        List<ActionProfileDef.Member> ms = g.members().stream().map(m -> prof.members.remove(m.memberId())).toList();
        prof.oneShotEntries--;
        return () -> {
            prof.oneShotEntries++;
            prof.groups.put(g.id(), g);
            ms.forEach(m -> prof.members.put(m.id(), m));
        };
    }

    private static ActionProfileDef profileOf(TableDef t) {
        if (t.profile == null) {
            throw P4RtException.invalid("table " + t.name + " has no action profile: entries name an action");
        }
        return t.profile;
    }

    private void configureDirect(TableDef t, TableEntryRt rt, TableEntry e) {
        if (e.hasMeterCounterData()) {
            if (t.directMeter == null) {
                throw P4RtException.invalid("table " + t.name + " has no direct meter");
            }
            resetMeterCounts(rt.meter, e.getMeterCounterData()); // a MODIFY's undo restores the meter's counts
        }
        if (e.hasCounterData()) {
            if (t.directCounter == null) {
                throw P4RtException.invalid("table " + t.name + " has no direct counter");
            }
            rt.packets = e.getCounterData().getPacketCount();
            rt.bytes = e.getCounterData().getByteCount();
        }
        if (e.hasMeterConfig()) {
            if (t.directMeter == null) {
                throw P4RtException.invalid("table " + t.name + " has no direct meter");
            }
            configureMeter(rt.meter, e.getMeterConfig());
        }
    }

    /** Resolves an action with its parameters; {@code t} (nullable) restricts it to a table's actions. */
    ActionCall actionCall(Action a, TableDef t) {
        ActionDef def = p.actions.get(a.getActionId());
        if (def == null) {
            throw P4RtException.invalid("no action with id " + a.getActionId());
        }
        if (t != null && t.actionRef(def.id) == null) {
            throw P4RtException.invalid("action " + def.name + " is not an action of table " + t.name);
        }
        List<ActionDef.Param> cp = def.params.stream().filter(x -> x.id() > 0).toList();
        long[] args = new long[cp.size()];
        Set<Integer> seen = new HashSet<>();
        for (Action.Param prm : a.getParamsList()) {
            int i = prm.getParamId() - 1;
            if (i < 0 || i >= cp.size()) {
                throw P4RtException.invalid("action " + def.name + " has no parameter with id " + prm.getParamId());
            }
            if (!seen.add(i)) {
                throw P4RtException.invalid("parameter " + cp.get(i).name() + " of " + def.name + " is given twice");
            }
            args[i] = Bytes.toLong(prm.getValue(), cp.get(i).width(), def.name + " parameter " + cp.get(i).name());
        }
        if (seen.size() != cp.size()) {
            List<String> missing = new ArrayList<>();
            for (int i = 0; i < cp.size(); i++) {
                if (!seen.contains(i)) {
                    missing.add(cp.get(i).name());
                }
            }
            throw P4RtException.invalid("action " + def.name + " is missing parameters " + missing);
        }
        return new ActionCall(def, args);
    }

    private ActionProfileDef profile(int id) {
        ActionProfileDef prof = p.profiles.get(id);
        if (prof == null) {
            throw P4RtException.notFound("no action profile with id " + id);
        }
        return prof;
    }

    private boolean memberInUse(ActionProfileDef prof, int memberId) {
        for (ActionProfileDef.Group g : prof.groups.values()) {
            if (g.members().stream().anyMatch(m -> m.memberId() == memberId)) {
                return true;
            }
        }
        for (TableDef t : prof.tables) {
            if (t.entries().stream().anyMatch(e -> e.memberId == memberId)) {
                return true;
            }
        }
        return false;
    }

    private static void requireNoOneShots(ActionProfileDef prof) {
        if (prof.oneShotEntries > 0) {
            throw P4RtException.invalid(prof.name + " is programmed with one shots: its members and groups are the"
                    + " switch's (the spec forbids mixing the two styles)");
        }
    }

    private Runnable member(Update.Type type, ActionProfileMember m) {
        ActionProfileDef prof = profile(m.getActionProfileId());
        requireNoOneShots(prof);
        ActionProfileDef.Member old = prof.members.get(m.getMemberId());
        if (type == Update.Type.DELETE) {
            if (old == null) {
                throw P4RtException.notFound(prof.name + " has no member " + m.getMemberId());
            }
            if (memberInUse(prof, m.getMemberId())) {
                throw new P4RtException(Status.Code.FAILED_PRECONDITION, "member " + m.getMemberId() + " of "
                        + prof.name + " is still used by a group or table entry");
            }
            prof.members.remove(m.getMemberId());
            return () -> prof.members.put(old.id(), old);
        }
        if (type == Update.Type.INSERT && old != null) {
            throw new P4RtException(Status.Code.ALREADY_EXISTS, prof.name + " already has member " + m.getMemberId());
        }
        if (type == Update.Type.MODIFY && old == null) {
            throw P4RtException.notFound(prof.name + " has no member " + m.getMemberId());
        }
        if (type == Update.Type.INSERT && prof.members.size() >= prof.size) {
            throw new P4RtException(Status.Code.RESOURCE_EXHAUSTED, prof.name + " is full (" + prof.size + " members)");
        }
        TableDef anyTable = prof.tables.isEmpty() ? null : prof.tables.get(0);
        ActionCall call = actionCall(m.getAction(), anyTable);
        prof.members.put(m.getMemberId(), new ActionProfileDef.Member(m.getMemberId(), call));
        return old == null ? () -> prof.members.remove(m.getMemberId()) : () -> prof.members.put(old.id(), old);
    }

    private Runnable group(Update.Type type, ActionProfileGroup g) {
        ActionProfileDef prof = profile(g.getActionProfileId());
        if (!prof.withSelector) {
            throw P4RtException.invalid(prof.name + " is not an action selector and has no groups");
        }
        requireNoOneShots(prof);
        ActionProfileDef.Group old = prof.groups.get(g.getGroupId());
        if (type == Update.Type.DELETE) {
            if (old == null) {
                throw P4RtException.notFound(prof.name + " has no group " + g.getGroupId());
            }
            for (TableDef t : prof.tables) {
                if (t.entries().stream().anyMatch(e -> e.groupId == g.getGroupId())) {
                    throw new P4RtException(Status.Code.FAILED_PRECONDITION, "group " + g.getGroupId() + " of "
                            + prof.name + " is still used by an entry of " + t.name);
                }
            }
            prof.groups.remove(g.getGroupId());
            return () -> prof.groups.put(old.id(), old);
        }
        if (type == Update.Type.INSERT && old != null) {
            throw new P4RtException(Status.Code.ALREADY_EXISTS, prof.name + " already has group " + g.getGroupId());
        }
        if (type == Update.Type.MODIFY && old == null) {
            throw P4RtException.notFound(prof.name + " has no group " + g.getGroupId());
        }
        // max_size (spec, "Rules on setting max_size"): with a max_group_size in P4Info it is 1..max_group_size;
        // without one, 0 means "as large as the target allows". It is fixed when the group is inserted.
        int maxSize = g.getMaxSize();
        if (prof.maxGroupSize > 0 && (maxSize <= 0 || maxSize > prof.maxGroupSize)) {
            throw P4RtException.invalid("group max_size " + maxSize + " must be 1.." + prof.maxGroupSize
                    + " (" + prof.name + "'s max_group_size)");
        }
        if (maxSize < 0) {
            throw P4RtException.invalid("group max_size " + maxSize + " is negative");
        }
        if (old != null && old.maxSize() != maxSize) {
            throw P4RtException.invalid("group " + g.getGroupId() + " has max_size " + old.maxSize()
                    + "; a MODIFY cannot change it to " + maxSize);
        }
        List<ActionProfileDef.GroupMember> members = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        long weights = 0;
        for (ActionProfileGroup.Member gm : g.getMembersList()) {
            if (!prof.members.containsKey(gm.getMemberId())) {
                throw P4RtException.notFound(prof.name + " has no member " + gm.getMemberId());
            }
            if (!seen.add(gm.getMemberId())) {
                throw P4RtException.invalid("member " + gm.getMemberId() + " appears twice in group " + g.getGroupId());
            }
            if (gm.getWeight() <= 0) {
                throw P4RtException.invalid("member " + gm.getMemberId() + " has weight " + gm.getWeight()
                        + ": weights are positive");
            }
            if (!gm.getWatchPort().isEmpty() || gm.getWatch() != 0) {
                throw new P4RtException(Status.Code.UNIMPLEMENTED, "watch ports are not supported");
            }
            weights += gm.getWeight();
            members.add(new ActionProfileDef.GroupMember(gm.getMemberId(), gm.getWeight()));
        }
        long limit = maxSize > 0 ? maxSize : prof.size;
        if (weights > limit) { // sum_of_weights, the default selector_size_semantics
            throw new P4RtException(Status.Code.RESOURCE_EXHAUSTED, "group " + g.getGroupId() + "'s weights add up"
                    + " to " + weights + ", more than its " + (maxSize > 0 ? "max_size " : "selector's size ") + limit);
        }
        prof.groups.put(g.getGroupId(), new ActionProfileDef.Group(g.getGroupId(), List.copyOf(members), maxSize));
        return old == null ? () -> prof.groups.remove(g.getGroupId()) : () -> prof.groups.put(old.id(), old);
    }

    private Runnable replication(Update.Type type, PacketReplicationEngineEntry e) {
        Replication r = p.replication;
        switch (e.getTypeCase()) {
            case CLONE_SESSION_ENTRY -> {
                CloneSessionEntry c = e.getCloneSessionEntry();
                int id = c.getSessionId();
                if (id == 0) {
                    throw P4RtException.invalid("clone session id 0 is reserved");
                }
                Replication.CloneSession old = r.cloneSessions.get(id);
                Replication.CloneSession next = new Replication.CloneSession(id, replicas(c.getReplicasList()),
                        c.getClassOfService(), c.getPacketLengthBytes());
                return upsert(type, old, () -> r.cloneSessions.put(id, next), () -> r.cloneSessions.remove(id),
                        () -> r.cloneSessions.put(id, old), "clone session " + id);
            }
            case MULTICAST_GROUP_ENTRY -> {
                MulticastGroupEntry m = e.getMulticastGroupEntry();
                int id = m.getMulticastGroupId();
                if (id == 0) {
                    throw P4RtException.invalid("multicast group id 0 means 'no multicast' and cannot be configured");
                }
                Replication.MulticastGroup old = r.multicastGroups.get(id);
                Replication.MulticastGroup next = new Replication.MulticastGroup(id, replicas(m.getReplicasList()),
                        m.getMetadata());
                return upsert(type, old, () -> r.multicastGroups.put(id, next), () -> r.multicastGroups.remove(id),
                        () -> r.multicastGroups.put(id, old), "multicast group " + id);
            }
            default -> throw P4RtException.invalid("packet replication entry needs a clone session or multicast group");
        }
    }

    private static Runnable upsert(Update.Type type, Object old, Runnable put, Runnable remove, Runnable restore,
                                   String what) {
        switch (type) {
            case INSERT -> {
                if (old != null) {
                    throw new P4RtException(Status.Code.ALREADY_EXISTS, what + " already exists");
                }
                put.run();
                return remove;
            }
            case MODIFY -> {
                if (old == null) {
                    throw P4RtException.notFound(what + " does not exist");
                }
                put.run();
                return restore;
            }
            default -> {
                if (old == null) {
                    throw P4RtException.notFound(what + " does not exist");
                }
                remove.run();
                return restore;
            }
        }
    }

    private static List<Replication.Replica> replicas(List<Replica> rs) {
        List<Replication.Replica> out = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        for (Replica x : rs) {
            boolean asBytes = x.getPortKindCase() == Replica.PortKindCase.PORT;
            int port = asBytes ? (int) Bytes.toLong(x.getPort(), 32, "replica port") : x.getEgressPort();
            if (!seen.add(((long) port << 32) | x.getInstance())) {
                throw P4RtException.invalid("replica (port " + port + ", instance " + x.getInstance()
                        + ") is listed twice");
            }
            out.add(new Replication.Replica(port, x.getInstance(), asBytes));
        }
        return List.copyOf(out);
    }

    private static Replica toProto(Replication.Replica r) {
        Replica.Builder b = Replica.newBuilder().setInstance(r.instance());
        return (r.portAsBytes() ? b.setPort(Bytes.canonical(r.egressPort())) : b.setEgressPort(r.egressPort())).build();
    }

    private static void requireModify(Update.Type type, String what) {
        if (type != Update.Type.MODIFY) {
            throw P4RtException.invalid(what + " cells always exist: use MODIFY");
        }
    }

    private Runnable counter(Update.Type type, CounterEntry c) {
        requireModify(type, "counter");
        CounterDef def = p.counters.get(c.getCounterId());
        if (def == null) {
            throw P4RtException.notFound("no counter with id " + c.getCounterId());
        }
        List<Integer> cells = indexes(c.hasIndex(), c.getIndex().getIndex(), def.size, def.name);
        if (!c.hasData()) {
            return () -> { }; // no data: the counter is not changed (spec)
        }
        long[] oldP = def.packets.clone();
        long[] oldB = def.bytes.clone();
        for (int i : cells) {
            def.packets[i] = c.getData().getPacketCount();
            def.bytes[i] = c.getData().getByteCount();
        }
        return () -> {
            System.arraycopy(oldP, 0, def.packets, 0, oldP.length);
            System.arraycopy(oldB, 0, def.bytes, 0, oldB.length);
        };
    }

    private static List<Integer> indexes(boolean hasIndex, long index, int size, String name) {
        if (!hasIndex) {
            List<Integer> all = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                all.add(i);
            }
            return all;
        }
        if (index < 0) {
            throw P4RtException.invalid("index " + index + " of " + name + " is negative");
        }
        if (index >= size) {
            throw P4RtException.outOfRange("index " + index + " is outside " + name + " (size " + size + ")");
        }
        return List.of((int) index);
    }

    private TableEntryRt existingEntry(TableEntry te) {
        TableDef t = table(te.getTableId());
        if (te.getIsDefaultAction()) {
            return t.defaultEntryState;
        }
        TableEntryRt e = t.find(matchOf(t, te).key());
        if (e == null) {
            throw P4RtException.notFound("table " + t.name + " has no such entry");
        }
        return e;
    }

    private Runnable directCounter(Update.Type type, DirectCounterEntry d) {
        requireModify(type, "direct counter");
        TableDef t = table(d.getTableEntry().getTableId());
        if (t.directCounter == null) {
            throw P4RtException.invalid("table " + t.name + " has no direct counter");
        }
        TableEntryRt e = existingEntry(d.getTableEntry());
        if (!d.hasData()) {
            return () -> { }; // no data: the counter is not changed (spec)
        }
        long op = e.packets;
        long ob = e.bytes;
        e.packets = d.getData().getPacketCount();
        e.bytes = d.getData().getByteCount();
        return () -> {
            e.packets = op;
            e.bytes = ob;
        };
    }

    private static void configureMeter(MeterState m, MeterConfig c) {
        if (c.equals(MeterConfig.getDefaultInstance())) {
            m.unconfigure();
            return;
        }
        if (c.getCir() < 0 || c.getPir() < 0 || c.getCburst() < 0 || c.getPburst() < 0 || c.getCir() > c.getPir()) {
            throw P4RtException.invalid("meter config needs 0 <= cir <= pir and non-negative bursts");
        }
        m.configure(c.getCir(), c.getCburst(), c.getPir(), c.getPburst(), System.nanoTime());
    }

    private static Runnable meterUndo(MeterState m) {
        long[] counts = m.counts();
        boolean was = m.configured();
        long cir = m.cir();
        long cb = m.cburst();
        long pir = m.pir();
        long pb = m.pburst();
        return () -> {
            m.restoreCounts(counts);
            if (was) {
                m.configure(cir, cb, pir, pb, System.nanoTime());
            } else {
                m.unconfigure();
            }
        };
    }

    private Runnable meter(Update.Type type, MeterEntry me) {
        requireModify(type, "meter");
        MeterDef def = p.meters.get(me.getMeterId());
        if (def == null) {
            throw P4RtException.notFound("no meter with id " + me.getMeterId());
        }
        List<Runnable> undo = new ArrayList<>();
        for (int i : indexes(me.hasIndex(), me.getIndex().getIndex(), def.size, def.name)) {
            undo.add(meterUndo(def.cells[i]));
            configureMeter(def.cells[i], me.getConfig());
            if (me.hasCounterData()) {
                undo.add(resetMeterCounts(def.cells[i], me.getCounterData()));
            }
        }
        return () -> undo.forEach(Runnable::run);
    }

    /**
     * P4Runtime 1.4: writing meter counter data resets the per-color counts; only zeros may be written
     * (INVALID_ARGUMENT otherwise). Returns what puts the counts back.
     */
    private static Runnable resetMeterCounts(MeterState m, MeterCounterData data) {
        for (CounterData c : List.of(data.getGreen(), data.getYellow(), data.getRed())) {
            if (c.getPacketCount() != 0 || c.getByteCount() != 0) {
                throw P4RtException.invalid("meter counter data can only be reset: write zeros");
            }
        }
        long[] old = m.counts();
        m.resetCounts();
        return () -> m.restoreCounts(old);
    }

    private static MeterCounterData meterCounts(MeterState m) {
        MeterCounterData.Builder b = MeterCounterData.newBuilder();
        b.setGreen(CounterData.newBuilder().setPacketCount(m.packets(MeterState.GREEN)).setByteCount(m.bytes(MeterState.GREEN)));
        b.setYellow(CounterData.newBuilder().setPacketCount(m.packets(MeterState.YELLOW)).setByteCount(m.bytes(MeterState.YELLOW)));
        b.setRed(CounterData.newBuilder().setPacketCount(m.packets(MeterState.RED)).setByteCount(m.bytes(MeterState.RED)));
        return b.build();
    }

    private Runnable directMeter(Update.Type type, DirectMeterEntry d) {
        requireModify(type, "direct meter");
        TableDef t = table(d.getTableEntry().getTableId());
        if (t.directMeter == null) {
            throw P4RtException.invalid("table " + t.name + " has no direct meter");
        }
        TableEntryRt e = existingEntry(d.getTableEntry());
        Runnable undo = meterUndo(e.meter);
        configureMeter(e.meter, d.getConfig());
        if (d.hasCounterData()) {
            Runnable undoCounts = resetMeterCounts(e.meter, d.getCounterData());
            return () -> {
                undoCounts.run();
                undo.run();
            };
        }
        return undo;
    }

    private Runnable register(Update.Type type, RegisterEntry r) {
        requireModify(type, "register");
        RegisterDef def = p.registers.get(r.getRegisterId());
        if (def == null) {
            throw P4RtException.notFound("no register with id " + r.getRegisterId());
        }
        if (r.getData().getDataCase() != P4DataOuterClass.P4Data.DataCase.BITSTRING) {
            throw P4RtException.invalid("register " + def.name + " holds bit<" + def.width + "> values: send a bitstring");
        }
        long v = Bytes.toLong(r.getData().getBitstring(), def.width, def.name);
        long[] old = def.values.clone();
        for (int i : indexes(r.hasIndex(), r.getIndex().getIndex(), def.size, def.name)) {
            def.values[i] = v;
        }
        return () -> System.arraycopy(old, 0, def.values, 0, old.length);
    }

    // ================================================================== reads

    /** Reads every entity that {@code query} selects (zero ids and missing fields are wildcards). */
    public List<Entity> read(Entity query) {
        List<Entity> out = new ArrayList<>();
        switch (query.getEntityCase()) {
            case TABLE_ENTRY -> readTableEntries(query.getTableEntry(), out, query.getTableEntry().hasCounterData(),
                    query.getTableEntry().hasMeterConfig());
            case ACTION_PROFILE_MEMBER -> {
                ActionProfileMember q = query.getActionProfileMember();
                for (ActionProfileDef prof : profilesFor(q.getActionProfileId())) {
                    if (prof.oneShotEntries > 0) {
                        continue; // the switch's own, behind one-shot entries (read back as action sets)
                    }
                    for (ActionProfileDef.Member m : prof.members.values()) {
                        if (q.getMemberId() == 0 || q.getMemberId() == m.id()) {
                            out.add(Entity.newBuilder().setActionProfileMember(ActionProfileMember.newBuilder()
                                    .setActionProfileId(prof.id).setMemberId(m.id()).setAction(toProto(m.action())))
                                    .build());
                        }
                    }
                }
            }
            case ACTION_PROFILE_GROUP -> {
                ActionProfileGroup q = query.getActionProfileGroup();
                for (ActionProfileDef prof : profilesFor(q.getActionProfileId())) {
                    if (prof.oneShotEntries > 0) {
                        continue; // the switch's own, behind one-shot entries (read back as action sets)
                    }
                    for (ActionProfileDef.Group g : prof.groups.values()) {
                        if (q.getGroupId() == 0 || q.getGroupId() == g.id()) {
                            ActionProfileGroup.Builder b = ActionProfileGroup.newBuilder().setActionProfileId(prof.id)
                                    .setGroupId(g.id()).setMaxSize(g.maxSize());
                            g.members().forEach(m -> b.addMembers(ActionProfileGroup.Member.newBuilder()
                                    .setMemberId(m.memberId()).setWeight(m.weight())));
                            out.add(Entity.newBuilder().setActionProfileGroup(b).build());
                        }
                    }
                }
            }
            case PACKET_REPLICATION_ENGINE_ENTRY -> readReplication(query.getPacketReplicationEngineEntry(), out);
            case COUNTER_ENTRY -> {
                CounterEntry q = query.getCounterEntry();
                for (CounterDef c : p.program.counters()) {
                    if (q.getCounterId() != 0 && q.getCounterId() != c.id) {
                        continue;
                    }
                    for (int i : indexes(q.hasIndex(), q.getIndex().getIndex(), c.size, c.name)) {
                        out.add(Entity.newBuilder().setCounterEntry(CounterEntry.newBuilder().setCounterId(c.id)
                                .setIndex(Index.newBuilder().setIndex(i)).setData(CounterData.newBuilder()
                                        .setPacketCount(c.packets[i]).setByteCount(c.bytes[i]))).build());
                    }
                }
                if (q.getCounterId() != 0 && !p.counters.containsKey(q.getCounterId())) {
                    throw P4RtException.notFound("no counter with id " + q.getCounterId());
                }
            }
            case DIRECT_COUNTER_ENTRY -> {
                TableEntry te = query.getDirectCounterEntry().getTableEntry();
                List<Entity> entries = new ArrayList<>();
                readTableEntries(te, entries, true, false);
                for (Entity e : entries) {
                    TableEntry t = e.getTableEntry();
                    if (p.tables.get(t.getTableId()).directCounter != null) {
                        out.add(Entity.newBuilder().setDirectCounterEntry(DirectCounterEntry.newBuilder()
                                .setTableEntry(t.toBuilder().clearCounterData().clearMeterConfig())
                                .setData(t.getCounterData())).build());
                    }
                }
            }
            case METER_ENTRY -> {
                MeterEntry q = query.getMeterEntry();
                for (MeterDef m : p.program.meters()) {
                    if (q.getMeterId() != 0 && q.getMeterId() != m.id) {
                        continue;
                    }
                    for (int i : indexes(q.hasIndex(), q.getIndex().getIndex(), m.size, m.name)) {
                        MeterEntry.Builder b = MeterEntry.newBuilder().setMeterId(m.id).setIndex(Index.newBuilder().setIndex(i));
                        if (m.cells[i].configured()) { // an unconfigured cell reads back without a config (spec)
                            b.setConfig(meterConfig(m.cells[i]));
                        }
                        if (q.hasCounterData()) {
                            b.setCounterData(meterCounts(m.cells[i]));
                        }
                        out.add(Entity.newBuilder().setMeterEntry(b).build());
                    }
                }
            }
            case DIRECT_METER_ENTRY -> {
                TableEntry te = query.getDirectMeterEntry().getTableEntry();
                List<Entity> entries = new ArrayList<>();
                readTableEntries(te.toBuilder().setMeterCounterData(MeterCounterData.getDefaultInstance()).build(),
                        entries, false, true);
                for (Entity e : entries) {
                    TableEntry t = e.getTableEntry();
                    if (p.tables.get(t.getTableId()).directMeter != null) {
                        // an entry whose meter was never configured reads back without a config (spec)
                        DirectMeterEntry.Builder b = DirectMeterEntry.newBuilder()
                                .setTableEntry(t.toBuilder().clearCounterData().clearMeterConfig());
                        if (t.hasMeterConfig()) {
                            b.setConfig(t.getMeterConfig());
                        }
                        if (query.getDirectMeterEntry().hasCounterData()) {
                            b.setCounterData(t.getMeterCounterData());
                        }
                        out.add(Entity.newBuilder().setDirectMeterEntry(b).build());
                    }
                }
            }
            case REGISTER_ENTRY -> {
                RegisterEntry q = query.getRegisterEntry();
                for (RegisterDef r : p.program.registers()) {
                    if (q.getRegisterId() != 0 && q.getRegisterId() != r.id) {
                        continue;
                    }
                    for (int i : indexes(q.hasIndex(), q.getIndex().getIndex(), r.size, r.name)) {
                        out.add(Entity.newBuilder().setRegisterEntry(RegisterEntry.newBuilder().setRegisterId(r.id)
                                .setIndex(Index.newBuilder().setIndex(i)).setData(P4DataOuterClass.P4Data.newBuilder()
                                        .setBitstring(Bytes.canonical(r.values[i])))).build());
                    }
                }
            }
            case ENTITY_NOT_SET -> throw P4RtException.invalid("the read request has an empty entity");
            default -> throw new P4RtException(Status.Code.UNIMPLEMENTED,
                    "reading " + query.getEntityCase() + " is not supported");
        }
        return out;
    }

    private List<ActionProfileDef> profilesFor(int id) {
        if (id == 0) {
            return p.program.profiles();
        }
        return List.of(profile(id));
    }

    private void readReplication(PacketReplicationEngineEntry q, List<Entity> out) {
        if (q.getTypeCase() == PacketReplicationEngineEntry.TypeCase.TYPE_NOT_SET) { // as BMv2 answers
            throw P4RtException.invalid("a packet replication engine read names what it reads: a clone_session_entry"
                    + " or a multicast_group_entry");
        }
        Replication r = p.replication;
        boolean clones = q.getTypeCase() != PacketReplicationEngineEntry.TypeCase.MULTICAST_GROUP_ENTRY;
        boolean groups = q.getTypeCase() != PacketReplicationEngineEntry.TypeCase.CLONE_SESSION_ENTRY;
        if (clones) {
            int id = q.getCloneSessionEntry().getSessionId();
            r.cloneSessions.values().stream().filter(c -> id == 0 || c.id() == id)
                    .sorted(java.util.Comparator.comparingInt(Replication.CloneSession::id)).forEach(c -> {
                        CloneSessionEntry.Builder b = CloneSessionEntry.newBuilder().setSessionId(c.id())
                                .setClassOfService(c.classOfService()).setPacketLengthBytes(c.packetLengthBytes());
                        c.replicas().forEach(x -> b.addReplicas(toProto(x)));
                        out.add(Entity.newBuilder().setPacketReplicationEngineEntry(
                                PacketReplicationEngineEntry.newBuilder().setCloneSessionEntry(b)).build());
                    });
        }
        if (groups) {
            int id = q.getMulticastGroupEntry().getMulticastGroupId();
            r.multicastGroups.values().stream().filter(g -> id == 0 || g.id() == id)
                    .sorted(java.util.Comparator.comparingInt(Replication.MulticastGroup::id)).forEach(g -> {
                        MulticastGroupEntry.Builder b = MulticastGroupEntry.newBuilder().setMulticastGroupId(g.id())
                                .setMetadata(g.metadata());
                        g.replicas().forEach(x -> b.addReplicas(toProto(x)));
                        out.add(Entity.newBuilder().setPacketReplicationEngineEntry(
                                PacketReplicationEngineEntry.newBuilder().setMulticastGroupEntry(b)).build());
                    });
        }
    }

    /**
     * Table entries matching {@code q}; their direct counter data and meter configs only when asked for
     * (the read request sets counter_data / meter_config: P4Runtime 1.3+, as BMv2 answers).
     */
    private void readTableEntries(TableEntry q, List<Entity> out, boolean withCounters, boolean withMeters) {
        List<TableDef> tables = q.getTableId() == 0 ? p.program.tables() : List.of(table(q.getTableId()));
        for (TableDef t : tables) {
            if (q.getIsDefaultAction()) {
                out.add(Entity.newBuilder().setTableEntry(defaultProto(t, withCounters)).build());
                continue;
            }
            if (q.getMatchCount() > 0 || q.getPriority() != 0) {
                TableEntryRt e = t.find(matchOf(t, q).key());
                if (e != null) {
                    out.add(Entity.newBuilder().setTableEntry(toProto(t, e, withCounters, withMeters,
                            q.hasMeterCounterData())).build());
                }
                continue;
            }
            for (TableEntryRt e : t.snapshot()) {
                out.add(Entity.newBuilder().setTableEntry(toProto(t, e, withCounters, withMeters,
                        q.hasMeterCounterData())).build());
            }
        }
    }

    private TableEntry defaultProto(TableDef t, boolean withCounters) {
        TableEntry.Builder b = TableEntry.newBuilder().setTableId(t.id).setIsDefaultAction(true)
                .setAction(TableAction.newBuilder().setAction(toProto(t.defaultAction)));
        if (withCounters && t.directCounter != null) {
            b.setCounterData(CounterData.newBuilder().setPacketCount(t.defaultEntryState.packets)
                    .setByteCount(t.defaultEntryState.bytes));
        }
        return b.build();
    }

    /** An installed entry in the canonical P4Runtime form (wildcard fields omitted, canonical bytes). */
    public TableEntry toProto(TableDef t, TableEntryRt e, boolean withCounters, boolean withMeters,
                              boolean withMeterCounts) {
        TableEntry.Builder b = TableEntry.newBuilder().setTableId(t.id);
        for (int i = 0; i < t.keys.size(); i++) {
            TableDef.KeyField k = t.keys.get(i);
            FieldMatch.Builder fm = FieldMatch.newBuilder().setFieldId(k.id());
            long full = BitIo.mask(k.width());
            switch (k.kind()) {
                case EXACT -> fm.setExact(FieldMatch.Exact.newBuilder().setValue(Bytes.canonical(e.value[i])));
                case TERNARY -> {
                    if (e.mask[i] == 0) {
                        continue;
                    }
                    fm.setTernary(FieldMatch.Ternary.newBuilder().setValue(Bytes.canonical(e.value[i]))
                            .setMask(Bytes.canonical(e.mask[i])));
                }
                case LPM -> {
                    int len = Long.bitCount(e.mask[i]);
                    if (len == 0) {
                        continue;
                    }
                    fm.setLpm(FieldMatch.LPM.newBuilder().setValue(Bytes.canonical(e.value[i])).setPrefixLen(len));
                }
                case RANGE -> {
                    if (e.value[i] == 0 && e.high[i] == full) {
                        continue;
                    }
                    fm.setRange(FieldMatch.Range.newBuilder().setLow(Bytes.canonical(e.value[i]))
                            .setHigh(Bytes.canonical(e.high[i])));
                }
                case OPTIONAL -> {
                    if (e.mask[i] == 0) {
                        continue;
                    }
                    fm.setOptional(FieldMatch.Optional.newBuilder().setValue(Bytes.canonical(e.value[i])));
                }
                default -> {
                    continue;
                }
            }
            b.addMatch(fm);
        }
        if (t.needsPriority()) {
            b.setPriority(e.priority);
        }
        if (e.oneShot instanceof TableAction oneShot) {
            b.setAction(oneShot);
        } else if (e.action != null) {
            b.setAction(TableAction.newBuilder().setAction(toProto(e.action)));
        } else if (e.memberId >= 0) {
            b.setAction(TableAction.newBuilder().setActionProfileMemberId(e.memberId));
        } else if (e.groupId >= 0) {
            b.setAction(TableAction.newBuilder().setActionProfileGroupId(e.groupId));
        }
        if (e.controlPlaneData instanceof ByteString meta && !meta.isEmpty()) {
            b.setMetadata(meta);
        }
        b.setControllerMetadata(e.controllerMetadata).setIsConst(t.constEntries);
        if (withCounters && t.directCounter != null) {
            b.setCounterData(CounterData.newBuilder().setPacketCount(e.packets).setByteCount(e.bytes));
        }
        if (withMeterCounts && t.directMeter != null) {
            b.setMeterCounterData(meterCounts(e.meter));
        }
        if (withMeters && t.directMeter != null && e.meter.configured()) {
            b.setMeterConfig(meterConfig(e.meter));
        }
        return b.build();
    }

    private static MeterConfig meterConfig(MeterState m) {
        if (!m.configured()) {
            return MeterConfig.getDefaultInstance();
        }
        return MeterConfig.newBuilder().setCir(m.cir()).setCburst(m.cburst()).setPir(m.pir()).setPburst(m.pburst())
                .build();
    }

    public static Action toProto(ActionCall call) {
        Action.Builder b = Action.newBuilder().setActionId(call.action().id);
        List<ActionDef.Param> cp = call.action().params.stream().filter(x -> x.id() > 0).toList();
        for (int i = 0; i < cp.size(); i++) {
            b.addParams(Action.Param.newBuilder().setParamId(cp.get(i).id()).setValue(Bytes.canonical(call.args()[i])));
        }
        return b.build();
    }
}
