package org.postern.smtp;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * The session's only view of what the client sent: an 8 KiB buffer over the socket, read as bytes (never decoded
 * as text here), so that command lines, DATA content and BDAT chunks all come from the same place and pipelined
 * input is never lost or read twice (RFC 2920).
 *
 * <p>Before every read that may block, {@code beforeBlockingRead} runs: the session flushes its pending replies
 * there. That is the pipelining rule of RFC 2920 §3.2 in one place: replies to a pipelined group leave together,
 * and never later than the moment the server would wait for more input.</p>
 *
 * <p>Memory stays small per idle connection: the 8 KiB buffer plus a line buffer that starts at 128 octets and
 * grows only up to the command line limit; an over-long line is skipped, not stored.</p>
 */
final class SmtpInput {

    static final int BUFFER_SIZE = 8192;
    private static final int INITIAL_LINE_CAPACITY = 128;

    private final InputStream in;
    private final Runnable beforeBlockingRead;
    private final byte[] buf = new byte[BUFFER_SIZE];
    private int pos;
    private int limit;
    private byte[] line = new byte[INITIAL_LINE_CAPACITY];

    SmtpInput(InputStream in, Runnable beforeBlockingRead) {
        this.in = in;
        this.beforeBlockingRead = beforeBlockingRead;
    }

    /** How one command line ended. */
    enum Ending {
        /** CRLF, as RFC 5321 §2.3.8 requires. */
        CRLF,
        /** LF without CR before it. */
        BARE_LF,
        /** Longer than the limit; the rest up to the LF was skipped. */
        TOO_LONG
    }

    /** One command line without its line ending (empty when {@link Ending#TOO_LONG}). */
    record Line(byte[] bytes, Ending ending) {
    }

    /** Octets received but not yet consumed: pipelined input waiting its turn. */
    int buffered() {
        return limit - pos;
    }

    /**
     * Reads one command line of at most {@code maxOctets} including CRLF. Over-long lines are consumed up to their
     * LF without being stored (RFC 5321 §4.5.3.1.4), so a 10 MB "line" costs no memory.
     *
     * @throws EOFException when the client closes the connection, also in the middle of a line
     */
    Line readLine(int maxOctets) throws IOException {
        int length = 0;
        boolean tooLong = false;
        int maxContent = maxOctets - 1; // the LF itself is not stored; a CR before it is, and is removed below
        while (true) {
            if (pos == limit && !fill()) throw new EOFException("connection closed by client");
            int lf = indexOfLf();
            int end = lf >= 0 ? lf : limit;
            int n = end - pos;
            if (!tooLong) {
                if (length + n > maxContent) {
                    tooLong = true;
                } else {
                    ensureLineCapacity(length + n);
                    System.arraycopy(buf, pos, line, length, n);
                    length += n;
                }
            }
            pos = end;
            if (lf >= 0) {
                pos++; // consume the LF
                boolean cr = length > 0 && line[length - 1] == '\r';
                if (tooLong) return new Line(new byte[0], Ending.TOO_LONG);
                return new Line(Arrays.copyOf(line, cr ? length - 1 : length), cr ? Ending.CRLF : Ending.BARE_LF);
            }
        }
    }

    /** Next octet (0-255), or -1 at end of stream. The data readers use this; it is inlined by the JIT. */
    int read() throws IOException {
        if (pos == limit && !fill()) return -1;
        return buf[pos++] & 0xff;
    }

    /** Up to {@code len} octets into {@code dst}; -1 at end of stream. Serves buffered input first. */
    int read(byte[] dst, int off, int len) throws IOException {
        if (len == 0) return 0;
        if (pos == limit && !fill()) return -1;
        int n = Math.min(len, limit - pos);
        System.arraycopy(buf, pos, dst, off, n);
        pos += n;
        return n;
    }

    /**
     * Drops every buffered octet. STARTTLS uses this: plaintext pipelined after the STARTTLS command must never be
     * read as if it came over TLS (RFC 3207 §5, CVE-2011-0411); the TLS layer reads the socket, not this buffer.
     *
     * @return how many octets were dropped
     */
    int discardBuffered() {
        int dropped = limit - pos;
        pos = limit;
        return dropped;
    }

    /**
     * Reads once if nothing is buffered: the octets now waiting, or -1 at end of stream. With a read timeout set,
     * a silent client ends this with {@link java.net.SocketTimeoutException} and nothing is lost.
     */
    int awaitAny() throws IOException {
        if (pos == limit && !fill()) return -1;
        return limit - pos;
    }

    /** Capacity of the line buffer; tests check it never grows past the command line limit. */
    int lineBufferCapacity() {
        return line.length;
    }

    private int indexOfLf() {
        for (int i = pos; i < limit; i++) {
            if (buf[i] == '\n') return i;
        }
        return -1;
    }

    private void ensureLineCapacity(int needed) {
        if (needed > line.length) {
            line = Arrays.copyOf(line, Math.max(needed, line.length * 2));
        }
    }

    private boolean fill() throws IOException {
        beforeBlockingRead.run();
        int n = in.read(buf, 0, buf.length);
        if (n <= 0) {
            // A blocking socket stream never returns 0 for a non-empty buffer; treat it as the end.
            return false;
        }
        pos = 0;
        limit = n;
        return true;
    }
}
