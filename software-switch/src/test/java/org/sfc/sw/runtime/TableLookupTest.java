package org.sfc.sw.runtime;

import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.sfc.sw.ast.Ast;

/**
 * The table index (hash per mask, ranges checked in buckets, priority pruning) must return exactly what the
 * P4Runtime rule says: the matching entry with the highest priority, the earliest inserted among equals.
 * Checked against a brute-force scan with random entries, deletions and keys.
 */
class TableLookupTest {
    static TableEntryRt reference(List<TableEntryRt> entries, MatchKind[] kinds, long[] key) {
        TableEntryRt best = null;
        for (TableEntryRt e : entries) {
            if (e.matches(kinds, key) && (best == null || MaskIndex.ORDER.compare(e, best) < 0)) {
                best = e;
            }
        }
        return best;
    }

    @Test
    void ternaryRangeAndOptionalLookupsAgreeWithABruteForceScan() {
        MatchKind[] kinds = {MatchKind.TERNARY, MatchKind.RANGE, MatchKind.OPTIONAL, MatchKind.EXACT};
        List<TableDef.KeyField> keys = List.of(new TableDef.KeyField("a", 1, MatchKind.TERNARY, 8),
                new TableDef.KeyField("b", 2, MatchKind.RANGE, 8), new TableDef.KeyField("c", 3, MatchKind.OPTIONAL, 4),
                new TableDef.KeyField("d", 4, MatchKind.EXACT, 2));
        TableDef t = new TableDef("t", Ast.Annotations.NONE, keys, List.of(), 100000);
        Random r = new Random(42);
        long[] masks = {0x00, 0xF0, 0x0F, 0xFF, 0xC0};
        List<TableEntryRt> live = new ArrayList<>();
        for (int round = 0; round < 3000; round++) {
            if (!live.isEmpty() && r.nextInt(4) == 0) {
                TableEntryRt gone = live.remove(r.nextInt(live.size()));
                t.remove(gone);
            } else {
                long m = masks[r.nextInt(masks.length)];
                long lo = r.nextInt(256);
                long hi = r.nextBoolean() ? 255 : Math.min(255, lo + r.nextInt(40));
                if (r.nextInt(5) == 0) {
                    lo = 0;
                    hi = 255;
                }
                boolean optWild = r.nextBoolean();
                TableEntryRt e = new TableEntryRt(
                        new long[] {r.nextInt(256) & m, lo, optWild ? 0 : r.nextInt(16), r.nextInt(4)},
                        new long[] {m, 0xFF, optWild ? 0 : 0xF, 0x3}, new long[] {0, hi, 0, 0},
                        1 + r.nextInt(20), 0);
                if (t.find(e.key()) == null) {
                    t.insert(e);
                    live.add(e);
                }
            }
            for (int k = 0; k < 5; k++) {
                long[] key = {r.nextInt(256), r.nextInt(256), r.nextInt(16), r.nextInt(4)};
                assertSame(reference(live, kinds, key), t.lookup(key), "round " + round);
            }
        }
    }

    @Test
    void lpmPicksTheLongestPrefix() {
        List<TableDef.KeyField> keys = List.of(new TableDef.KeyField("vrf", 1, MatchKind.EXACT, 8),
                new TableDef.KeyField("dst", 2, MatchKind.LPM, 32));
        TableDef t = new TableDef("lpm", Ast.Annotations.NONE, keys, List.of(), 100000);
        MatchKind[] kinds = {MatchKind.EXACT, MatchKind.LPM};
        Random r = new Random(3);
        List<TableEntryRt> live = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            int len = r.nextInt(33);
            long mask = len == 0 ? 0 : (0xFFFFFFFFL << (32 - len)) & 0xFFFFFFFFL;
            TableEntryRt e = new TableEntryRt(new long[] {r.nextInt(2), (r.nextLong() & 0xFFFFFFFFL) & mask},
                    new long[] {0xFF, mask}, new long[] {0, 0}, len, len);
            if (t.find(e.key()) == null) {
                t.insert(e);
                live.add(e);
            }
        }
        for (int i = 0; i < 20000; i++) {
            long[] key = {r.nextInt(2), r.nextLong() & 0xFFFFFFFFL};
            if (i % 2 == 0) {
                // Aim at an existing prefix so that deep matches are exercised too.
                TableEntryRt near = live.get(r.nextInt(live.size()));
                key = new long[] {near.value[0], near.value[1] | (r.nextLong() & ~near.mask[1] & 0xFFFFFFFFL)};
            }
            assertSame(reference(live, kinds, key), t.lookup(key));
        }
    }
}
