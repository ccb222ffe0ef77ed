package org.postern.policy;

import java.time.Duration;

/**
 * Recipients a submission user and a tenant sent in the current window (an hour, a day). An interface so that
 * counters shared by every node (Redis) can replace the node-local ones: a user who spreads mail over several nodes
 * must meet the same limit.
 */
public interface OutboundCounters {

    /**
     * Counts {@code n} recipients for {@code key} in the current fixed window of length {@code window}, unless that
     * would take the count past {@code limit}; then nothing is counted.
     *
     * @return whether the recipients were counted (false: the limit is reached)
     */
    boolean tryCount(String key, Duration window, long n, long limit);
}
