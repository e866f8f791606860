package org.sfc.compiler;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Which member of a group each bucket of the flow hash goes to (table next_hop_bucket).
 *
 * <p>A group of k members gets the smallest power of two of buckets that is at least 8k (at most what the
 * bucket field holds), so every member's share is within 1/8 of an even split. Bucket b belongs to member
 * b mod k of the configured members; a failed member's buckets are dealt out in turn to the healthy ones.
 * So a failure moves only the flows of the member that failed, and spreads them evenly; the flows of
 * healthy members stay on the instance that holds their state.
 */
public final class GroupBuckets {
    /** How many buckets per member, at least, before rounding up to a power of two. */
    static final int BUCKETS_PER_MEMBER = 8;

    private GroupBuckets() {
    }

    /** The number of buckets for {@code members} configured members when the bucket field has {@code width} bits. */
    public static int count(int members, int width) {
        if (members < 1) {
            throw new IllegalArgumentException("a group needs a member");
        }
        int max = 1 << Math.min(width, 30);
        int want = Integer.highestOneBit(members * BUCKETS_PER_MEMBER - 1) << 1;
        return Math.min(max, want);
    }

    /**
     * The member of each bucket: {@code configured} in catalog order, {@code failed} the ones not to use
     * (all of them failed: the configured assignment, unchanged).
     */
    public static <T> List<T> assign(List<T> configured, Set<T> failed, int width) {
        int n = count(configured.size(), width); // a group bigger than that leaves members out (a capacity error)
        List<T> healthy = configured.stream().filter(m -> !failed.contains(m)).toList();
        List<T> out = new ArrayList<>(n);
        int next = 0;
        for (int b = 0; b < n; b++) {
            T owner = configured.get(b % configured.size());
            if (failed.contains(owner) && !healthy.isEmpty()) {
                owner = healthy.get(next++ % healthy.size());
            }
            out.add(owner);
        }
        return out;
    }
}
