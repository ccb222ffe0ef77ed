package org.postern.counters;

import java.time.Duration;
import java.util.List;

/**
 * Named counters: budgets per time window and tallies of what is open now. Keys are the caller's ("msg:192.0.2.1");
 * an implementation may prefix them. Every method is atomic per key, also across nodes when the counters are shared.
 *
 * <p>A budget is a sliding window: the count of the current fixed window plus the previous window's count weighted
 * by how much of it still lies inside the last {@code window} (as Cloudflare and nginx estimate it). A client cannot
 * get twice its budget by sending at a window boundary, and one budget costs two small keys, not one entry per
 * event.</p>
 */
public interface Counters extends AutoCloseable {

    /** Uses one unit of {@code key}'s budget of {@code limit} per {@code window}; false (nothing used) when none is left. */
    boolean tryTake(String key, int limit, Duration window);

    /** Whether one unit of the budget is left, without using it. */
    default boolean canTake(String key, int limit, Duration window) {
        return used(key, window) + 1 <= limit;
    }

    /** The units used in the last {@code window} (the sliding estimate; 0 for a key never used). */
    double used(String key, Duration window);

    /** Forgets what {@code key}'s budget per {@code window} used, on all nodes (a lockout lifted by a success). */
    void forget(String key, Duration window);

    /** One more of {@code key} is open (a connection); returns how many are open now, on all nodes. */
    long opened(String key);

    /** One of {@code key} closed. */
    void closed(String key);

    /** One more of each of {@code keys} is open; how many of each are open now (in one round trip where shared). */
    default long[] opened(List<String> keys) {
        return keys.stream().mapToLong(this::opened).toArray();
    }

    /** One of each of {@code keys} closed (in one round trip where shared). */
    default void closed(List<String> keys) {
        keys.forEach(this::closed);
    }

    /** How many of {@code key} are open now, on all nodes. */
    long openNow(String key);

    /** Releases connections and threads; counters of a shared store stay for the other nodes. */
    @Override
    default void close() { }
}
