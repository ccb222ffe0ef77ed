package org.postern.queue;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The DATA encoding of RFC 5321 §4.5.2: a '.' that begins a line is doubled, and {@link #finish()} ends the data
 * with CRLF.CRLF (adding the CRLF when the content does not end with one). Nothing else is changed.
 *
 * <p>A line begins after CRLF, and — defensively — also after a bare CR or LF. The edge refuses bare LF, but if
 * one ever got into the spool, a lenient downstream could read "LF . CRLF" as the end of data and take the rest
 * as a second message (SMTP smuggling). Stuffing there costs a strict downstream one extra '.' in a malformed
 * message and protects a lenient one.
 */
final class DotStuffingOutputStream extends FilterOutputStream {

    private int previous = '\n';   // the start of the data is the start of a line
    private int beforePrevious = '\r';

    DotStuffingOutputStream(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        if (b == '.' && (previous == '\n' || previous == '\r')) out.write('.');
        out.write(b);
        beforePrevious = previous;
        previous = b & 0xFF;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        int start = off;
        int end = off + len;
        for (int i = off; i < end; i++) {
            int prev = i == off ? previous : b[i - 1];
            if (b[i] == '.' && (prev == '\n' || prev == '\r')) {
                out.write(b, start, i - start + 1);   // up to and including the dot ...
                start = i;                            // ... which is written again with what follows
            }
        }
        out.write(b, start, end - start);
        if (len >= 2) {
            beforePrevious = b[end - 2] & 0xFF;
            previous = b[end - 1] & 0xFF;
        } else if (len == 1) {
            beforePrevious = previous;
            previous = b[end - 1] & 0xFF;
        }
    }

    /** Ends the data: CRLF if the content did not end with one, then ".CRLF". Flushes; does not close. */
    void finish() throws IOException {
        if (!(beforePrevious == '\r' && previous == '\n')) out.write(new byte[] {'\r', '\n'});
        out.write(new byte[] {'.', '\r', '\n'});
        out.flush();
    }

    /** Closing the DATA stream must not close the connection. */
    @Override
    public void close() throws IOException {
        flush();
    }
}
