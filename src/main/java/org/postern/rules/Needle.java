package org.postern.rules;

/**
 * A string to look for, prepared once so that every search is linear in the text searched.
 *
 * <p>{@link String#indexOf(String)} compares naively: a needle such as "aaaa…b" against a body of "aaaa…" costs
 * text × needle. The naive search costs n + Σₖ (positions where the needle's first k characters occur), and two
 * occurrences of a prefix of length k are at least its period pₖ apart, so the cost is at most n·(1 + Σₖ 1/pₖ) + m.
 * When no prefix repeats itself more than twice (pₖ ≥ k/2 for every k: true of nearly every word and phrase),
 * that is at most n·(3 + 2 ln m) + m — about 14n for the longest needle allowed — and the JDK's vectorised search is
 * used. Periodic needles ("aaaa…b", "abababx") use Knuth–Morris–Pratt, at most 2n comparisons.
 */
final class Needle {

    private final String needle;
    /** KMP failure function; null when the needle is not periodic and indexOf is linear (see above). */
    private final int[] failure;

    Needle(String needle) {
        this.needle = needle;
        this.failure = failureFunction(needle);
    }

    String text() {
        return needle;
    }

    boolean foundIn(String haystack) {
        if (failure == null) return haystack.contains(needle);
        int m = needle.length();
        int k = 0;
        for (int i = 0; i < haystack.length(); i++) {
            char c = haystack.charAt(i);
            while (k > 0 && needle.charAt(k) != c) k = failure[k - 1];
            if (needle.charAt(k) == c) k++;
            if (k == m) return true;
        }
        return false;
    }

    private static int[] failure(String p) {
        int[] f = new int[p.length()];
        int k = 0;
        for (int i = 1; i < p.length(); i++) {
            while (k > 0 && p.charAt(i) != p.charAt(k)) k = f[k - 1];
            if (p.charAt(i) == p.charAt(k)) k++;
            f[i] = k;
        }
        return f;
    }

    private static int[] failureFunction(String p) {
        if (p.isEmpty()) return null;
        int[] f = failure(p);
        for (int k = 1; k <= f.length; k++) {
            // period of the first k characters is k - f[k-1]; periodic beyond twice when it is below k/2
            if (2 * (k - f[k - 1]) < k) return f;
        }
        return null;
    }
}
