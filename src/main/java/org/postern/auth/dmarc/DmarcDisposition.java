package org.postern.auth.dmarc;

import java.util.Locale;

/** What the domain owner's policy asks be done with this message after sampling (RFC 7489 Appendix C). */
public enum DmarcDisposition {
    NONE, QUARANTINE, REJECT;

    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }

    static DmarcDisposition of(DmarcPolicy policy) {
        return switch (policy) {
            case NONE -> NONE;
            case QUARANTINE -> QUARANTINE;
            case REJECT -> REJECT;
        };
    }
}
