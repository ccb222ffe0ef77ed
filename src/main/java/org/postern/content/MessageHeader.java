package org.postern.content;

import java.util.Locale;
import java.util.Objects;

/**
 * One top-level header field.
 *
 * @param name  the field name as written
 * @param value unfolded, with RFC 2047 encoded words decoded to Unicode
 * @param raw   unfolded, as written (encoded words left alone), for checks that look at the encoding itself
 */
public record MessageHeader(String name, String value, String raw) {
    public MessageHeader {
        Objects.requireNonNull(name);
        Objects.requireNonNull(value);
        Objects.requireNonNull(raw);
    }

    public boolean is(String fieldName) {
        return name.equalsIgnoreCase(fieldName);
    }

    public String lowerName() {
        return name.toLowerCase(Locale.ROOT);
    }
}
