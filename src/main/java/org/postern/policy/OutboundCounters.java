package org.postern.policy;

import java.time.Duration;

/**
 * Recipients a submission user and a tenant sent in the current window (an hour, a day). An interface so that
 * counters shared by every node can replace the node-local ones — a user who spreads mail over several nodes must
 * meet the same limit. Its one method has the shape of {@code org.postern.counters.Counters#tryTake}: the node's
 * counters (Redis-backed when {@code redis:} is configured, else this node's own) plug in as {@code counters::tryTake}.
 */
@FunctionalInterface
public interface OutboundCounters {

    /**
     * Counts one recipient for {@code key} in the (sliding) window of length {@code window}, unless that would take
     * the count past {@code limit}; then nothing is counted.
     *
     * @return whether the recipient was counted (false: the limit is reached)
     */
    boolean tryTake(String key, int limit, Duration window);
}
