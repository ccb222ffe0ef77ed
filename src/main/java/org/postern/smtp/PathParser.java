package org.postern.smtp;

import com.google.common.net.InetAddresses;

/**
 * Parses one RFC 5321 §4.1.2 path, {@code <...>}, strictly: a Mailbox whose Local-part is a Dot-string or a
 * Quoted-string and whose domain is a Domain or an address-literal. RFC 6531 §3.3 extends atext, qtextSMTP and
 * sub-domain with UTF-8; such characters are accepted here and flagged, and the session decides whether the
 * transaction allows them.
 *
 * <p>Known compromises, each deliberate:</p>
 * <ul>
 *   <li>A source route {@code <@a,@b:user@c>} is checked and then dropped, as RFC 5321 Appendix C and §3.6.1 tell
 *       servers to do.</li>
 *   <li>The 64-octet local-part and 256-octet path limits of §4.5.3.1 are not enforced: SRS and VERP addresses
 *       exceed them in real mail, and §4.5.3.1 asks for no limits where possible. The command line limit bounds
 *       the path anyway. Domains keep the DNS limits (63-octet labels, 255 octets), since no longer name can
 *       resolve.</li>
 * </ul>
 */
final class PathParser {

    /** Which path: MAIL's reverse-path may be {@code <>}; RCPT's forward-path may be {@code <Postmaster>}. */
    enum Kind { REVERSE, FORWARD }

    /** The address without brackets or route, where the path ended, and whether it holds non-ASCII. */
    record Parsed(String address, int end, boolean nonAscii) {
    }

    private static final String ATEXT_SPECIALS = "!#$%&'*+-/=?^_`{|}~";
    private static final int MAX_LABEL = 63;
    private static final int MAX_DOMAIN = 255;

    private final String s;
    private final Kind kind;
    private int i;
    private boolean nonAscii;

    private PathParser(String s, int start, Kind kind) {
        this.s = s;
        this.i = start;
        this.kind = kind;
    }

    /** Parses the path that starts at {@code start}, which must be the {@code '<'}. */
    static Parsed parse(String line, int start, Kind kind) throws SmtpSyntaxException {
        return new PathParser(line, start, kind).path();
    }

    private Parsed path() throws SmtpSyntaxException {
        expect('<');
        if (kind == Kind.REVERSE && peek() == '>') {
            i++;
            return new Parsed("", i, false);
        }
        if (kind == Kind.FORWARD && s.regionMatches(true, i, "postmaster>", 0, 11)) {
            // RFC 5321 §4.1.1.3: "<Postmaster>" without a domain must be accepted.
            String postmaster = s.substring(i, i + 10);
            i += 11;
            return new Parsed(postmaster, i, false);
        }
        if (peek() == '@') skipSourceRoute();
        String local = localPart();
        expect('@');
        String domain = peek() == '[' ? addressLiteral() : domain();
        expect('>');
        return new Parsed(local + "@" + domain, i, nonAscii);
    }

    /** A-d-l = At-domain *( "," At-domain ) ":" — validated, then forgotten (RFC 5321 Appendix C). */
    private void skipSourceRoute() throws SmtpSyntaxException {
        do {
            expect('@');
            domain();
        } while (consume(','));
        expect(':');
    }

    private String localPart() throws SmtpSyntaxException {
        return peek() == '"' ? quotedString() : dotString();
    }

    /** Dot-string = Atom *("." Atom): no leading, trailing or doubled dots. */
    private String dotString() throws SmtpSyntaxException {
        int start = i;
        atom();
        while (consume('.')) atom();
        return s.substring(start, i);
    }

    private void atom() throws SmtpSyntaxException {
        int start = i;
        while (i < s.length() && isAtext(s.charAt(i))) i++;
        if (i == start) throw bad();
    }

    private boolean isAtext(char c) {
        if (c >= 0x80) {
            nonAscii = true;
            return true;
        }
        return isAsciiLetterOrDigit(c) || ATEXT_SPECIALS.indexOf(c) >= 0;
    }

