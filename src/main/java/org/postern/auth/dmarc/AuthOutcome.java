package org.postern.auth.dmarc;

import java.util.Locale;

/**
 * The result of an underlying SPF check or DKIM signature as DMARC and its aggregate reports see it (RFC 7489
 * Appendix C, {@code SPFResultType} and {@code DKIMResultType}). Only {@link #PASS} can produce alignment.
 */
public enum AuthOutcome {
    NONE, PASS, FAIL, SOFTFAIL, NEUTRAL, POLICY, TEMPERROR, PERMERROR;

    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }
}
