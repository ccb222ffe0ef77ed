package org.postern.queue;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Idle SMTP/LMTP client connections kept open after a clean transaction, so the next message to the same server
 * skips connect, greeting, EHLO (and TLS) and QUIT — what Postfix does with its connection cache when mail for one
 * destination is backed up. A connection waits here at most {@link #IDLE_LIMIT} and is not reused once older than
 * {@link #REUSE_LIMIT} (Postfix: {@code smtp_connection_cache_time_limit = 2s},
 * {@code smtp_connection_reuse_time_limit = 300s}); a reaper says QUIT to the ones that expire. The client checks
 * a connection it takes with RSET first, and opens a new one when that fails (the server may have closed it).
 *
 * <p>At most {@code capacity} connections wait in all (the delivery workers, so one per worker). Thread-safe.
 */
final class SmtpConnectionCache implements AutoCloseable {

    static final Duration IDLE_LIMIT = Duration.ofSeconds(2);
    static final Duration REUSE_LIMIT = Duration.ofMinutes(5);
    /** How long QUIT to an expired or surplus connection may wait for the server's 221. */
    static final Duration QUIT_TIMEOUT = Duration.ofSeconds(2);

    /** A connection at rest: what its server offered after the last EHLO/LHLO, and when it was opened. */
    record Idle(SmtpConnection connection, SmtpClient.Extensions extensions, long openedNanos, long idleSinceNanos) {
    }

    private final int capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<String, ArrayDeque<Idle>> idle = new HashMap<>();
    private int size;
    private boolean closed;
    private Thread reaper;

    SmtpConnectionCache(int capacity) {
        this.capacity = capacity;
    }

    static String key(boolean lmtp, String host, int port) {
        return (lmtp ? "lmtp:" : "smtp:") + host + ":" + port;
    }

    /** The most recently used idle connection to the server, if one is still young enough; the caller owns it. */
    Optional<Idle> take(String key) {
        List<Idle> expired = new ArrayList<>();
        Optional<Idle> found = Optional.empty();
        lock.lock();
        try {
            ArrayDeque<Idle> q = idle.get(key);
            long now = System.nanoTime();
            while (q != null && !q.isEmpty()) {
                Idle i = q.pollLast();
                size--;
                if (reusable(i, now)) {
                    found = Optional.of(i);
                    break;
                }
                expired.add(i);
            }
            if (q != null && q.isEmpty()) idle.remove(key);
        } finally {
            lock.unlock();
        }
        expired.forEach(SmtpConnectionCache::quitLater);
        return found;
    }

    /**
     * Keeps a connection whose last transaction ended cleanly; false (and the caller says QUIT itself) when the
     * cache is closed or full, or the connection is too old to be reused.
     */
    boolean offer(String key, SmtpConnection connection, SmtpClient.Extensions extensions, long openedNanos) {
        long now = System.nanoTime();
        if (now - openedNanos >= REUSE_LIMIT.toNanos()) return false;
        lock.lock();
        try {
            if (closed || size >= capacity) return false;
            idle.computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(new Idle(connection, extensions, openedNanos, now));
            size++;
            if (reaper == null) reaper = Thread.ofVirtual().name("smtp-connection-cache").start(this::reap);
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Says QUIT to every idle connection (without waiting for the replies) and keeps no more. */
    @Override
    public void close() {
        List<Idle> all = new ArrayList<>();
        lock.lock();
        try {
            closed = true;
            idle.values().forEach(all::addAll);
            idle.clear();
            size = 0;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        all.forEach(SmtpConnectionCache::quitLater);
    }

    int size() {
        lock.lock();
        try {
            return size;
        } finally {
            lock.unlock();
        }
    }

    private static boolean reusable(Idle i, long now) {
        return now - i.idleSinceNanos() < IDLE_LIMIT.toNanos() && now - i.openedNanos() < REUSE_LIMIT.toNanos();
    }

    private void reap() {
        while (true) {
            List<Idle> expired = new ArrayList<>();
            lock.lock();
            try {
                if (closed) return;
                long now = System.nanoTime();
                long nextDue = Long.MAX_VALUE;
                for (Iterator<ArrayDeque<Idle>> qs = idle.values().iterator(); qs.hasNext(); ) {
                    ArrayDeque<Idle> q = qs.next();
                    for (Iterator<Idle> it = q.iterator(); it.hasNext(); ) {
                        Idle i = it.next();
                        if (reusable(i, now)) {
                            nextDue = Math.min(nextDue, i.idleSinceNanos() + IDLE_LIMIT.toNanos());
                        } else {
                            it.remove();
                            size--;
                            expired.add(i);
                        }
                    }
                    if (q.isEmpty()) qs.remove();
                }
                if (expired.isEmpty()) {
                    long wait = nextDue == Long.MAX_VALUE ? IDLE_LIMIT.toNanos() : Math.max(1_000_000, nextDue - now);
                    changed.await(wait, TimeUnit.NANOSECONDS);
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            expired.forEach(SmtpConnectionCache::quitLater);
        }
    }

    private static void quitLater(Idle i) {
        quitLater(i.connection());
    }

    /** QUIT, a short wait for the 221, close: on its own virtual thread, so no caller waits for a slow server. */
    static void quitLater(SmtpConnection c) {
        Thread.ofVirtual().name("smtp-connection-quit").start(() -> {
            try {
                c.setReadTimeout(QUIT_TIMEOUT);
                c.send("QUIT");
                c.flush();
                c.read();
            } catch (java.io.IOException ignored) {
                // it is being closed anyway
            } finally {
                c.close();
            }
        });
    }
}
