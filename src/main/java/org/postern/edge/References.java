package org.postern.edge;

import java.security.SecureRandom;
import java.time.Clock;

/**
 * Reference ids: 15 characters of Crockford base32 — 9 for the time in milliseconds (45 bits), 6 random (30 bits) —
 * so ids sort by time, are unambiguous to read aloud over the phone, never repeat within a node (a second id
 * in the same millisecond counts up from the first) and practically never across nodes.
 */
public final class References {

    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final int RANDOM_BITS = 30;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private long lastMillis = -1;
    private int lastRandom;

    public References(Clock clock) {
        this.clock = clock;
    }

    public String next() {
        long millis;
        int rnd;
        synchronized (this) {
            millis = Math.max(clock.millis(), lastMillis);
            rnd = random.nextInt(1 << RANDOM_BITS);
            if (millis == lastMillis && rnd <= lastRandom) {
                rnd = lastRandom + 1;
                if (rnd >= 1 << RANDOM_BITS) { // a billion ids in one millisecond: borrow the next one
                    millis++;
                    rnd = 0;
                }
            }
            lastMillis = millis;
            lastRandom = rnd;
        }
        char[] out = new char[15];
        for (int i = 8; i >= 0; i--) {
            out[i] = ALPHABET[(int) (millis & 31)];
            millis >>>= 5;
        }
        for (int i = 14; i >= 9; i--) {
            out[i] = ALPHABET[rnd & 31];
            rnd >>>= 5;
        }
        return new String(out);
    }
}
