package org.postern.edge;

import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Streams the received message through, removing from its header section what no outsider may set: every
 * {@code X-Postern-*} field and any {@code Authentication-Results} that claims our host name (RFC 8601 §5:
 * a receiver must delete results purporting to be its own). The body passes untouched, byte for byte.
 * On the way it notes Message-ID and Subject for the trace, and the Received chain for enhanced filtering.
 *
 * <p>Fields are judged whole, with their folded lines. A field longer than {@link #MAX_FIELD} is not buffered:
 * its name decides — one of ours (or any oversize Authentication-Results, which cannot be judged) is dropped,
 * any other passes as it came. A bare CR inside a field is read both ways later parsers read it (Mime4j drops
 * it, others break the line there), and the field is removed if either reading makes it one of ours.</p>
 */
public final class IncomingHeaderFilter extends FilterOutputStream {

    static final int MAX_FIELD = 64 * 1024;

    private enum Mode { BUFFERING, PASSING, DROPPING }

    private final String ourHost;
    private final ByteArrayOutputStream field = new ByteArrayOutputStream(256);
    private Mode mode = Mode.BUFFERING;
    private boolean inBody;
    private boolean atLineStart = true;
    private boolean crAtLineStart;
    private int lastByte = -1;
    private int strippedFields;
    private Optional<String> messageId = Optional.empty();
    private Optional<String> subject = Optional.empty();
    private final List<String> fromFields = new ArrayList<>();
    private boolean arcFields;
    private final List<String> received = new ArrayList<>();
    /** Enough Received fields to walk back through any chain of hops a tenant names for enhanced filtering. */
    private static final int MAX_RECEIVED = 30;

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
        b &= 0xff;
        if (crAtLineStart) {
            crAtLineStart = false;
            if (b == '\n') { // CRLF alone: the end of the header section
                endField();
                out.write('\r');
                out.write('\n');
                inBody = true;
                return;
            }
            startField();
            append('\r');
        } else if (atLineStart) {
            atLineStart = false;
            boolean continuation = (b == ' ' || b == '\t') && (field.size() > 0 || mode != Mode.BUFFERING);
            if (!continuation) {
                if (b == '\r') {
                    crAtLineStart = true;
                    lastByte = b;
                    return;
                }
                startField();
            }
        }
        append(b);
        if (b == '\n' && lastByte == '\r') atLineStart = true;
        lastByte = b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        for (int i = 0; i < len; i++) {
            if (inBody) {
                out.write(b, off + i, len - i);
                return;
            }
            write(b[off + i]);
        }
    }

    private void startField() throws IOException {
        endField();
        mode = Mode.BUFFERING;
    }

    private void append(int b) throws IOException {
        switch (mode) {
            case PASSING -> out.write(b);
            case DROPPING -> { }
            case BUFFERING -> {
                field.write(b);
                if (field.size() > MAX_FIELD) {
                    String name = nameOf(field.toString(StandardCharsets.ISO_8859_1));
                    if (isOurs(name) || name.equals("authentication-results")) {
                        strippedFields++;
                        mode = Mode.DROPPING;
                    } else {
                        field.writeTo(out);
                        mode = Mode.PASSING;
                    }
                    field.reset();
                }
            }
        }
    }

    /** The current field is complete: judge a buffered one, forget an oversize one. */
    private void endField() throws IOException {
        if (mode != Mode.BUFFERING) {
            mode = Mode.BUFFERING;
            return;
        }
        if (field.size() == 0) return;
        byte[] f = field.toByteArray();
        field.reset();
        String text = new String(f, StandardCharsets.ISO_8859_1);
        // Mime4j's reading: folds and stray CRs removed.
        String unfolded = text.replace("\r\n", "").replace("\r", "");
        boolean forged = forged(unfolded);
        // A reading that breaks lines at a bare CR may see a field of ours after it.
        for (String segment : text.split("\r(?!\n)")) {
            forged |= forged(segment.replace("\r\n", ""));
        }
        if (forged) {
            strippedFields++;
            return;
        }
        String name = nameOf(unfolded);
        String value = valueOf(unfolded);
        if (name.equals("message-id") && messageId.isEmpty()) messageId = Optional.of(utf8(value).trim());
        if (name.equals("from") && fromFields.size() < 16) fromFields.add(utf8(value).trim());
        if (name.startsWith("arc-")) arcFields = true;
        if (name.equals("received") && received.size() < MAX_RECEIVED) received.add(utf8(value).trim());
        if (name.equals("subject") && subject.isEmpty()) {
            subject = Optional.of(DecoderUtil.decodeEncodedWords(utf8(value).trim(), DecodeMonitor.SILENT));
        }
        out.write(f);
    }

    private boolean forged(String unfoldedField) {
        String name = nameOf(unfoldedField);
        return isOurs(name) || (name.equals("authentication-results") && claimsUs(valueOf(unfoldedField)));
    }

    private static boolean isOurs(String name) {
        return name.startsWith("x-postern-");
    }

    private static String nameOf(String field) {
        int colon = field.indexOf(':');
        return colon > 0 ? field.substring(0, colon).trim().toLowerCase(Locale.ROOT) : "";
    }

    private static String valueOf(String field) {
        int colon = field.indexOf(':');
        return colon > 0 ? field.substring(colon + 1) : "";
    }

    /** RFC 8601 §2.2: value = [CFWS] authserv-id [CFWS authres-version] ... where authserv-id is a token or quoted string. */
    private boolean claimsUs(String value) {
        int i = skipCfws(value, 0);
        StringBuilder id = new StringBuilder();
        if (i < value.length() && value.charAt(i) == '"') {
            for (i++; i < value.length() && value.charAt(i) != '"'; i++) {
                if (value.charAt(i) == '\\' && i + 1 < value.length()) i++;
                id.append(value.charAt(i));
            }
        } else {
            for (; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == ' ' || c == '\t' || c == ';' || c == '(' || c == '"') break;
                id.append(c);
            }
        }
        return id.toString().trim().toLowerCase(Locale.ROOT).equals(ourHost);
    }

    private static int skipCfws(String s, int i) {
        int depth = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (depth > 0) {
                if (c == '\\') i++;
                else if (c == '(') depth++;
                else if (c == ')') depth--;
            } else if (c == '(') {
                depth = 1;
            } else if (c != ' ' && c != '\t') {
                break;
            }
            i++;
        }
        return i;
    }

    private static String utf8(String latin1) {
        return new String(latin1.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    /** Call once all content was written: judges a header section that had no body. */
    public void finish() throws IOException {
        if (!inBody) {
            if (crAtLineStart) {
                crAtLineStart = false;
                startField();
                append('\r');
            }
            endField();
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

    /** Every From field's value (RFC 5322 allows one; DMARC must see them all to refuse several). */
    public List<String> fromFields() { return List.copyOf(fromFields); }

    /** Whether any ARC-* field arrived: only then does ARC validation read the message. */
    public boolean hasArcFields() { return arcFields; }
    /** The values of the first Received fields, top (most recent) first, unfolded: the message's path, for enhanced filtering. */
    public List<String> received() { return List.copyOf(received); }
}
