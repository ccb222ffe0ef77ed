package org.postern.auth.spf;

import java.util.Locale;

/** The seven results of check_host() (RFC 7208 §2.6). */
public enum SpfOutcome {
    NONE, NEUTRAL, PASS, FAIL, SOFTFAIL, TEMPERROR, PERMERROR;

    /** The result keyword used in Authentication-Results and Received-SPF (RFC 8601 §2.7.2, RFC 7208 §9.1). */
    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }
}
