package org.postern.content;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Ends a message's header where a mail client would, by putting the missing blank line before the body. mime4j
 * drops every line up to the first empty one that is no field, so a spammer who leaves out the blank line (or a
 * corpus kept as "Subject:" and text) would hide the whole body, attachments included, from the filters; mime4j's
 * own switch for this ("malformed header starts body") breaks on a multipart body ("unread only works when a buffer is
 * fully read"). As SpamAssassin (MISSING_HB_SEP) reads it, the body starts at a line that begins with {@code --} (a
 * MIME boundary) or at a line that is no field where the next line is no field either; a single stray line between
 * fields (a Content-Type parameter a mailer failed to fold) stays a broken header line, which mime4j skips.
 *
 * <p>Streams: it holds an 8 KB read-ahead and at most the start of two lines. Only the top-level header is touched;
 * everything after the first empty line passes unchanged.
 */
public final class HeaderEnd extends FilterInputStream {

    /** RFC 5322 lines are at most 998 characters; a longer line without a colon is text, not a field. */
    private static final int MAX_LINE = 998;

    /** What the start of a header line shows. */
    private enum LineStart { FIELD, CONTINUATION, END_OF_HEADER, MBOX_ENVELOPE, BOUNDARY, NO_FIELD, END_OF_INPUT }

    private final byte[] pending = new byte[2 * (MAX_LINE + 2) + 2];
    private int pendingStart;
    private int pendingEnd;
    /** Read ahead from the stream in blocks: judging a header a byte at a time from it cost a third of a parse. */
    private final byte[] input = new byte[8192];
    private int inputPos;
    private int inputEnd;
    private final byte[] one = new byte[1];
    private boolean inHeader = true;
    private boolean atLineStart = true;
    private boolean firstLine = true;
    private boolean lineEndedWithCr = true;
    private int previous = -1;
    private boolean inserted;

    public HeaderEnd(InputStream in) {
        super(in);
    }

    /** Whether a blank line had to be put before the body (the header was malformed). */
    public boolean insertedBlankLine() {
        return inserted;
    }

    @Override
    public int read() throws IOException {
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        int n = 0;
        while (n < len) {
            if (pendingStart < pendingEnd) {
                int chunk = Math.min(len - n, pendingEnd - pendingStart);
                System.arraycopy(pending, pendingStart, b, off + n, chunk);
                pendingStart += chunk;
                n += chunk;
            } else if (!inHeader || !atLineStart) {
                if (inputPos == inputEnd) {
                    if (n > 0) break;
                    if (!inHeader) return in.read(b, off, len);
                    if (!refill()) break;
                }
                n += passOn(b, off + n, len - n);
            } else {
                judge();
                if (pendingStart == pendingEnd) break; // the input ended
            }
        }
        return n == 0 ? -1 : n;
    }

    /** Copies read-ahead bytes out: in the header up to the end of the current line, after it as many as fit. */
    private int passOn(byte[] b, int off, int len) {
        int chunk = Math.min(len, inputEnd - inputPos);
        if (inHeader) {
            for (int i = inputPos; i < inputPos + chunk; i++) {
                if (input[i] == '\n') {
                    chunk = i - inputPos + 1;
                    atLineStart = true;
                    lineEndedWithCr = (i > inputPos ? input[i - 1] : previous) == '\r';
                    break;
                }
            }
            previous = input[inputPos + chunk - 1];
        }
        System.arraycopy(input, inputPos, b, off, chunk);
        inputPos += chunk;
        return chunk;
    }

    private boolean refill() throws IOException {
        int n = in.read(input, 0, input.length);
        if (n <= 0) return false;
        inputPos = 0;
        inputEnd = n;
        return true;
    }

    private int nextByte() throws IOException {
        if (inputPos == inputEnd && !refill()) return -1;
        return input[inputPos++] & 0xff;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = 0;
        while (skipped < n && read() >= 0) skipped++;
        return skipped;
    }

    @Override
    public int available() throws IOException {
        return pendingEnd - pendingStart + inputEnd - inputPos + (inHeader ? 0 : in.available());
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** Puts the next judged line start, or two, into {@code pending}; at a line start in the header only. */
    private void judge() throws IOException {
        pendingStart = 0;
        pendingEnd = 0;
        boolean crBefore = lineEndedWithCr;
        LineStart line = judgeLineStart();
        firstLine = false;
        switch (line) {
            case END_OF_HEADER -> inHeader = false;
            case BOUNDARY -> startBody(crBefore);
            case NO_FIELD -> {
                // One stray line between fields is a broken field; text goes on for more than one line.
                if (!atLineStart && !restOfLine()) {
                    startBody(crBefore);
                    return;
                }
                LineStart next = judgeLineStart();
                if (next != LineStart.FIELD && next != LineStart.CONTINUATION) startBody(crBefore);
            }
            default -> { }
        }
    }

    /**
     * Reads the start of a line into {@code pending} until it is clear what it is; a field or continuation is read
     * up to its colon or first blank, and the rest of the line follows later.
     */
    private LineStart judgeLineStart() throws IOException {
        int lineStart = pendingEnd;
        boolean blankAfterName = false;
        while (true) {
            int c = nextByte();
            if (c < 0) return LineStart.END_OF_INPUT;
            append(c);
            int length = pendingEnd - lineStart;
            byte first = pending[lineStart];
            if (length == 1) {
                if (c == ' ' || c == '\t') return LineStart.CONTINUATION;
                if (c == '\n') return LineStart.END_OF_HEADER;
                if (c == '\r') continue;
            }
            if (first == '\r') return c == '\n' && length == 2 ? LineStart.END_OF_HEADER : LineStart.NO_FIELD;
            if (length == 2 && first == '-' && c == '-') return LineStart.BOUNDARY;
            if (c == ':') return length > 1 ? LineStart.FIELD : LineStart.NO_FIELD;
            if (firstLine && length == 5 && startsWith(lineStart, "From ")) return LineStart.MBOX_ENVELOPE;
            if (c == ' ' || c == '\t') {
                blankAfterName = true; // the obsolete "Name :" still makes a field
            } else if (blankAfterName || c <= 32 || c >= 127) {
                return LineStart.NO_FIELD;
            }
            if (length >= MAX_LINE) return LineStart.NO_FIELD;
        }
    }

    /**
     * Reads the rest of the line that starts {@code pending}; false when it is longer than a header line may be (998
     * characters and its line end) or the input ends.
     */
    private boolean restOfLine() throws IOException {
        while (pendingEnd < MAX_LINE + 2) {
            int c = nextByte();
            if (c < 0) return false;
            append(c);
            if (c == '\n') return true;
        }
        return false;
    }

    private void append(int c) {
        pending[pendingEnd++] = (byte) c;
        atLineStart = c == '\n';
        if (atLineStart) lineEndedWithCr = previous == '\r';
        previous = c;
    }

    private boolean startsWith(int offset, String text) {
        for (int i = 0; i < text.length(); i++) {
            if (pending[offset + i] != text.charAt(i)) return false;
        }
        return true;
    }

    /** The header ends before what {@code pending} holds: a blank line (ended like the header's lines) goes first. */
    private void startBody(boolean crlf) {
        int blank = crlf ? 2 : 1;
        System.arraycopy(pending, 0, pending, blank, pendingEnd);
        if (crlf) pending[0] = '\r';
        pending[blank - 1] = '\n';
        pendingEnd += blank;
        inHeader = false;
        inserted = true;
    }
}
