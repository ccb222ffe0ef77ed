package org.postern.auth.arc;

import java.util.Locale;

/**
 * One header field exactly as received: {@code raw} is the whole field, folding included, without the final CRLF.
 * Text is held as ISO-8859-1 so every octet maps to one char and back unchanged (hashing needs the original bytes).
 */
record HeaderField(String name, String raw) {

    /** The text after the colon, folding included. */
    String value() {
        return raw.substring(raw.indexOf(':') + 1);
    }

    boolean isNamed(String other) {
        return name.equalsIgnoreCase(other);
    }

    String lowerName() {
        return name.toLowerCase(Locale.ROOT);
    }
}
