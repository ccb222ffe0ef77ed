package org.postern.smtp;

import java.io.EOFException;
import java.io.IOException;

/**
 * Reads DATA content up to the one end RFC 5321 §4.1.1.4 defines, CRLF.CRLF, removing dot-stuffing (§4.5.2) and
 * streaming every octet to a {@link ContentWriter}; nothing of the message is held in memory here.
 *
 * <p>A bare LF stops reading at once: the rest of the stream may be commands smuggled past a more lenient hop,
 * and the session closes the connection rather than read them. Other findings of the {@link ContentGuard} (a dot
 * next to a bare CR, an over-long line) only stop forwarding; reading goes on to the real CRLF.CRLF so the
 * session can refuse the message and stay in step with the client.</p>
 */
final class DotStuffedReader {

    /** How reading ended; end of stream and timeouts are thrown as {@link IOException}s instead. */
    enum Outcome {
        /** CRLF.CRLF arrived. */
        ENDED,
        /** A bare LF arrived; the rest of the stream was not read. */
        BARE_LF
    }

    private static final int LINE_START = 0;
    private static final int MID_LINE = 1;
    private static final int CR_SEEN = 2;
    private static final int DOT = 3;
    private static final int DOT_CR = 4;

    private DotStuffedReader() {
    }

    /**
     * @param afterFirstOctet runs once the client started sending, to switch from the DATA initiation timeout to
     *                        the data block timeout
     * @throws EOFException when the client closes the connection before CRLF.CRLF
     */
    static Outcome read(SmtpInput in, ContentGuard guard, ContentWriter out, Runnable afterFirstOctet)
            throws IOException {
        int state = LINE_START;
        boolean started = false;
        while (true) {
            int b = in.read();
            if (b < 0) throw new EOFException("connection closed during DATA");
            if (!started) {
                started = true;
                afterFirstOctet.run();
            }
            guard.accept(b);
            if (guard.bareLf()) return Outcome.BARE_LF;
            if (guard.malformedDot() || guard.lineTooLong()) out.stop();
            switch (state) {
                case LINE_START, MID_LINE -> state = b == '.' && state == LINE_START ? DOT : midLine(b, out);
                case CR_SEEN -> {
                    out.write('\r');
                    if (b == '\n') {
                        out.write('\n');
                        state = LINE_START;
                    } else {
                        state = midLine(b, out); // a stray CR is data
                    }
                }
                // RFC 5321 §4.5.2: a leading dot is removed; the line "." alone ends the data.
                case DOT -> state = b == '\r' ? DOT_CR : midLine(b, out);
                case DOT_CR -> {
                    if (b == '\n') return Outcome.ENDED;
                    out.write('\r'); // ".<CR>x": the guard flagged it; keep the octets consistent anyway
                    state = midLine(b, out);
                }
                default -> throw new IllegalStateException("state " + state);
            }
        }
    }

    private static int midLine(int b, ContentWriter out) {
        if (b == '\r') return CR_SEEN;
        out.write(b);
        return MID_LINE;
    }
}