    /** Quoted-string = DQUOTE *QcontentSMTP DQUOTE, kept with its quotes and escapes as sent. */
    private String quotedString() throws SmtpSyntaxException {
        int start = i;
        expect('"');
        while (true) {
            if (i >= s.length()) throw bad();
            char c = s.charAt(i++);
            if (c == '"') break;
            if (c == '\\') {
                // quoted-pairSMTP = %d92 %d32-126
                if (i >= s.length() || s.charAt(i) < 32 || s.charAt(i) > 126) throw bad();
                i++;
            } else if (c >= 0x80) {
                nonAscii = true;
            } else if (c < 32 || c > 126) {
                throw bad(); // qtextSMTP = %d32-33 / %d35-91 / %d93-126; '"' and '\' handled above
            }
        }
        return s.substring(start, i);
    }

    /** Domain = sub-domain *("." sub-domain); sub-domain = Let-dig [Ldh-str], or a U-label (RFC 6531 §3.3). */
    private String domain() throws SmtpSyntaxException {
        int start = i;
        label();
        while (consume('.')) label();
        if (i - start > MAX_DOMAIN) throw bad();
        return s.substring(start, i);
    }

    private void label() throws SmtpSyntaxException {
        int start = i;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                nonAscii = true;
            } else if (!isAsciiLetterOrDigit(c) && c != '-') {
                break;
            }
            i++;
        }
        if (i == start || i - start > MAX_LABEL || s.charAt(start) == '-' || s.charAt(i - 1) == '-') throw bad();
    }

    /** address-literal = "[" ( IPv4 / "IPv6:" IPv6 / General-address-literal ) "]" (RFC 5321 §4.1.3). */
    private String addressLiteral() throws SmtpSyntaxException {
        int start = i;
        expect('[');
        int close = s.indexOf(']', i);
        if (close < 0) throw bad();
        String inner = s.substring(i, close);
        i = close + 1;
        if (!isIpv4(inner) && !isIpv6Literal(inner) && !isGeneralLiteral(inner)) throw bad();
        return s.substring(start, i);
    }

    private static boolean isIpv4(String v) {
        String[] parts = v.split("\\.", -1);
        if (parts.length != 4) return false;
        for (String p : parts) {
            // Snum = 1*3DIGIT representing a decimal integer value in the range 0 through 255
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) return false;
            if (Integer.parseInt(p) > 255) return false;
        }
        return true;
    }

    private static boolean isIpv6Literal(String v) {
        if (!v.regionMatches(true, 0, "IPv6:", 0, 5)) return false;
        String addr = v.substring(5);
        return addr.indexOf(':') >= 0
                && addr.chars().allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0)
                && InetAddresses.isInetAddress(addr);
    }

    /** General-address-literal = Standardized-tag ":" 1*dcontent; dcontent = %d33-90 / %d94-126. */
    private static boolean isGeneralLiteral(String v) {
        int colon = v.indexOf(':');
        if (colon < 1 || colon == v.length() - 1) return false;
        String tag = v.substring(0, colon);
        if (tag.equalsIgnoreCase("IPv6")) return false; // an IPv6 literal that failed its own check
        if (!tag.chars().allMatch(c -> c < 0x80 && (isAsciiLetterOrDigit((char) c) || c == '-'))
                || tag.endsWith("-")) {
            return false;
        }
        return v.substring(colon + 1).chars().allMatch(c -> c >= 33 && c <= 126 && c != '[' && c != '\\' && c != ']');
    }

    private static boolean isAsciiLetterOrDigit(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    private int peek() {
        return i < s.length() ? s.charAt(i) : -1;
    }

    private boolean consume(char c) {
        if (peek() == c) {
            i++;
            return true;
        }
        return false;
    }

    private void expect(char c) throws SmtpSyntaxException {
        if (!consume(c)) throw bad();
    }

    private SmtpSyntaxException bad() {
        return kind == Kind.REVERSE
                ? new SmtpSyntaxException(501, "5.1.7", "Bad sender address syntax")
                : new SmtpSyntaxException(501, "5.1.3", "Bad recipient address syntax");
    }
}
