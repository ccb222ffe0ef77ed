package org.postern.rules;

/**
 * A string to look for, prepared once so that every search is linear in the text searched.
 *
 * <p>{@link String#indexOf(String)} compares naively: a needle such as "aaaa…b" against a body of "aaaa…" costs
 * text × needle. That bound only bites when a prefix of the needle is also its suffix (a border): without borders,
 * two partial matches cannot overlap and the naive search is linear. So border-free needles (almost every word)
 * use the JDK's vectorised search, the others Knuth–Morris–Pratt.
 */
final class Needle {

    private final String needle;
    /** KMP failure function; null when the needle has no border and indexOf is linear. */
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
        for (int v : f) if (v > 0) return f;
        return null;
    }
}
