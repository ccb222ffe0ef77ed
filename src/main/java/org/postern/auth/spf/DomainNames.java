package org.postern.auth.spf;

import java.util.Optional;
import java.util.regex.Pattern;

/** Domain-name rules SPF applies before and after macro expansion (RFC 7208 §4.3, §4.8, §7.1, §7.3). */
final class DomainNames {

    /** toplabel = ( *alphanum ALPHA *alphanum ) / ( 1*alphanum "-" *( alphanum / "-" ) alphanum ). */
    private static final Pattern TOPLABEL =
            Pattern.compile("[A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*|[A-Za-z0-9]+-[A-Za-z0-9-]*[A-Za-z0-9]");
    private static final int MAX_NAME = 253;
    private static final int MAX_LABEL = 63;

    private DomainNames() { }

    /** domain-spec = macro-string domain-end; domain-end = ( "." toplabel [ "." ] ) / macro-expand. */
    static void checkDomainSpec(MacroString spec, String term) throws SpfSyntaxException {
        if (spec.isEmpty()) throw new SpfSyntaxException("empty domain-spec in \"" + term + "\"");
        if (spec.endsWithExpand()) return;
        String end = spec.trailingLiteral();
        if (end.endsWith(".")) end = end.substring(0, end.length() - 1);
        int dot = end.lastIndexOf('.');
        if (dot < 0 || !TOPLABEL.matcher(end.substring(dot + 1)).matches()) {
            throw new SpfSyntaxException("domain-spec must end in \".\" and a valid top label: \"" + term + "\"");
        }
    }

    /**
     * The name to query for an expanded domain-spec: trailing dot dropped, labels removed from the left until it
     * fits 253 characters (§7.3). Empty when it still is no DNS name (empty or over-long label): such a target
     * cannot exist, so the mechanism does not match (§4.8 and the suite's "invalid-domain" cases).
     */
    static Optional<String> queryName(String expanded) {
        String name = stripDot(expanded);
        while (name.length() > MAX_NAME) {
            int dot = name.indexOf('.');
            if (dot < 0) return Optional.empty();
            name = name.substring(dot + 1);
        }
        return wellFormed(name) ? Optional.of(name) : Optional.empty();
    }

    /** §4.3: the domain check_host() starts from must be a well-formed, multi-label name, else result none. */
    static boolean checkable(String domain) {
        String name = stripDot(domain);
        return !name.startsWith("[") && name.indexOf('.') > 0 && wellFormed(name) && name.length() <= MAX_NAME;
    }

    static String stripDot(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    private static boolean wellFormed(String name) {
        if (name.isEmpty()) return false;
        int start = 0;
        while (true) {
            int dot = name.indexOf('.', start);
            int end = dot < 0 ? name.length() : dot;
            int length = end - start;
            if (length == 0 || length > MAX_LABEL) return false;
            if (dot < 0) return true;
            start = dot + 1;
        }
    }
}
