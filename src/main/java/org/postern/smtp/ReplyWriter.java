package org.postern.smtp;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Queues replies and writes them in one go. The session queues each reply as it is decided and flushes when the
 * client can be waiting for it: before any blocking read (see {@link SmtpInput}), after a command that ends a
 * pipelined group, and before closing. So the replies to a pipelined batch leave in one write (RFC 2920 §3.2).
 *
 * <p>The buffer starts small and shrinks back after a large batch, so idle connections hold almost nothing.
 * A lock (not {@code synchronized}, so virtual threads never pin) lets the server's shutdown write a last 421 from
 * another thread; the time a write has been blocked is visible to the server's watchdog, since Java sockets have no
 * write timeout and a client that never reads would otherwise hold the session forever.</p>
 */
final class ReplyWriter {

    private static final int INITIAL_CAPACITY = 256;
    private static final int SHRINK_ABOVE = 8192;

    private final ReentrantLock lock = new ReentrantLock();
    private OutputStream out;
    private byte[] pending = new byte[INITIAL_CAPACITY];
    private int count;
    private volatile long writeStartedNanos;

    ReplyWriter(OutputStream out) {
        this.out = out;
    }

    /** Queues one reply; nothing is sent until {@link #flush()}. */
    void queue(Reply reply) {
        byte[] wire = reply.toWire().getBytes(StandardCharsets.UTF_8);
        lock.lock();
        try {
            if (count + wire.length > pending.length) {
                pending = Arrays.copyOf(pending, Math.max(count + wire.length, pending.length * 2));
            }
            System.arraycopy(wire, 0, pending, count, wire.length);
            count += wire.length;
        } finally {
            lock.unlock();
        }
    }

    boolean hasPending() {
        lock.lock();
        try {
            return count > 0;
        } finally {
            lock.unlock();
        }
    }

    /** Sends everything queued in one write. */
    void flush() throws IOException {
        lock.lock();
        try {
            if (count == 0) return;
            writeStartedNanos = System.nanoTime();
            try {
                out.write(pending, 0, count);
                out.flush();
            } finally {
                writeStartedNanos = 0;
                count = 0;
                if (pending.length > SHRINK_ABOVE) pending = new byte[INITIAL_CAPACITY];
            }
        } finally {
            lock.unlock();
        }
    }

    /** Queues and flushes one reply. */
    void send(Reply reply) throws IOException {
        queue(reply);
        flush();
    }

    /** Nanos since a write began that has not finished, or 0 when no write is in progress. */
    long blockedWriteNanos(long now) {
        long started = writeStartedNanos;
        return started == 0 ? 0 : now - started;
    }

    /** Continues on another stream (the TLS one after STARTTLS); anything still queued is dropped. */
    void switchTo(OutputStream next) {
        lock.lock();
        try {
            out = next;
            count = 0;
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code action} while no reply can be queued or written, for the shutdown's last word. */
    void exclusively(Runnable action) {
        lock.lock();
        try {
            action.run();
        } finally {
            lock.unlock();
        }
    }
}
