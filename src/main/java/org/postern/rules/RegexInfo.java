package org.postern.rules;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Size (estimated RE2 program instructions) and literal knowledge of a sub-pattern.
 *
 * @param exact    the complete set of (folded) strings the sub-pattern can match, when small and known; else null
 * @param required sets of strings such that every match contains one string of each set (most selective
 *                 first, at most {@link #MAX_REQUIRED}); empty when nothing is known
 */
record RegexInfo(long size, Set<String> exact, List<Set<String>> required) {

    /** Most strings kept in one alternative set; more and the set stops being a useful prefilter. */
    static final int MAX_SET = 16;
    /** Most necessary sets kept per sub-pattern (the most selective). */
    static final int MAX_REQUIRED = 4;
    /** Saturation for the size arithmetic: far above any limit, far below overflow. */
    static final long HUGE = 1L << 40;

    static final RegexInfo EMPTY = new RegexInfo(1, Set.of(""), List.of());
    static final RegexInfo OPAQUE = new RegexInfo(1, null, List.of());

    static RegexInfo literal(int cp) {
        if (cp >= 128) return OPAQUE;
        return new RegexInfo(1, Set.of(String.valueOf((char) (cp >= 'A' && cp <= 'Z' ? cp + 32 : cp))), List.of());
    }

    static RegexInfo group(RegexInfo inner) {
        return new RegexInfo(add(inner.size, 2), inner.exact, inner.required);
    }

    /** Every necessary set known of this sub-pattern: its exact set (unless it may match "") and its required sets. */
    List<Set<String>> necessary() {
        Set<String> ownExact = exact == null ? null : nonEmpty(exact);
        if (ownExact == null) return required;
        List<Set<String>> all = new ArrayList<>(required);
        all.add(ownExact);
        return keepBest(all);
    }

    /**
     * A sequence: consecutive exact parts multiply into longer exact strings (a run) while the product stays
     * small; where a run breaks it becomes a necessary set, as does everything each part requires.
     */
    static RegexInfo concat(List<RegexInfo> parts) {
        long size = 0;
        Set<String> run = Set.of("");
        List<Set<String>> required = new ArrayList<>();
        boolean allExact = true;
        for (RegexInfo p : parts) {
            size = add(size, p.size);
            required.addAll(p.required);
            if (p.exact != null && run.size() * p.exact.size() <= MAX_SET) {
                Set<String> product = new LinkedHashSet<>();
                for (String x : run) for (String y : p.exact) product.add(x + y);
                run = product;
                continue;
            }
            allExact = false;
            if (nonEmpty(run) != null) required.add(run);
            run = p.exact != null ? p.exact : Set.of("");
        }
        if (!allExact && nonEmpty(run) != null) required.add(run);
        return new RegexInfo(Math.max(size, 1), allExact ? run : null, keepBest(required));
    }

    static RegexInfo alternate(List<RegexInfo> branches) {
        long size = branches.size() - 1;
        Set<String> exact = new LinkedHashSet<>();
        Set<String> any = new LinkedHashSet<>();
        boolean exactKnown = true;
        boolean anyKnown = true;
        for (RegexInfo b : branches) {
            size = add(size, b.size);
            if (b.exact == null) exactKnown = false;
            else exact.addAll(b.exact);
            // One match takes one branch: it contains a string of that branch's best necessary set.
            List<Set<String>> n = b.necessary();
            if (n.isEmpty()) anyKnown = false;
            else any.addAll(n.get(0));
        }
        exactKnown &= exact.size() <= MAX_SET;
        anyKnown &= any.size() <= MAX_SET;
        return new RegexInfo(size, exactKnown ? exact : null, anyKnown ? List.of(any) : List.of());
    }

    static RegexInfo repeat(RegexInfo sub, int min, int max) {
        long copies = max < 0 ? Math.max(min, 1) + 1L : Math.max(max, 1);
        long size = add(mul(sub.size, copies), copies);
        if (min == 1 && max == 1) return new RegexInfo(size, sub.exact, sub.required);
        // At least one copy: whatever one copy must contain, the repetition contains too.
        return new RegexInfo(size, null, min >= 1 ? sub.necessary() : List.of());
    }

    private static Set<String> nonEmpty(Set<String> strings) {
        return strings.contains("") ? null : strings;
    }

    /** Distinct sets, most selective first (longest shortest string, then fewest strings), at most MAX_REQUIRED. */
    private static List<Set<String>> keepBest(List<Set<String>> sets) {
        return sets.stream().distinct()
                .sorted(Comparator.comparingInt((Set<String> x) -> -minLength(x)).thenComparingInt(Set::size))
                .limit(MAX_REQUIRED).toList();
    }

    private static int minLength(Set<String> s) {
        int min = Integer.MAX_VALUE;
        for (String x : s) min = Math.min(min, x.length());
        return min;
    }

    private static long add(long a, long b) {
        return Math.min(HUGE, a + b);
    }

    private static long mul(long a, long b) {
        return a > HUGE / Math.max(b, 1) ? HUGE : Math.min(HUGE, a * b);
    }
}
