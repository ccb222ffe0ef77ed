package org.postern.auth.dmarc;

import java.util.Locale;
import java.util.Optional;

/**
 * An authenticated identifier that aligned with the From domain: which mechanism, its domain, the mode it aligned
 * under, and for DKIM the selector.
 */
public record AlignedIdentifier(Mechanism mechanism, String domain, AlignmentMode mode, Optional<String> selector) {

    public enum Mechanism {
        SPF, DKIM;

        public String keyword() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
