package org.postern.auth.dmarc;

import java.net.IDN;
import java.util.Locale;

/** Domain names as DMARC compares and queries them: lower-case A-labels without a trailing dot. */
final class DomainNames {

    private DomainNames() {
    }

    static String normalise(String domain) {
        String d = domain.strip();
        if (d.endsWith(".")) d = d.substring(0, d.length() - 1);
        try {
            d = IDN.toASCII(d, IDN.ALLOW_UNASSIGNED);
        } catch (IllegalArgumentException e) {
            // Not a valid IDN: keep it as written; it will simply match nothing.
        }
        return d.toLowerCase(Locale.ROOT);
    }
}
