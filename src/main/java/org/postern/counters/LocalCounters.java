package org.postern.counters;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * This node's counters, in memory: the default without Redis, and what {@link ResilientCounters} falls back to.
 * Budgets whose windows have passed are dropped once the map grows, so a scan over many addresses does not keep
 * memory.
 */
public final class LocalCounters implements Counters {

    private static final int PRUNE_AT = 50_000;

    private final Clock clock;
    private final ConcurrentHashMap<String, Budget> budgets = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicLong> open = new ConcurrentHashMap<>();

    public LocalCounters(Clock clock) {
        this.clock = clock;
    }

    @Override
    public boolean tryTake(String key, int limit, Duration window) {
        SlidingWindow w = SlidingWindow.at(clock.millis(), window);
        if (budgets.size() > PRUNE_AT) prune(w.index());
        return budgets.computeIfAbsent(budgetKey(key, window), k -> new Budget()).take(w, limit);
    }

    @Override
    public double used(String key, Duration window) {
        Budget b = budgets.get(budgetKey(key, window));
        return b == null ? 0 : b.used(SlidingWindow.at(clock.millis(), window));
    }

    @Override
    public void forget(String key, Duration window) {
        budgets.remove(budgetKey(key, window));
    }

    @Override
    public long opened(String key) {
        return open.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
    }

    @Override
    public void closed(String key) {
        open.computeIfPresent(key, (k, v) -> v.decrementAndGet() <= 0 ? null : v);
    }

    @Override
    public long openNow(String key) {
        AtomicLong n = open.get(key);
        return n == null ? 0 : n.get();
    }

    private static String budgetKey(String key, Duration window) {
        return key + '/' + window.toMillis();
    }

    /** Drops budgets last used two windows ago or earlier: they count nothing any more. */
    private void prune(long currentIndex) {
        budgets.values().removeIf(b -> b.stale(currentIndex));
    }

    private static final class Budget {
        private long index = Long.MIN_VALUE;
        private long previous;
        private long current;

        synchronized boolean take(SlidingWindow w, int limit) {
            roll(w.index());
            if (w.estimate(previous, current) + 1 > limit) return false;
            current++;
            return true;
        }

        synchronized double used(SlidingWindow w) {
            roll(w.index());
            return w.estimate(previous, current);
        }

        synchronized boolean stale(long currentIndex) {
            return index < currentIndex - 1;
        }

        private void roll(long now) {
            if (now == index) return;
            previous = now == index + 1 ? current : 0;
            current = 0;
            index = now;
        }
    }
}
