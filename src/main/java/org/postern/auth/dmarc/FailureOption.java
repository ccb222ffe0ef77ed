package org.postern.auth.dmarc;

import java.util.Optional;

/** Failure reporting options, the {@code fo} tag (RFC 7489 §6.3). */
public enum FailureOption {
    /** "0": report when all underlying mechanisms fail to give an aligned pass (the default). */
    ALL_FAIL("0"),
    /** "1": report when any underlying mechanism fails to give an aligned pass. */
    ANY_FAIL("1"),
    /** "d": report any DKIM signature that failed, aligned or not. */
    DKIM_FAIL("d"),
    /** "s": report any SPF failure, aligned or not. */
    SPF_FAIL("s");

    private final String keyword;

    FailureOption(String keyword) {
        this.keyword = keyword;
    }

    public String keyword() {
        return keyword;
    }

    static Optional<FailureOption> parse(String value) {
        for (FailureOption o : values()) {
            if (o.keyword.equalsIgnoreCase(value)) return Optional.of(o);
        }
        return Optional.empty();
    }
}
