package org.postern.edge;

import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * Streams the received message through, removing from its header section what no outsider may set: every
 * {@code X-Postern-*} field and any {@code Authentication-Results} that claims our host name (RFC 8601 §5:
 * a receiver must delete results purporting to be its own). The body passes untouched, byte for byte.
 * On the way it notes Message-ID and Subject for the trace.
 *
 * <p>Fields are judged whole (with their folded lines). A single field longer than {@link #MAX_FIELD} is
 * passed through unjudged rather than buffered: no legitimate field of ours is that long.</p>
 */
public final class IncomingHeaderFilter extends FilterOutputStream {

    static final int MAX_FIELD = 64 * 1024;

    private final String ourHost;
    private final ByteArrayOutputStream field = new ByteArrayOutputStream(256);
    private boolean inBody;
    private boolean fieldTooLong;
    private int lastByte = -1;
    private int strippedFields;
    private Optional<String> messageId = Optional.empty();
    private Optional<String> subject = Optional.empty();
    // The current physical line, to recognise the start of a new field (not a continuation) and the blank line.
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(128);

    public IncomingHeaderFilter(OutputStream out, String ourHost) {
        super(out);
        this.ourHost = ourHost.toLowerCase(Locale.ROOT);
    }

    @Override
    public void write(int b) throws IOException {
        if (inBody) {
            out.write(b);
            return;
        }
        if (line.size() < MAX_FIELD) line.write(b);
        else if (!fieldTooLong) spillOversizeField();
        if (fieldTooLong) out.write(b);
        if (b == '\n' && lastByte == '\r') endOfLine();
        lastByte = b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (inBody) {
            out.write(b, off, len);
            return;
        }
        for (int i = 0; i < len; i++) {
            write(b[off + i]);
            if (inBody) {
                out.write(b, off + i + 1, len - i - 1);
                return;
            }
        }
    }

    private void spillOversizeField() throws IOException {
        fieldTooLong = true;
        byte[] start = line.toByteArray();
        boolean continuation = start.length > 0 && (start[0] == ' ' || start[0] == '\t');
        if (continuation) {
            field.writeTo(out); // the field this line continues is too long to judge: it passes as it came
            field.reset();
        } else {
            finishField();
        }
        line.writeTo(out);
    }

    private void endOfLine() throws IOException {
        byte[] l = line.toByteArray();
        line.reset();
        if (fieldTooLong) {
            // The rest of the oversize field has been written through; a continuation keeps it going.
            fieldTooLong = false;
            return;
        }
        boolean continuation = l.length > 2 && (l[0] == ' ' || l[0] == '\t');
        if (continuation && field.size() > 0) {
            if (field.size() + l.length > MAX_FIELD) {
                field.writeTo(out);
                field.reset();
                out.write(l);
            } else {
                field.write(l);
            }
            return;
        }
        finishField();
        if (l.length == 2) { // CRLF alone: end of the header section
            out.write(l);
            inBody = true;
            return;
        }
        field.write(l);
    }

    private void finishField() throws IOException {
        if (field.size() == 0) return;
        byte[] f = field.toByteArray();
        field.reset();
        String text = new String(f, StandardCharsets.ISO_8859_1);
        int colon = text.indexOf(':');
        String name = colon > 0 ? text.substring(0, colon).trim().toLowerCase(Locale.ROOT) : "";
        String value = colon > 0 ? unfold(text.substring(colon + 1)) : "";
        if (name.startsWith("x-postern-") || (name.equals("authentication-results") && claimsUs(value))) {
            strippedFields++;
            return;
        }
        if (name.equals("message-id") && messageId.isEmpty()) messageId = Optional.of(utf8(value).trim());
        if (name.equals("subject") && subject.isEmpty()) {
            subject = Optional.of(DecoderUtil.decodeEncodedWords(utf8(value).trim(), DecodeMonitor.SILENT));
        }
        out.write(f);
    }

    private boolean claimsUs(String value) {
        String v = value.trim();
        int semi = v.indexOf(';');
        String authservId = (semi < 0 ? v : v.substring(0, semi)).trim();
        int space = authservId.indexOf(' ');
        if (space > 0) authservId = authservId.substring(0, space); // authserv-id [ version ]
        return authservId.toLowerCase(Locale.ROOT).equals(ourHost);
    }

    private static String unfold(String s) {
        return s.replace("\r\n", "");
    }

    private static String utf8(String latin1) {
        return new String(latin1.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    /** Call once all content was written: flushes a header section that had no body. */
    public void finish() throws IOException {
        if (!inBody) {
            if (line.size() > 0 && !fieldTooLong) {
                // An unterminated last line: judge it as part of the field it belongs to.
                byte[] l = line.toByteArray();
                line.reset();
                boolean continuation = l.length > 0 && (l[0] == ' ' || l[0] == '\t');
                if (!continuation) finishField();
                field.write(l);
            }
            finishField();
        }
        flush();
    }

    @Override
    public void close() throws IOException {
        finish();
        super.close();
    }

    public int strippedFields() { return strippedFields; }

    public Optional<String> messageId() { return messageId; }

    public Optional<String> subject() { return subject; }
}
