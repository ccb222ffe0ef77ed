package org.postern.edge;

import java.security.SecureRandom;
import java.time.Clock;

/**
 * Reference ids: 13 characters of Crockford base32, time-ordered (milliseconds, 45 bits) then 20 random bits,
 * so ids sort by time, are unambiguous to read aloud over the phone, and do not repeat across nodes in practice.
 */
public final class References {

    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public References(Clock clock) {
        this.clock = clock;
    }

    public String next() {
        long millis = clock.millis();
        int rnd = random.nextInt(1 << 20);
        char[] out = new char[13];
        for (int i = 8; i >= 0; i--) {
            out[i] = ALPHABET[(int) (millis & 31)];
            millis >>>= 5;
        }
        for (int i = 12; i >= 9; i--) {
            out[i] = ALPHABET[rnd & 31];
            rnd >>>= 5;
        }
        return new String(out);
    }
}
