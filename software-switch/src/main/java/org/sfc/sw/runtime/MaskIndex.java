package org.sfc.sw.runtime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Tuple-space search over ternary, lpm, optional and range entries: entries with the same mask vector
 * share a hash map keyed by their masked value, so a lookup costs one hash probe per distinct mask instead
 * of one comparison per entry. Range fields cannot be hashed: they count as wildcards in the mask, and the
 * few entries of a bucket are checked in priority order against the full key. Groups are visited from the
 * highest priority they hold down, stopping once no group can beat the best match found.
 */
final class MaskIndex {
    /** Higher priority first, then earlier insertion. */
    static final Comparator<TableEntryRt> ORDER =
            Comparator.comparingInt((TableEntryRt e) -> -e.priority).thenComparingLong(e -> e.insertionOrder);

    private static final class Group {
        final long[] mask;
        final Map<LongKey, List<TableEntryRt>> byValue = new HashMap<>();
        int maxPriority = Integer.MIN_VALUE;

        Group(long[] mask) {
            this.mask = mask;
        }

        void recomputeMax() {
            maxPriority = Integer.MIN_VALUE;
            for (List<TableEntryRt> l : byValue.values()) {
                maxPriority = Math.max(maxPriority, l.get(0).priority);
            }
        }
    }

    private final MatchKind[] kinds;
    private final Map<LongKey, Group> groupsByMask = new HashMap<>();
    private final List<Group> groups = new ArrayList<>();
    private final long[] scratch;

    private final boolean hasRanges;

    MaskIndex(MatchKind[] kinds) {
        this.kinds = kinds;
        this.hasRanges = java.util.Arrays.asList(kinds).contains(MatchKind.RANGE);
        this.scratch = new long[kinds.length];
    }

    /** The mask vector used for hashing: range fields (wildcards here) contribute 0. */
    private long[] maskOf(TableEntryRt e) {
        long[] m = e.mask.clone();
        for (int i = 0; i < kinds.length; i++) {
            if (kinds[i] == MatchKind.RANGE) {
                m[i] = 0;
            }
        }
        return m;
    }

    private long[] maskedValue(TableEntryRt e, long[] mask) {
        long[] v = new long[kinds.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = e.value[i] & mask[i];
        }
        return v;
    }

    void insert(TableEntryRt e) {
        long[] mask = maskOf(e);
        Group g = groupsByMask.computeIfAbsent(new LongKey(mask), k -> {
            Group ng = new Group(mask);
            groups.add(ng);
            return ng;
        });
        List<TableEntryRt> l = g.byValue.computeIfAbsent(new LongKey(maskedValue(e, mask)), k -> new ArrayList<>(1));
        int at = java.util.Collections.binarySearch(l, e, ORDER);
        l.add(at < 0 ? -at - 1 : at, e);
        if (e.priority > g.maxPriority) {
            g.maxPriority = e.priority;
            groups.sort(Comparator.comparingInt((Group x) -> -x.maxPriority));
        }
    }

    void remove(TableEntryRt e) {
        long[] mask = maskOf(e);
        LongKey mk = new LongKey(mask);
        Group g = groupsByMask.get(mk);
        if (g == null) {
            return;
        }
        LongKey vk = new LongKey(maskedValue(e, mask));
        List<TableEntryRt> l = g.byValue.get(vk);
        if (l == null || !l.remove(e)) {
            return;
        }
        if (l.isEmpty()) {
            g.byValue.remove(vk);
        }
        if (g.byValue.isEmpty()) {
            groupsByMask.remove(mk);
            groups.remove(g);
        } else if (e.priority == g.maxPriority) {
            g.recomputeMax();
            groups.sort(Comparator.comparingInt((Group x) -> -x.maxPriority));
        }
    }

    void clear() {
        groupsByMask.clear();
        groups.clear();
    }

    TableEntryRt lookup(long[] key) {
        TableEntryRt best = null;
        for (Group g : groups) {
            if (best != null && g.maxPriority < best.priority) {
                break;
            }
            long[] m = g.mask;
            for (int i = 0; i < scratch.length; i++) {
                scratch[i] = key[i] & m[i];
            }
            List<TableEntryRt> l = g.byValue.get(new LongKey(scratch));
            if (l == null) {
                continue;
            }
            for (TableEntryRt c : l) {
                if (best != null && ORDER.compare(c, best) >= 0) {
                    break;
                }
                if (!hasRanges || c.matches(kinds, key)) {
                    best = c;
                    break;
                }
            }
        }
        return best;
    }
}
