package org.postern.smtp;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Carries content octets from a reader into the {@link MessageSink}, counting them (RFC 1870 size: after
 * unstuffing, CRLFs included). Once the size limit is passed, the message is known to be refused or the sink
 * fails, it stops forwarding but keeps counting, so the reader can still consume the client's data to its end and
 * the protocol stays in step.
 *
 * <p>Octets are staged in an 8 KiB array of its own (the DATA reader hands them over one at a time, and the JDK's
 * BufferedOutputStream takes a lock per call); the array exists only while a message is being received. The
 * session flushes before {@link MessageSink#complete(long)}; closing the sink's stream is the sink's job.</p>
 */
final class ContentWriter {

    private final long maxSize;
    private final byte[] staged = new byte[SmtpInput.BUFFER_SIZE];
    private int count;
    private OutputStream out;
    private long size;
    private boolean tooLarge;
    private boolean sinkFailed;
    private boolean stopped;

    ContentWriter(MessageSink sink, long maxSize) {
        this.maxSize = maxSize;
        try {
            this.out = sink.content();
        } catch (IOException | RuntimeException e) {
            sinkFailed = true;
        }
    }

    void write(int b) {
        size++;
        if (!accepting()) return;
        if (count == staged.length) drain();
        staged[count++] = (byte) b;
    }

    void write(byte[] b, int off, int len) {
        size += len;
        if (!accepting()) return;
        if (len > staged.length - count) drain();
        if (len >= staged.length) {
            forward(b, off, len);
        } else {
            System.arraycopy(b, off, staged, count, len);
            count += len;
        }
    }

    /** Pushes staged octets into the sink and flushes it; a failure here is a sink failure like any other. */
    void flush() {
        if (!accepting()) return;
        drain();
        if (sinkFailed) return;
        try {
            out.flush();
        } catch (IOException | RuntimeException e) {
            sinkFailed = true;
        }
    }

    /** The message will be refused anyway (smuggling, line too long): forward nothing more, keep counting. */
    void stop() {
        stopped = true;
        count = 0;
    }

    long size() { return size; }
    boolean tooLarge() { return tooLarge; }
    boolean sinkFailed() { return sinkFailed; }

    private boolean accepting() {
        if (size > maxSize) tooLarge = true;
        return !tooLarge && !sinkFailed && !stopped;
    }

    private void drain() {
        if (count > 0) {
            int n = count;
            count = 0;
            forward(staged, 0, n);
        }
    }

    private void forward(byte[] b, int off, int len) {
        if (sinkFailed) return;
        try {
            out.write(b, off, len);
        } catch (IOException | RuntimeException e) {
            sinkFailed = true;
        }
    }
}
