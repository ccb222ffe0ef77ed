package org.postern.auth.dmarc;

import java.util.Locale;

/**
 * The SPF result DMARC uses (RFC 7489 §4.2): the domain SPF checked and its outcome. The caller passes the MAIL FROM
 * result, or the HELO result when MAIL FROM was null.
 */
public record SpfIdentifier(String domain, Scope scope, AuthOutcome outcome) {

    /** Which identity SPF checked; the aggregate report's {@code SPFDomainScope}. */
    public enum Scope {
        MFROM, HELO;

        public String keyword() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public SpfIdentifier {
        domain = DomainNames.normalise(domain);
    }
}
