package org.postern.content;

/**
 * The hashing trick: a feature is a 32-bit hash of its namespace and text, never a dictionary entry, so the model
 * has a fixed size and new words need no vocabulary update. FNV-1a over UTF-16 units with MurmurHash3's finaliser;
 * both are fixed here forever for a given {@link FeatureExtractor#FEATURE_SET}, since a model's weights are indexed
 * by these values.
 */
final class FeatureHash {

    private FeatureHash() {
    }

    /** The hash of a namespace's name, the seed of every feature in it. */
    static int namespace(String name) {
        return of(0x9747b28c, name);
    }

    /** The feature {@code text} within the namespace {@code seed}. */
    static int of(int seed, CharSequence text) {
        return of(seed, text, 0, text.length());
    }

    /** The feature {@code text[start, end)} within the namespace {@code seed}, without copying it out. */
    static int of(int seed, CharSequence text, int start, int end) {
        int h = seed ^ 0x811c9dc5;
        for (int i = start; i < end; i++) {
            h ^= text.charAt(i);
            h *= 0x01000193;
        }
        return mix(h);
    }

    /** A pair of already hashed features at a distance, for orthogonal sparse bigrams. */
    static int pair(int seed, int first, int distance, int second) {
        int h = seed;
        h = mix(h ^ first) * 31 + distance;
        h = mix(h ^ (second * 0x9e3779b1));
        return h;
    }

    /** MurmurHash3 fmix32: every input bit affects every output bit. */
    static int mix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }
}
