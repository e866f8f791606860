package org.sfc.sw.runtime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.sfc.sw.ast.Ast;

/**
 * A match-action table: its schema (from the program) and its entries (from the control plane).
 *
 * <p>Lookup follows the P4Runtime spec: tables whose keys are all exact use a hash map; otherwise the
 * highest-priority matching entry wins (for a table with one lpm field and no ternary/range/optional fields
 * the priority is the prefix length), ties broken by insertion order, found by a {@link MaskIndex}.
 */
public final class TableDef {
    /** A key field as P4Info describes it; {@code id} is 1-based. */
    public record KeyField(String name, int id, MatchKind kind, int width) {}

    /** An action the table may use, with its P4Info scope. */
    public record ActionRef(ActionDef action, boolean tableOnly, boolean defaultOnly, Ast.Annotations annotations) {}

    public final String name;
    public final Ast.Annotations annotations;
    public final List<KeyField> keys;
    public final MatchKind[] kinds;
    public final List<ActionRef> actions;
    public final int size;
    public final boolean lpmPriority;
    public final boolean allExact;
    public int id;
    public ActionCall defaultAction;
    public ActionCall initialDefaultAction;
    public boolean constDefaultAction;
    public boolean constEntries;
    /** The program gives the table entries ({@code entries = {...}}, const or not). */
    public boolean hasEntries;
    public ActionProfileDef profile;
    public DirectCounterDef directCounter;
    public DirectMeterDef directMeter;
    /** Default entry's own direct counter/meter state. */
    public final TableEntryRt defaultEntryState = new TableEntryRt(new long[0], new long[0], new long[0], 0, 0);

    private final Map<TableEntryRt.MatchKey, TableEntryRt> byKey = new LinkedHashMap<>();
    private final Map<LongKey, TableEntryRt> exact = new HashMap<>();
    private final MaskIndex masked;
    private long insertions;

    public TableDef(String name, Ast.Annotations annotations, List<KeyField> keys, List<ActionRef> actions, int size) {
        this.name = name;
        this.annotations = annotations;
        this.keys = List.copyOf(keys);
        this.kinds = keys.stream().map(KeyField::kind).toArray(MatchKind[]::new);
        this.actions = List.copyOf(actions);
        this.size = size;
        long lpm = keys.stream().filter(k -> k.kind() == MatchKind.LPM).count();
        boolean otherPriorityKinds = keys.stream().anyMatch(k -> k.kind() == MatchKind.TERNARY
                || k.kind() == MatchKind.RANGE || k.kind() == MatchKind.OPTIONAL);
        this.lpmPriority = lpm == 1 && !otherPriorityKinds;
        this.allExact = keys.stream().allMatch(k -> k.kind() == MatchKind.EXACT);
        this.masked = new MaskIndex(kinds);
    }

    /** Whether entries of this table carry a P4Runtime priority (ternary, range or optional fields). */
    public boolean needsPriority() {
        return !allExact && !lpmPriority;
    }

    public ActionRef actionRef(int actionId) {
        for (ActionRef r : actions) {
            if (r.action().id == actionId) {
                return r;
            }
        }
        return null;
    }

    public TableEntryRt lookup(long[] key) {
        if (allExact) {
            return exact.get(new LongKey(key));
        }
        return masked.lookup(key);
    }

    public TableEntryRt find(TableEntryRt.MatchKey key) {
        return byKey.get(key);
    }

    public int entryCount() {
        return byKey.size();
    }

    public Collection<TableEntryRt> entries() {
        return byKey.values();
    }

    public void insert(TableEntryRt e) {
        e.insertionOrder = insertions++;
        byKey.put(e.key(), e);
        if (allExact) {
            exact.put(new LongKey(e.value.clone()), e);
        } else {
            masked.insert(e);
        }
    }

    public void remove(TableEntryRt e) {
        byKey.remove(e.key());
        if (allExact) {
            exact.remove(new LongKey(e.value));
        } else {
            masked.remove(e);
        }
    }

    public void clear() {
        byKey.clear();
        exact.clear();
        masked.clear();
    }

    public List<TableEntryRt> snapshot() {
        return new ArrayList<>(byKey.values());
    }

    @Override
    public String toString() {
        return name;
    }
}
