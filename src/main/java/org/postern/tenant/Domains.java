package org.postern.tenant;

import java.net.IDN;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Domain names as Postern compares them: lower-case A-labels, so "Bücher.test", "BÜCHER.test" and
 * "xn--bcher-kva.test" are one domain (RFC 5890; SMTPUTF8 clients send U-labels, others A-labels).
 */
public final class Domains {

    /** Compiled once: every RCPT normalizes a domain, and compiling this pattern costs more than matching it. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");

    private Domains() { }

    /** The comparable form; throws IllegalArgumentException when the name cannot be a domain. */
    public static String normalize(String domain) {
        String d = domain.trim();
        if (d.endsWith(".")) d = d.substring(0, d.length() - 1);
        if (d.isEmpty()) throw new IllegalArgumentException("empty domain");
        String ascii;
        try {
            ascii = IDN.toASCII(d, IDN.ALLOW_UNASSIGNED);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a valid domain name: '" + domain + "'");
        }
        ascii = ascii.toLowerCase(Locale.ROOT);
        if (!NAME.matcher(ascii).matches()) {
            throw new IllegalArgumentException("not a valid domain name: '" + domain + "'");
        }
        return ascii;
    }

    /** The domain of an address (after the last '@'), normalized; empty string when there is none. */
    public static String ofAddress(String address) {
        int at = address.lastIndexOf('@');
        if (at < 0 || at == address.length() - 1) return "";
        String domain = address.substring(at + 1);
        if (domain.startsWith("[")) return domain.toLowerCase(Locale.ROOT); // address literal
        try {
            return normalize(domain);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    /** The address with its domain normalized and its local part lower-cased, for list comparisons. */
    public static String normalizeAddress(String address) {
        int at = address.lastIndexOf('@');
        if (at < 0) return address.toLowerCase(Locale.ROOT);
        String domain = ofAddress(address);
        return address.substring(0, at).toLowerCase(Locale.ROOT) + "@" + (domain.isEmpty() ? address.substring(at + 1).toLowerCase(Locale.ROOT) : domain);
    }
}
