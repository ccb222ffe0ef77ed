package org.postern.auth.dmarc;

import java.util.Locale;

/** The DMARC result, as written in Authentication-Results (RFC 7489 §11.2, RFC 8601 §2.7.1 registry). */
public enum DmarcOutcome {
    /** A policy record was found and at least one identifier aligned with a pass. */
    PASS,
    /** A policy record was found and no identifier aligned with a pass. */
    FAIL,
    /** No policy record: DMARC does not apply. */
    NONE,
    /** DNS did not answer during discovery. */
    TEMPERROR,
    /** The message or the record cannot be evaluated: no usable policy, no From domain, several From domains. */
    PERMERROR;

    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }
}
