package org.postern.auth.arc;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A message split into header fields and body (RFC 5322 §2.1): the header section ends at the first empty line.
 * Bare LF line ends are read as CRLF so a message stored with Unix line ends canonicalizes as it was sent.
 */
record MessageSections(List<HeaderField> headers, String body) {

    MessageSections {
        headers = List.copyOf(headers);
    }

    static MessageSections parse(byte[] message) {
        String text = new String(message, StandardCharsets.ISO_8859_1).replaceAll("\r?\n", "\r\n");
        List<HeaderField> headers = new ArrayList<>();
        int pos = 0;
        StringBuilder current = null;
        while (pos < text.length()) {
            int eol = text.indexOf("\r\n", pos);
            int next = eol < 0 ? text.length() : eol + 2;
            String line = text.substring(pos, eol < 0 ? text.length() : eol);
            if (line.isEmpty()) {
                pos = next;
                break; // end of the header section; the body follows
            }
            boolean continuation = line.charAt(0) == ' ' || line.charAt(0) == '\t';
            if (continuation && current != null) {
                current.append("\r\n").append(line);
            } else {
                add(headers, current);
                current = new StringBuilder(line);
            }
            pos = next;
        }
        add(headers, current);
        return new MessageSections(headers, pos < text.length() ? text.substring(pos) : "");
    }

    private static void add(List<HeaderField> headers, StringBuilder field) {
        if (field == null) return;
        String raw = field.toString();
        int colon = raw.indexOf(':');
        if (colon <= 0) return; // not a header field (RFC 5322 §2.2 requires a name and a colon); nothing signs it
        headers.add(new HeaderField(raw.substring(0, colon).strip(), raw));
    }
}
