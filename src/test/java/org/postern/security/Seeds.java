package org.postern.security;

import java.security.SecureRandom;

/**
 * The seed of a randomized security property: {@code -Dpostern.seed=N} replays a run, otherwise a fresh one is
 * drawn. Every test prints it and puts it in its assertion messages, so a red run can be replayed exactly.
 */
final class Seeds {

    private Seeds() { }

    static long seed(Class<?> test) {
        Long fixed = Long.getLong("postern.seed");
        long seed = fixed != null ? fixed : new SecureRandom().nextLong();
        System.out.println(test.getSimpleName() + ": seed=" + seed + " (replay with -Dpostern.seed=" + seed + ")");
        return seed;
    }

    static String replay(long seed) {
        return "seed=" + seed + " (replay with -Dpostern.seed=" + seed + ")";
    }
}
