package org.postern.smtp;

import java.util.List;
import java.util.Objects;

/**
 * One SMTP reply: basic code (RFC 5321 §4.2), enhanced status code (RFC 3463) and text lines.
 * The session writes it; nothing else formats reply digits.
 */
public record Reply(int code, String enhanced, List<String> lines) {

    public Reply {
        if (code < 200 || code > 599) throw new IllegalArgumentException("reply code " + code);
        Objects.requireNonNull(enhanced, "enhanced");
        lines = List.copyOf(lines);
        if (lines.isEmpty()) throw new IllegalArgumentException("a reply needs text");
        for (String line : lines) {
            if (line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("reply text must not contain CR or LF");
            }
        }
    }

    public static Reply of(int code, String enhanced, String text) {
        return new Reply(code, enhanced, List.of(text));
    }

    /**
     * The usual banner for {@link SessionHandler#connect}: {@code 220 <hostname> ESMTP Postern}. RFC 5321 §4.2
     * puts the server's domain first; no enhanced code, as the client cannot know yet that we send them.
     */
    public static Reply greeting(String hostname) {
        return new Reply(220, "", List.of(hostname + " ESMTP Postern"));
    }

    public boolean isPositive() { return code < 400; }
    public boolean isTransient() { return code >= 400 && code < 500; }
    public boolean isPermanent() { return code >= 500; }

    /** First line of text, for logs and traces. */
    public String text() { return lines.get(0); }

    /** Wire form, CRLF-terminated, multi-line with "code-" continuation lines. */
    public String toWire() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            sb.append(code).append(i < lines.size() - 1 ? '-' : ' ');
            if (!enhanced.isEmpty()) sb.append(enhanced).append(' ');
            sb.append(lines.get(i)).append("\r\n");
        }
        return sb.toString();
    }

    @Override public String toString() { return code + " " + (enhanced.isEmpty() ? "" : enhanced + " ") + String.join(" / ", lines); }
}
