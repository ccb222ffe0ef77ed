package org.postern.security;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The tests' own reading of a message's header section, written from the RFCs and not from the product: lines end
 * in CRLF (RFC 5322 §2.1), a line starting with SP or HTAB continues the field before it (§2.2.3), the first empty
 * line ends the header section. And RFC 8601 §2.2's reading of whose results an {@code Authentication-Results}
 * field claims to be: {@code "Authentication-Results:" [CFWS] authserv-id [CFWS authres-version] ...}, where
 * authserv-id is an RFC 2045 token or a quoted-string.
 */
final class MessageHeaders {

    private static final byte CR = '\r';
    private static final byte LF = '\n';

    private MessageHeaders() { }

    /** A message cut at its first empty line: header lines (with their CRLFs), and the body after the empty line. */
    record Section(byte[] header, boolean hasEmptyLine, byte[] body) { }

    /** One header field as it stands: its name (colon-less fields have none) and its raw lines. */
    record Field(Optional<String> name, String raw) {

        /** The value with line folding removed (RFC 5322 §2.2.3 unfolding). */
        String value() {
            int colon = raw.indexOf(':');
            return colon < 0 ? "" : raw.substring(colon + 1).replace("\r\n", "");
        }

        String lowerName() {
            return name.map(n -> n.toLowerCase(Locale.ROOT)).orElse("");
        }

        boolean isPostern() {
            return lowerName().startsWith("x-postern-");
        }

        boolean isAuthenticationResults() {
            return lowerName().equals("authentication-results");
        }

        /** Whether this is an Authentication-Results field that RFC 8601 reads as the results of {@code host}. */
        boolean claims(String host) {
            return isAuthenticationResults() && authservId(value()).map(id -> id.equalsIgnoreCase(host)).orElse(false);
        }
    }

    static Section split(byte[] message) {
        if (message.length >= 2 && message[0] == CR && message[1] == LF) {
            return new Section(new byte[0], true, Arrays.copyOfRange(message, 2, message.length));
        }
        for (int i = 0; i + 3 < message.length; i++) {
            if (message[i] == CR && message[i + 1] == LF && message[i + 2] == CR && message[i + 3] == LF) {
                return new Section(Arrays.copyOfRange(message, 0, i + 2), true, Arrays.copyOfRange(message, i + 4, message.length));
            }
        }
        return new Section(message, false, new byte[0]);
    }

    /** Physical lines, each with its CRLF (the last one may lack it). A bare CR or LF does not end a line. */
    static List<String> lines(byte[] header) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i + 1 < header.length; i++) {
            if (header[i] == CR && header[i + 1] == LF) {
                lines.add(new String(header, start, i + 2 - start, StandardCharsets.ISO_8859_1));
                start = i + 2;
                i++;
            }
        }
        if (start < header.length) lines.add(new String(header, start, header.length - start, StandardCharsets.ISO_8859_1));
        return lines;
    }

    /** The fields of a header section; a continuation line with no field before it stands as a field of its own. */
    static List<Field> fields(byte[] header) {
        List<Field> fields = new ArrayList<>();
        StringBuilder current = null;
        for (String line : lines(header)) {
            boolean continuation = !line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t');
            if (continuation && current != null) {
                current.append(line);
                continue;
            }
            if (current != null) fields.add(field(current.toString()));
            current = new StringBuilder(line);
        }
        if (current != null) fields.add(field(current.toString()));
        return fields;
    }

    private static Field field(String raw) {
        String unfolded = raw.replace("\r\n", "");
        int colon = unfolded.indexOf(':');
        Optional<String> name = colon < 0 ? Optional.empty() : Optional.of(stripWsp(unfolded.substring(0, colon)));
        return new Field(name, raw);
    }

    private static String stripWsp(String s) {
        int b = 0;
        int e = s.length();
        while (b < e && (s.charAt(b) == ' ' || s.charAt(b) == '\t')) b++;
        while (e > b && (s.charAt(e - 1) == ' ' || s.charAt(e - 1) == '\t')) e--;
        return s.substring(b, e);
    }

    /**
     * RFC 8601 §2.2: the authserv-id after optional CFWS (comments nest), as a token or a quoted-string, of an
     * unfolded value. Empty when the value does not follow the grammar there: a malformed field claims nothing.
     */
    static Optional<String> authservId(String unfoldedValue) {
        String v = unfoldedValue;
        int n = v.length();
        int i = skipCfws(v, 0);
        if (i >= n) return Optional.empty();
        String id;
        if (v.charAt(i) == '"') {
            StringBuilder quoted = new StringBuilder();
            for (i++; i < n && v.charAt(i) != '"'; i++) {
                char c = v.charAt(i);
                quoted.append(c == '\\' && i + 1 < n ? v.charAt(++i) : c);
            }
            if (i >= n) return Optional.empty();
            id = quoted.toString();
            i++;
        } else {
            int start = i;
            while (i < n && isTokenChar(v.charAt(i))) i++;
            if (start == i) return Optional.empty();
            id = v.substring(start, i);
        }
        // The grammar goes on with CFWS (a version or comment) or ';': anything else makes the field malformed,
        // and a malformed field claims nothing.
        if (i < n && " \t(;".indexOf(v.charAt(i)) < 0) return Optional.empty();
        return Optional.of(id);
    }

    private static int skipCfws(String v, int i) {
        int n = v.length();
        while (i < n) {
            char c = v.charAt(i);
            if (c == ' ' || c == '\t') { // after unfolding; a CR or LF left over is no white space (RFC 5322 §3.2.2)
                i++;
            } else if (c == '(') {
                int depth = 1;
                i++;
                while (i < n && depth > 0) {
                    char d = v.charAt(i);
                    if (d == '\\') {
                        i += 2;
                        continue;
                    }
                    if (d == '(') depth++;
                    if (d == ')') depth--;
                    i++;
                }
                if (depth > 0) return n;
            } else {
                break;
            }
        }
        return i;
    }

    /** RFC 2045 §5.1 token: US-ASCII printable except SPACE and tspecials. */
    private static boolean isTokenChar(char c) {
        return c > ' ' && c < 127 && "()<>@,;:\\\"/[]?=".indexOf(c) < 0;
    }

    /** A short printable excerpt of raw header text for assertion messages. */
    static String excerpt(String raw) {
        String s = raw.length() > 160 ? raw.substring(0, 120) + "...(" + raw.length() + " chars)..." + raw.substring(raw.length() - 20) : raw;
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '\r') sb.append("\\r");
            else if (c == '\n') sb.append("\\n");
            else if (c == '\t') sb.append("\\t");
            else if (c < ' ' || c == 127) sb.append(String.format("\\x%02x", (int) c));
            else sb.append(c);
        }
        return sb.toString();
    }
}
