package org.postern.auth.dmarc;

import java.util.Locale;
import java.util.Optional;

/** The policy a domain owner requests for failing mail: the {@code p} and {@code sp} values of RFC 7489 §6.3. */
public enum DmarcPolicy {
    NONE, QUARANTINE, REJECT;

    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** RFC 7489 §6.4 ABNF: the quoted literals are case-insensitive. */
    static Optional<DmarcPolicy> parse(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "none" -> Optional.of(NONE);
            case "quarantine" -> Optional.of(QUARANTINE);
            case "reject" -> Optional.of(REJECT);
            default -> Optional.empty();
        };
    }

    /**
     * The next lower policy, for messages that pct sampling leaves out (RFC 7489 §6.6.4): reject is treated as
     * quarantine, quarantine as none.
     */
    DmarcPolicy nextLower() {
        return switch (this) {
            case REJECT -> QUARANTINE;
            case QUARANTINE, NONE -> NONE;
        };
    }
}
