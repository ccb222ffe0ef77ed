package org.postern.auth.dmarc;

import java.util.Locale;

/**
 * Why the applied disposition differs from the requested policy: {@code PolicyOverrideReason} of RFC 7489 Appendix C.
 * Kept for the aggregate report and the trace.
 */
public record PolicyOverride(Type type, String comment) {

    /** {@code PolicyOverrideType}. */
    public enum Type {
        FORWARDED, SAMPLED_OUT, TRUSTED_FORWARDER, MAILING_LIST, LOCAL_POLICY, OTHER;

        public String keyword() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
