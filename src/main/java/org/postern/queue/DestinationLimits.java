package org.postern.queue;

import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Per-destination (recipient domain) concurrency and rate for outbound mail, so one big queue to one provider
 * neither opens more connections than it tolerates nor trips its rate limits (Postfix
 * {@code default_destination_concurrency_limit}, {@code default_destination_rate_delay}). A delivery waits for
 * its turn on its own virtual thread.
 */
final class DestinationLimits {

    private final int concurrency;
    private final long nanosBetween;
    private final ConcurrentHashMap<String, Destination> destinations = new ConcurrentHashMap<>();

    DestinationLimits(int concurrency, double perSecond) {
        this.concurrency = concurrency;
        this.nanosBetween = perSecond <= 0 ? 0 : (long) (1_000_000_000L / perSecond);
    }

    private final class Destination {
        final Semaphore slots = new Semaphore(concurrency, true);
        final ReentrantLock pace = new ReentrantLock(true);
        long nextStart;
    }

    /** A turn for {@code domain}: waits for a free slot and for the rate; close the permit when done. */
    Permit acquire(String domain) throws InterruptedException {
        Destination d = destinations.computeIfAbsent(domain.toLowerCase(Locale.ROOT), k -> new Destination());
        d.slots.acquire();
        try {
            if (nanosBetween > 0) {
                long wait;
                d.pace.lock();
                try {
                    long now = System.nanoTime();
                    long start = Math.max(now, d.nextStart);
                    d.nextStart = start + nanosBetween;
                    wait = start - now;
                } finally {
                    d.pace.unlock();
                }
                if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
        } catch (InterruptedException e) {
            d.slots.release();
            throw e;
        }
        return d.slots::release;
    }

    /** Deliveries to {@code domain} in progress now. */
    int inUse(String domain) {
        Destination d = destinations.get(domain.toLowerCase(Locale.ROOT));
        return d == null ? 0 : concurrency - d.slots.availablePermits();
    }

    @FunctionalInterface
    interface Permit extends AutoCloseable {
        @Override void close();
    }
}
