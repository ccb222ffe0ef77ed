package org.postern.content;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The hashed binary features of one message while they are collected, optionally with readable names so a verdict
 * can say which words weighed most. {@link #indexes(int)} gives the distinct table slots: a feature is present or
 * not, however often it occurs (binary features did best at the TREC spam tracks).
 */
final class Features {

    private int[] hashes = new int[512];
    private int size;
    private final List<String> names;
    /** When naming, only features falling into these slots get a name: naming every feature would cost more than classifying. */
    private final int[] wantedSlots;
    private final int mask;

    private Features(boolean named, int[] wantedSlots, int bits) {
        this.names = named ? new ArrayList<>() : null;
        this.wantedSlots = wantedSlots;
        this.mask = (1 << bits) - 1;
    }

    static Features plain() {
        return new Features(false, new int[0], 0);
    }

    /** Collects names for the features that fall into the given slots of a {@code 2^bits} table. */
    static Features naming(int[] slots, int bits) {
        int[] sorted = slots.clone();
        Arrays.sort(sorted);
        return new Features(true, sorted, bits);
    }

    /** Whether the feature with this hash wants a name; callers build the name only then. */
    boolean wantsName(int hash) {
        return names != null && Arrays.binarySearch(wantedSlots, hash & mask) >= 0;
    }

    void add(int hash, String name) {
        if (size == hashes.length) hashes = Arrays.copyOf(hashes, size * 2);
        hashes[size++] = hash;
        if (names != null) names.add(name);
    }

    int count() {
        return size;
    }

    /** Distinct slots in a table of {@code 2^bits} weights, sorted. */
    int[] indexes(int bits) {
        int mask = (1 << bits) - 1;
        int[] slots = new int[size];
        for (int i = 0; i < size; i++) slots[i] = hashes[i] & mask;
        Arrays.sort(slots);
        int n = 0;
        for (int i = 0; i < slots.length; i++) {
            if (n == 0 || slots[i] != slots[n - 1]) slots[n++] = slots[i];
        }
        return Arrays.copyOf(slots, n);
    }

    /** The name of the first feature that fell into a slot, when names were collected. */
    Optional<String> nameOf(int slot, int bits) {
        if (names == null) return Optional.empty();
        int mask = (1 << bits) - 1;
        for (int i = 0; i < size; i++) {
            if ((hashes[i] & mask) == slot) return Optional.ofNullable(names.get(i));
        }
        return Optional.empty();
    }
}
