package org.postern.auth.dkim;

import java.io.ByteArrayOutputStream;
import java.util.Locale;
import java.util.Optional;

/** The two canonicalization algorithms of RFC 6376 §3.4, for header fields; bodies are in {@link BodyHasher}. */
public enum Canonicalization {
    SIMPLE("simple"),
    RELAXED("relaxed");

    private final String tag;

    Canonicalization(String tag) {
        this.tag = tag;
    }

    public String tag() {
        return tag;
    }

    static Optional<Canonicalization> fromTag(String tag) {
        for (Canonicalization c : values()) {
            if (c.tag.equals(tag.toLowerCase(Locale.ROOT))) return Optional.of(c);
        }
        return Optional.empty();
    }

    /**
     * One header field canonicalized, followed by CRLF. Simple (§3.4.1) keeps the octets as they are. Relaxed
     * (§3.4.2): lower-case the name; unfold; turn each run of WSP into one SP; drop WSP at the end of the value and
     * around the colon.
     */
    byte[] header(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length + 2);
        if (this == SIMPLE) {
            out.writeBytes(raw);
        } else {
            relaxed(raw, out);
        }
        out.write('\r');
        out.write('\n');
        return out.toByteArray();
    }

    private static void relaxed(byte[] raw, ByteArrayOutputStream out) {
        int colon = HeaderField.indexOfColon(raw);
        if (colon < 0) { // not a field; still give it a stable form
            colon = raw.length;
        }
        int nameEnd = colon;
        while (nameEnd > 0 && isWsp(raw[nameEnd - 1])) nameEnd--;
        for (int i = 0; i < nameEnd; i++) {
            byte b = raw[i];
            out.write(b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b);
        }
        if (colon == raw.length) return;
        out.write(':');
        boolean pendingSpace = false;
        boolean started = false;
        for (int i = colon + 1; i < raw.length; i++) {
            byte b = raw[i];
            if (b == '\r' || b == '\n') continue; // unfold: folding CRLFs are always followed by WSP
            if (isWsp(b)) {
                pendingSpace = true;
                continue;
            }
            if (pendingSpace && started) out.write(' ');
            pendingSpace = false;
            started = true;
            out.write(b);
        }
    }

    static boolean isWsp(byte b) {
        return b == ' ' || b == '\t';
    }
}
