package org.sfc.sw.runtime;

/**
 * A table key compared by content. Lookups wrap a scratch array that maps never keep, so no copy is made.
 */
record LongKey(long[] v) {
    @Override
    public boolean equals(Object o) {
        return o instanceof LongKey k && java.util.Arrays.equals(k.v, v);
    }

    @Override
    public int hashCode() {
        return KeyHash.of(v);
    }
}

/**
 * Hash of a table key. Arrays.hashCode is weak for keys such as prefixes whose low bits are all zero and
 * let HashMap buckets degrade into trees; a 64-bit finaliser (from MurmurHash3's fmix64) spreads every bit.
 */
final class KeyHash {
    private KeyHash() {}

    static int of(long[] v) {
        long h = 0x9E3779B97F4A7C15L;
        for (long x : v) {
            h = mix(h ^ x) * 31;
        }
        return (int) (h ^ (h >>> 32));
    }

    private static long mix(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }
}
