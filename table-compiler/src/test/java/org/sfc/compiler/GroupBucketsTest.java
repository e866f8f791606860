package org.sfc.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/** How a group's buckets are dealt to its members: evenly, and a failure moves only the failed member's. */
class GroupBucketsTest {
    @Test
    void theSmallestPowerOfTwoWithEightBucketsAMemberCappedByTheField() {
        assertEquals(8, GroupBuckets.count(1, 8));
        assertEquals(16, GroupBuckets.count(2, 8));
        assertEquals(32, GroupBuckets.count(3, 8));
        assertEquals(32, GroupBuckets.count(4, 8));
        assertEquals(64, GroupBuckets.count(5, 8));
        assertEquals(256, GroupBuckets.count(40, 8));
        assertEquals(4, GroupBuckets.count(3, 2));
    }

    @Test
    void everyMemberGetsItsShareWithinAnEighth() {
        for (int k = 1; k <= 32; k++) {
            List<Integer> members = java.util.stream.IntStream.range(0, k).boxed().toList();
            Map<Integer, Long> share = shares(GroupBuckets.assign(members, Set.of(), 8));
            assertEquals(k, share.size(), "every member of " + k + " has buckets");
            long min = Collections.min(share.values());
            long max = Collections.max(share.values());
            assertEquals(true, max - min <= 1 && max <= min * 9 / 8 + 1, k + " members: " + share);
        }
    }

    @Test
    void aFailedMembersBucketsGoToTheHealthyInTurnAndNoOtherBucketMoves() {
        List<String> all = List.of("a", "b", "c", "d");
        List<String> before = GroupBuckets.assign(all, Set.of(), 8);
        List<String> after = GroupBuckets.assign(all, Set.of("b"), 8);
        int moved = 0;
        for (int i = 0; i < before.size(); i++) {
            if (before.get(i).equals("b")) {
                moved++;
                assertEquals(true, !after.get(i).equals("b"), "bucket " + i + " leaves b");
            } else {
                assertEquals(before.get(i), after.get(i), "bucket " + i + " of a healthy member stays");
            }
        }
        assertEquals(8, moved);
        assertEquals(Map.of("a", 11L, "c", 11L, "d", 10L), shares(after));
    }

    @Test
    void withEveryMemberFailedTheBucketsStayAsConfigured() {
        List<String> all = List.of("a", "b");
        assertEquals(GroupBuckets.assign(all, Set.of(), 8), GroupBuckets.assign(all, Set.of("a", "b"), 8));
    }

    private static <T> Map<T, Long> shares(List<T> buckets) {
        return buckets.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }
}
