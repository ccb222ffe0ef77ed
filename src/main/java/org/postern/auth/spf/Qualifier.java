package org.postern.auth.spf;

/** The qualifier in front of a mechanism and the result it gives on a match (RFC 7208 §4.6.2). */
enum Qualifier {
    PASS('+', SpfOutcome.PASS),
    FAIL('-', SpfOutcome.FAIL),
    SOFTFAIL('~', SpfOutcome.SOFTFAIL),
    NEUTRAL('?', SpfOutcome.NEUTRAL);

    private final char symbol;
    private final SpfOutcome outcome;

    Qualifier(char symbol, SpfOutcome outcome) {
        this.symbol = symbol;
        this.outcome = outcome;
    }

    SpfOutcome outcome() {
        return outcome;
    }

    /** The qualifier a symbol stands for, or null when the character is not one. */
    static Qualifier of(char c) {
        for (Qualifier q : values()) if (q.symbol == c) return q;
        return null;
    }
}
