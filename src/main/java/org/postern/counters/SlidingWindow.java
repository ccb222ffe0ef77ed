package org.postern.counters;

import java.time.Duration;

/**
 * The arithmetic of a sliding-window budget, shared by the local and the Redis counters so both judge alike: which
 * fixed window {@code now} falls in, and how much of the previous window still counts.
 */
record SlidingWindow(long index, double previousWeight, long windowMillis) {

    static SlidingWindow at(long nowMillis, Duration window) {
        long w = Math.max(1, window.toMillis());
        long index = Math.floorDiv(nowMillis, w);
        long intoCurrent = nowMillis - index * w;
        return new SlidingWindow(index, (double) (w - intoCurrent) / w, w);
    }

    double estimate(long previous, long current) {
        return previous * previousWeight + current;
    }
}
