package org.postern.auth.dkim;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One header field as received: its name and its raw octets, folding kept, lines joined by CRLF, without the
 * final CRLF. DKIM hashes octets, so the field is never decoded or re-encoded here.
 */
public final class HeaderField {

    private final String name;
    private final byte[] raw;

    HeaderField(byte[] raw) {
        this.raw = raw;
        this.name = nameOf(raw);
    }

    /** The field name as written (case kept); empty for a line that has no colon. */
    public String name() {
        return name;
    }

    /** A copy of the raw octets (without the final CRLF). */
    public byte[] raw() {
        return raw.clone();
    }

    byte[] rawUnsafe() {
        return raw;
    }

    /** The value: everything after the first colon, as UTF-8 (RFC 6532 allows UTF-8; other octets are replaced). */
    public String value() {
        int colon = indexOfColon(raw);
        return colon < 0 ? "" : new String(raw, colon + 1, raw.length - colon - 1, StandardCharsets.UTF_8);
    }

    boolean hasName(String other) {
        return !name.isEmpty() && name.equalsIgnoreCase(other);
    }

    private static String nameOf(byte[] raw) {
        int colon = indexOfColon(raw);
        if (colon < 0) return "";
        int end = colon;
        while (end > 0 && (raw[end - 1] == ' ' || raw[end - 1] == '\t')) end--;
        return new String(raw, 0, end, StandardCharsets.ISO_8859_1);
    }

    static int indexOfColon(byte[] raw) {
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == ':') return i;
            if (raw[i] == '\r' || raw[i] == '\n') return -1;
        }
        return -1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HeaderField f && Arrays.equals(raw, f.raw);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(raw);
    }

    @Override
    public String toString() {
        return new String(raw, StandardCharsets.ISO_8859_1);
    }
}
