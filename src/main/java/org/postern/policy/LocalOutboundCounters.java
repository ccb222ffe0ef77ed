package org.postern.policy;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link OutboundCounters} in this node's memory: fixed windows (the hour, the day, counted from the epoch in UTC),
 * as a Redis {@code INCR}+{@code EXPIRE} counter would be. Windows that have ended are dropped as new ones start.
 */
public final class LocalOutboundCounters implements OutboundCounters {

    private record Window(String key, long start) { }

    private final Clock clock;
    private final Map<Window, Long> counts = new ConcurrentHashMap<>();

    public LocalOutboundCounters(Clock clock) {
        this.clock = clock;
    }

    @Override
    public boolean tryTake(String key, int limit, Duration window) {
        long n = 1;
        long length = window.toMillis();
        long now = clock.millis();
        Window w = new Window(key + "/" + length, now - Math.floorMod(now, length));
        boolean[] counted = {false};
        counts.compute(w, (k, v) -> {
            long current = v == null ? 0 : v;
            if (current + n > limit) return v;
            counted[0] = true;
            return current + n;
        });
        if (counts.size() > 10_000) counts.keySet().removeIf(k -> k.start() + Long.parseLong(k.key().substring(k.key().lastIndexOf('/') + 1)) <= now);
        return counted[0];
    }
}
