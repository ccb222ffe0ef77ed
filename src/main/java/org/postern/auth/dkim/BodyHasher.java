package org.postern.auth.dkim;

import java.io.OutputStream;
import java.security.MessageDigest;

/**
 * Canonicalizes a body as it streams (RFC 6376 §3.4.3 simple, §3.4.4 relaxed) and hashes it, stopping the hash
 * at an {@code l=} limit. Memory is constant: empty lines and trailing white space are counted, not buffered, and
 * written only once something follows them.
 *
 * <p>Line ends: CRLF, and also a bare LF (stored messages with Unix line ends; the same compromise as
 * {@link HeaderSection}). A bare CR is an ordinary octet.</p>
 */
final class BodyHasher extends OutputStream {

    private static final byte[] CRLF = {'\r', '\n'};

    private final boolean relaxed;
    private final MessageDigest digest;
    private final long limit;

    private final byte[] buffer = new byte[8192];
    private int buffered;

    private long canonicalLength;
    private long hashedLength;
    private long pendingLineEnds;
    private boolean pendingSpace;
    private boolean pendingCr;
    private boolean anyContent;
    private byte[] hash;

    /**
     * @param limit octets of canonical body to hash ({@code l=}), or {@code Long.MAX_VALUE} for all of it
     */
    BodyHasher(Canonicalization canonicalization, MessageDigest digest, long limit) {
        this.relaxed = canonicalization == Canonicalization.RELAXED;
        this.digest = digest;
        this.limit = limit;
    }

    @Override
    public void write(int b) {
        byte octet = (byte) b;
        if (pendingCr) {
            pendingCr = false;
            if (octet == '\n') {
                endLine();
                return;
            }
            content((byte) '\r');
        }
        switch (octet) {
            case '\r' -> pendingCr = true;
            case '\n' -> endLine();
            case ' ', '\t' -> {
                if (relaxed) {
                    pendingSpace = true;
                } else {
                    content(octet);
                }
            }
            default -> content(octet);
        }
    }

    @Override
    public void write(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) write(b[i]);
    }

    /** Ends the body; returns its hash. Simple: an empty body is one CRLF. Relaxed: it is empty. */
    byte[] finish() {
        if (hash == null) {
            if (pendingCr) {
                pendingCr = false;
                content((byte) '\r');
            }
            if (anyContent || !relaxed) emit(CRLF, 0, 2); // the last line's CRLF, present or added
            flush();
            hash = digest.digest();
        }
        return hash.clone();
    }

    /** The canonical body length seen so far (all of it, not only what {@code l=} covers). */
    long canonicalLength() {
        return canonicalLength;
    }

    private void endLine() {
        pendingLineEnds++;
        pendingSpace = false;
    }

    private void content(byte octet) {
        while (pendingLineEnds > 0) {
            emit(CRLF, 0, 2);
            pendingLineEnds--;
        }
        if (pendingSpace) {
            pendingSpace = false;
            emit((byte) ' ');
        }
        anyContent = true;
        emit(octet);
    }

    private void emit(byte octet) {
        canonicalLength++;
        if (hashedLength >= limit) return;
        hashedLength++;
        buffer[buffered++] = octet;
        if (buffered == buffer.length) flush();
    }

    private void emit(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) emit(b[i]);
    }

    @Override
    public void flush() {
        digest.update(buffer, 0, buffered);
        buffered = 0;
    }
}
