package org.postern.content;

import java.util.Objects;

/**
 * The decoded text of one text/plain or text/html part (HTML already turned into text).
 *
 * @param mimeType        e.g. {@code text/plain}
 * @param declaredCharset the charset parameter as written, "" when absent
 * @param text            Unicode text, at most the view's per-part cap
 * @param truncated       whether the part had more than the view read
 * @param depth           nesting depth (0 = the message body itself)
 */
public record TextPart(String mimeType, String declaredCharset, String text, boolean truncated, int depth) {
    public TextPart {
        Objects.requireNonNull(mimeType);
        Objects.requireNonNull(declaredCharset);
        Objects.requireNonNull(text);
    }

    public boolean isHtml() {
        return mimeType.equals("text/html");
    }
}
