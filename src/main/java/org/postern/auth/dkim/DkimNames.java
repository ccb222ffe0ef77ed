package org.postern.auth.dkim;

import java.net.IDN;
import java.util.Locale;

/** Domain names as DKIM tags carry them ({@code d=}, {@code s=}, the domain of {@code i=}). */
final class DkimNames {

    private DkimNames() {
    }

    /**
     * A name checked for DNS syntax and lower-cased; U-labels (RFC 8616) become A-labels. Underscores are
     * allowed, as real selectors use them.
     */
    static String domain(String tag, String value) throws DkimProblem {
        String v = value.endsWith(".") ? value.substring(0, value.length() - 1) : value;
        String ascii;
        try {
            ascii = IDN.toASCII(v, IDN.ALLOW_UNASSIGNED);
        } catch (IllegalArgumentException e) {
            throw DkimProblem.permerror(tag + "= is not a domain name");
        }
        if (ascii.isEmpty() || ascii.length() > 253) throw DkimProblem.permerror(tag + "= is not a domain name");
        for (String label : ascii.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63) throw DkimProblem.permerror(tag + "= is not a domain name");
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                        || c == '-' || c == '_';
                if (!ok) throw DkimProblem.permerror(tag + "= is not a domain name");
            }
        }
        return ascii.toLowerCase(Locale.ROOT);
    }

    /** True when {@code name} is {@code domain} or a subdomain of it; both already lower-case. */
    static boolean isWithin(String name, String domain) {
        return name.equals(domain) || name.endsWith("." + domain);
    }
}
