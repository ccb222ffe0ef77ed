package org.postern.content;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The hashed binary features of one message while they are collected, optionally remembering where each came from
 * so a verdict can say which words weighed most. {@link #indexes(int)} gives the distinct table slots: a feature is
 * present or not, however often it occurs (binary features did best at the TREC spam tracks).
 *
 * <p>Recording keeps references to strings the extraction builds anyway (the token lists, the n-grams, the meta
 * texts) and builds a readable name only for the few features {@link #nameOf} is asked about, so naming the
 * strongest features needs no second extraction.</p>
 */
final class Features {

    private static final int META = 0;
    private static final int GRAM = 1;
    private static final int WORD = 2;

    private int[] hashes = new int[512];
    private int size;
    /** When recording: per feature, the string or token list it came from, and for words where/index/distance. */
    private Object[] sources;
    private int[] details;
    private String[] places;

    private Features(boolean recording) {
        if (recording) {
            sources = new Object[hashes.length];
            details = new int[hashes.length];
            places = new String[hashes.length];
        }
    }

    static Features plain() {
        return new Features(false);
    }

    /** Remembers where every feature came from, for {@link #nameOf}. */
    static Features recording() {
        return new Features(true);
    }

    /** A feature whose readable form is {@code text} itself (header facts such as "from-domain=example.org"). */
    void add(int hash, String text) {
        int i = next(hash);
        if (sources != null) record(i, text, META, null, 0);
    }

    /**
     * The character n-gram {@code text[start, start + length)} (length below 16), named "{@code where} 'gram'"; cut
     * out of the text only when a name is asked for.
     */
    void gram(int hash, String where, String text, int start, int length) {
        int i = next(hash);
        if (sources != null) record(i, text, GRAM, where, start << 4 | length);
    }

    /** The word {@code tokens[index]}, or with {@code distance} > 0 the pair of it and the word that far after it. */
    void word(int hash, String where, List<String> tokens, int index, int distance) {
        int i = next(hash);
        if (sources != null) record(i, tokens, WORD, where, index << 4 | distance);
    }

    private int next(int hash) {
        if (size == hashes.length) {
            hashes = Arrays.copyOf(hashes, size * 2);
            if (sources != null) {
                sources = Arrays.copyOf(sources, size * 2);
                details = Arrays.copyOf(details, size * 2);
                places = Arrays.copyOf(places, size * 2);
            }
        }
        hashes[size] = hash;
        return size++;
    }

    private void record(int i, Object source, int kind, String place, int detail) {
        sources[i] = source;
        details[i] = detail << 2 | kind;
        places[i] = place;
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

    /** The name of the first feature that fell into a slot, when recording. */
    Optional<String> nameOf(int slot, int bits) {
        if (sources == null) return Optional.empty();
        int mask = (1 << bits) - 1;
        for (int i = 0; i < size; i++) {
            if ((hashes[i] & mask) == slot) return Optional.ofNullable(name(i));
        }
        return Optional.empty();
    }

    private String name(int i) {
        int kind = details[i] & 3;
        int detail = details[i] >>> 2;
        return switch (kind) {
            case META -> (String) sources[i];
            case GRAM -> {
                int start = detail >>> 4;
                yield places[i] + " '" + ((String) sources[i]).substring(start, start + (detail & 15)) + "'";
            }
            default -> {
                @SuppressWarnings("unchecked")
                List<String> tokens = (List<String>) sources[i];
                int index = detail >>> 4;
                int distance = detail & 15;
                yield distance == 0
                        ? places[i] + " '" + tokens.get(index) + "'"
                        : places[i] + " '" + tokens.get(index) + " " + "_ ".repeat(distance - 1) + tokens.get(index + distance) + "'";
            }
        };
    }
}
