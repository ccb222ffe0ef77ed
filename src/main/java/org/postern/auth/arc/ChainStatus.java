package org.postern.auth.arc;

import java.util.Locale;

/** The chain validation status of RFC 8617 §4.4, as written in {@code cv=} and Authentication-Results. */
public enum ChainStatus {
    NONE, PASS, FAIL;

    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }
}
