package org.sfc.compiler;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Numeric ids of named things (services, devices, next hops, clone sessions). A name keeps the id it had in
 * the previous compilation, so adding one service changes only that service's entries; new names take the
 * smallest free id. Immutable: {@link #next()} starts the allocation of a new version.
 */
public final class Ids {
    /** The kind under which services' step versions are kept (see {@link Allocator#version}). */
    public static final String VERSION = "version";

    private final Map<String, Map<String, Integer>> byKind;

    private Ids(Map<String, Map<String, Integer>> byKind) {
        this.byKind = byKind;
    }

    public static Ids empty() {
        return new Ids(new TreeMap<>());
    }

    /** A copy of every id, as text "kind name id" per line (what the controller stores with a version). */
    public Map<String, Map<String, Integer>> asMap() {
        Map<String, Map<String, Integer>> copy = new TreeMap<>();
        byKind.forEach((k, v) -> copy.put(k, new TreeMap<>(v)));
        return copy;
    }

    /** The version service {@code name}'s steps are under (0 for an unknown name). */
    public int version(String name) {
        return byKind.getOrDefault(VERSION, Map.of()).getOrDefault(name, 0);
    }

    public static Ids of(Map<String, Map<String, Integer>> ids) {
        Map<String, Map<String, Integer>> copy = new TreeMap<>();
        ids.forEach((k, v) -> copy.put(k, new TreeMap<>(v)));
        return new Ids(copy);
    }

    /** Allocation for a new version, seeded with this one's ids. */
    public Allocator next() {
        return new Allocator(this);
    }

    /** Allocates ids for one compilation; names not asked for are dropped from the result. */
    public static final class Allocator {
        private final Ids previous;
        private final Map<String, Map<String, Integer>> used = new TreeMap<>();
        private final Map<String, Set<Integer>> taken = new HashMap<>();
        // Where the search for a free id resumes: ids are only ever taken during one allocation, so
        // everything below the cursor stays taken (without it, n new names cost O(n^2)).
        private final Map<String, Integer> cursor = new HashMap<>();

        private Allocator(Ids previous) {
            this.previous = previous;
            // Reserve every previous id so that a new name never reuses a live one in the same version.
            previous.byKind.forEach((kind, m) -> taken.put(kind, new HashSet<>(m.values())));
        }

        public int id(String kind, String name, int min, int max) {
            Map<String, Integer> m = used.computeIfAbsent(kind, k -> new HashMap<>());
            Integer have = m.get(name);
            if (have != null) {
                return have;
            }
            Integer prev = previous.byKind.getOrDefault(kind, Map.of()).get(name);
            if (prev != null) {
                m.put(name, prev);
                return prev;
            }
            Set<Integer> t = taken.computeIfAbsent(kind, k -> new HashSet<>());
            String range = kind + ":" + min;
            for (int i = Math.max(min, cursor.getOrDefault(range, min)); i <= max; i++) {
                if (t.add(i)) {
                    m.put(name, i);
                    cursor.put(range, i + 1);
                    return i;
                }
            }
            throw new IllegalStateException("no free " + kind + " id left in " + min + ".." + max);
        }

        /**
         * The version (0 or 1) service {@code name}'s steps are under: the one it had (0 if new), or the other one
         * with {@code flip}. Kept in the result like an id (where it is 1), so a stored version recompiles to what the
         * switch holds.
         */
        public int version(String name, boolean flip) {
            int had = previous.byKind.getOrDefault(VERSION, Map.of()).getOrDefault(name, 0);
            int v = flip ? 1 - had : had;
            if (v == 1) { // (only the 1s are kept: most services stay at 0, and 100,000 entries of 0 cost time)
                used.computeIfAbsent(VERSION, k -> new HashMap<>()).put(name, v);
            } else if (used.containsKey(VERSION)) {
                used.get(VERSION).remove(name); // (asked again, flipped back to 0)
            }
            return v;
        }

        /** Marks {@code id} of {@code kind} as used by something that is not named here (nobody gets it). */
        public void reserve(String kind, int id) {
            taken.computeIfAbsent(kind, k -> new HashSet<>()).add(id);
        }

        public Ids result() {
            return new Ids(used); // hash maps: asMap() sorts for whoever stores or prints them
        }
    }
}
