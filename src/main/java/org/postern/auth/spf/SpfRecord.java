package org.postern.auth.spf;

import java.util.List;
import java.util.Optional;

/**
 * A parsed SPF record (RFC 7208 §4.6): directives in order, and the two modifiers with a meaning (§6). Unknown
 * modifiers are checked for syntax and then ignored (§6).
 *
 * @param text        the record as published
 * @param directives  qualifier and mechanism pairs, evaluated left to right
 * @param redirect    {@code redirect=} target, used only when no directive matches
 * @param explanation {@code exp=} target, whose TXT record explains a fail
 */
record SpfRecord(String text, List<Directive> directives, Optional<MacroString> redirect,
                 Optional<MacroString> explanation) {

    SpfRecord {
        directives = List.copyOf(directives);
    }

    /** One directive: its qualifier ("+" when omitted), its mechanism, and the term as written. */
    record Directive(Qualifier qualifier, Mechanism mechanism, String text) { }

    /** §4.5: a record starts with "v=spf1" (case-insensitive), followed by a space or nothing. */
    static boolean isSpf(String txt) {
        return txt.length() >= 6 && txt.regionMatches(true, 0, "v=spf1", 0, 6)
                && (txt.length() == 6 || txt.charAt(6) == ' ');
    }
}
