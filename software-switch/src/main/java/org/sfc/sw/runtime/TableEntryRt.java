package org.sfc.sw.runtime;

import java.util.Arrays;

/**
 * One installed table entry. For each key field: {@code value}, and {@code mask} (ternary, lpm as a prefix
 * mask, optional/exact all ones, or 0 for a wildcard) or {@code high} (range, with value as the low end).
 * The action is either direct ({@code action}) or an action-profile member or group reference.
 */
public final class TableEntryRt {
    public final long[] value;
    public final long[] mask;
    public final long[] high;
    public final int priority;
    public final int prefixLength;
    public ActionCall action;
    public int memberId = -1;
    public int groupId = -1;
    public long packets;
    public long bytes;
    public final MeterState meter = new MeterState();
    /** The control plane's view of this entry (the P4Runtime message), returned by reads. */
    public Object controlPlaneData;
    /** P4Runtime's controller_metadata cookie, kept and read back as written. */
    public long controllerMetadata;
    /** A one-shot action set as the controller wrote it (P4Runtime's TableAction), read back as such; else null. */
    public Object oneShot;
    public long insertionOrder;

    public TableEntryRt(long[] value, long[] mask, long[] high, int priority, int prefixLength) {
        this.value = value;
        this.mask = mask;
        this.high = high;
        this.priority = priority;
        this.prefixLength = prefixLength;
    }

    boolean matches(MatchKind[] kinds, long[] key) {
        for (int i = 0; i < kinds.length; i++) {
            long k = key[i];
            if (kinds[i] == MatchKind.RANGE) {
                if (Long.compareUnsigned(k, value[i]) < 0 || Long.compareUnsigned(k, high[i]) > 0) {
                    return false;
                }
            } else if ((k & mask[i]) != value[i]) {
                return false;
            }
        }
        return true;
    }

    /** Identity of the match (what makes two entries "the same entry" in P4Runtime). */
    public MatchKey key() {
        return new MatchKey(value, mask, high, priority);
    }

    public record MatchKey(long[] value, long[] mask, long[] high, int priority) {
        @Override
        public boolean equals(Object o) {
            return o instanceof MatchKey k && k.priority == priority && Arrays.equals(k.value, value)
                    && Arrays.equals(k.mask, mask) && Arrays.equals(k.high, high);
        }

        @Override
        public int hashCode() {
            return (Arrays.hashCode(value) * 31 + Arrays.hashCode(mask)) * 31 + Arrays.hashCode(high) + priority;
        }
    }
}
