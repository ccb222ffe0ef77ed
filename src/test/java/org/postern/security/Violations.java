package org.postern.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Property violations counted by kind, with the first examples of each, for one readable assertion message. */
final class Violations {

    private static final int EXAMPLES = 3;

    private final Map<String, Integer> counts = new TreeMap<>();
    private final Map<String, List<String>> examples = new TreeMap<>();

    void add(String kind, String example) {
        counts.merge(kind, 1, Integer::sum);
        List<String> list = examples.computeIfAbsent(kind, k -> new ArrayList<>());
        if (list.size() < EXAMPLES) list.add(example);
    }

    /** Fails naming the seed, what ran, and every kind of violation with its count and first examples. */
    void assertNone(long seed, String what) {
        if (counts.isEmpty()) return;
        StringBuilder sb = new StringBuilder(Seeds.replay(seed)).append(": ").append(what).append(": ")
                .append(counts.values().stream().mapToInt(Integer::intValue).sum()).append(" violations");
        counts.forEach((kind, n) -> sb.append("\n  ").append(n).append(" x ").append(kind).append("  e.g. ").append(examples.get(kind)));
        throw new AssertionError(sb.toString());
    }
}
