package org.postern.counters;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Shared counters that never stop the mail: Redis while it answers, this node's own counters while it does not.
 * The switch is logged once each way and shown by {@link #inFallback()} (the {@code postern_shared_counters_fallback}
 * gauge). While Redis is away it is asked again at most once per {@code retry} (and by the heartbeat), so an outage
 * costs one timeout per retry period, not one per SMTP command.
 *
 * <p>Open tallies are kept locally too, always, so the fallback knows this node's open connections. Compromise: a
 * connection opened during an outage is not in Redis; when it closes after recovery, the node's Redis count is
 * lowered anyway (never below zero), so the shared count may be low by the outage's connections while they last.</p>
 */
public final class ResilientCounters implements Counters {

    private static final Logger log = LoggerFactory.getLogger(ResilientCounters.class);

    private final RedisCounters shared;
    private final LocalCounters local;
    private final Duration retry;
    private final String where;
    private final AtomicBoolean fallback = new AtomicBoolean();
    private volatile long nextTryNanos;
    private final ScheduledExecutorService heartbeat;

    /** @param where what to name in the log (the URL without credentials) */
    public ResilientCounters(RedisCounters shared, LocalCounters local, Duration retry, String where) {
        this.shared = shared;
        this.local = local;
        this.retry = retry;
        this.where = where;
        beat();
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("redis-heartbeat").daemon().factory());
        long period = RedisCounters.HEARTBEAT.toMillis();
        heartbeat.scheduleAtFixedRate(this::beat, period, period, TimeUnit.MILLISECONDS);
    }

    /** True while Redis does not answer and this node counts alone. */
    public boolean inFallback() {
        return fallback.get();
    }

    @Override
    public boolean tryTake(String key, int limit, Duration window) {
        return call(() -> shared.tryTake(key, limit, window), () -> local.tryTake(key, limit, window));
    }

    @Override
    public boolean canTake(String key, int limit, Duration window) {
        return call(() -> shared.canTake(key, limit, window), () -> local.canTake(key, limit, window));
    }

    @Override
    public double used(String key, Duration window) {
        return call(() -> shared.used(key, window), () -> local.used(key, window));
    }

    @Override
    public void forget(String key, Duration window) {
        local.forget(key, window);
        call(() -> {
            shared.forget(key, window);
            return null;
        }, () -> null);
    }

    @Override
    public long opened(String key) {
        long here = local.opened(key);
        return call(() -> shared.opened(key), () -> here);
    }

    @Override
    public void closed(String key) {
        local.closed(key);
        call(() -> {
            shared.closed(key);
            return null;
        }, () -> null);
    }

    @Override
    public long[] opened(List<String> keys) {
        long[] here = local.opened(keys);
        return call(() -> shared.opened(keys), () -> here);
    }

    @Override
    public void closed(List<String> keys) {
        local.closed(keys);
        call(() -> {
            shared.closed(keys);
            return null;
        }, () -> null);
    }

    @Override
    public long openNow(String key) {
        return call(() -> shared.openNow(key), () -> local.openNow(key));
    }

    @Override
    public void close() {
        heartbeat.shutdownNow();
        shared.close();
    }

    private void beat() {
        // Forces a try even during the retry pause: the heartbeat is the recovery probe of an idle node.
        nextTryNanos = 0;
        call(() -> {
            shared.heartbeat();
            return null;
        }, () -> null);
    }

    private <T> T call(Supplier<T> redis, Supplier<T> here) {
        if (fallback.get() && System.nanoTime() - nextTryNanos < 0) return here.get();
        try {
            T value = redis.get();
            if (fallback.compareAndSet(true, false)) log.info("shared counters: Redis {} answers again; counting with the other nodes", where);
            return value;
        } catch (RuntimeException e) { // JedisException and its kin: connection refused, timeout, pool exhausted, script error
            nextTryNanos = System.nanoTime() + retry.toNanos();
            if (fallback.compareAndSet(false, true)) {
                log.warn("shared counters: Redis {} unreachable ({}); counting on this node alone until it answers", where, e.toString());
            }
            return here.get();
        }
    }
}
