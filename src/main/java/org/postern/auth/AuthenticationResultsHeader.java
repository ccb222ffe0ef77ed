package org.postern.auth;

import org.postern.auth.dkim.DkimResult;
import org.postern.auth.dmarc.DmarcResult;

/**
 * Our Authentication-Results field (RFC 8601) for an accepted message: spf, dkim (one per signature), dmarc, arc and
 * the composite verdict. Every value that came from the sender or from DNS is reduced to token characters, so no
 * input can break out of the field or forge another result.
 */
public final class AuthenticationResultsHeader {

    private AuthenticationResultsHeader() { }

    public static String render(String authservId, SenderAuthentication a, DmarcResult effective, CompositeAuth compauth) {
        StringBuilder sb = new StringBuilder("Authentication-Results: ").append(token(authservId));
        sb.append(";\r\n\tspf=").append(a.spf().result().keyword());
        if (a.spfHelo()) {
            if (!a.spf().domain().isEmpty()) sb.append(" smtp.helo=").append(token(a.spf().domain()));
        } else {
            sb.append(" smtp.mailfrom=").append(token(a.mailFromDomain()));
        }
        if (a.dkim().isEmpty()) sb.append(";\r\n\tdkim=none");
        for (DkimResult r : a.dkim()) {
            // A pass that may not be relied on (t=y, l=) is reported as neutral with the reason in a comment.
            boolean weak = r.result().keyword().equals("pass") && !r.isStrongPass();
            sb.append(";\r\n\tdkim=").append(weak ? "neutral (" + (r.testing() ? "testing key" : "body length limit") + ")" : r.result().keyword());
            if (!r.domain().isEmpty()) sb.append(" header.d=").append(token(r.domain()));
            if (!r.selector().isEmpty()) sb.append(" header.s=").append(token(r.selector()));
            if (!r.headerB().isEmpty()) sb.append(" header.b=").append(token(r.headerB()));
        }
        sb.append(";\r\n\tdmarc=").append(effective.outcome().keyword());
        effective.policy().ifPresent(p -> sb.append(" action=").append(action(effective)));
        if (!effective.overrides().isEmpty()) sb.append(" (overridden: ").append(effective.overrides().get(0).type().keyword()).append(')');
        a.headerFromDomain().ifPresent(d -> sb.append(" header.from=").append(token(d)));
        sb.append(";\r\n\tarc=").append(a.arc().status().keyword());
        sb.append(";\r\n\tcompauth=").append(compauth.result()).append(" reason=").append(compauth.reason()).append("\r\n");
        return sb.toString();
    }

    private static String action(DmarcResult d) {
        String requested = d.policy().map(p -> p.requested().keyword()).orElse("none");
        return switch (d.disposition()) {
            case REJECT -> "reject";
            case QUARANTINE -> "quarantine";
            // Failed but not acted on as the owner asked (sampling, a trusted forwarder): "o" as Exchange writes it.
            case NONE -> d.outcome().keyword().equals("fail") && !requested.equals("none") ? "o" + requested : "none";
        };
    }

    /** RFC 8601 value: a token or dot-atom, never a quote, semicolon, space, CR or LF. */
    static String token(String s) {
        StringBuilder sb = new StringBuilder(Math.min(s.length(), 255));
        for (int i = 0; i < s.length() && sb.length() < 255; i++) {
            char c = s.charAt(i);
            sb.append(Character.isLetterOrDigit(c) && c < 0x80 || c == '.' || c == '-' || c == '_' || c == '+' || c == '/' || c == '=' ? c : '?');
        }
        return sb.isEmpty() ? "?" : sb.toString();
    }
}
