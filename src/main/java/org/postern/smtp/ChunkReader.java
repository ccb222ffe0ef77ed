package org.postern.smtp;

import java.io.EOFException;
import java.io.IOException;

/**
 * Reads BDAT chunks (RFC 3030 §2): exactly the announced number of octets, no dot-stuffing, no end marker.
 * A chunk must be consumed even when it is refused, or its octets would be read as commands.
 */
final class ChunkReader {

    private ChunkReader() {
    }

    /** Reads {@code size} octets through the guard into the writer. */
    static void transfer(SmtpInput in, long size, ContentGuard guard, ContentWriter out) throws IOException {
        byte[] slice = new byte[(int) Math.min(size, SmtpInput.BUFFER_SIZE)];
        long remaining = size;
        while (remaining > 0) {
            int n = in.read(slice, 0, (int) Math.min(slice.length, remaining));
            if (n < 0) throw new EOFException("connection closed during BDAT");
            for (int i = 0; i < n; i++) guard.accept(slice[i] & 0xff);
            // Whatever the guard found, the message is refused at BDAT LAST: stop forwarding now.
            if (guard.bareLf() || guard.malformedDot() || guard.lineTooLong()) out.stop();
            out.write(slice, 0, n);
            remaining -= n;
        }
    }

    /** Consumes and drops {@code size} octets. */
    static void skip(SmtpInput in, long size) throws IOException {
        byte[] slice = new byte[(int) Math.min(size, SmtpInput.BUFFER_SIZE)];
        long remaining = size;
        while (remaining > 0) {
            int n = in.read(slice, 0, (int) Math.min(slice.length, remaining));
            if (n < 0) throw new EOFException("connection closed during BDAT");
            remaining -= n;
        }
    }
}
