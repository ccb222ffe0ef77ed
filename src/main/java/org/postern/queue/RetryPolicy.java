package org.postern.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * When a temporarily failed recipient is tried again: after {@code initialBackoff}, doubling each time up to
 * {@code maxBackoff}; once the message is {@code maxAge} old, the next temporary failure is final ("expired").
 * The last retry is pulled forward to the expiry time, so a message never sits in the queue past its age limit.
 */
public record RetryPolicy(Duration initialBackoff, Duration maxBackoff, Duration maxAge) {

    public RetryPolicy {
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(maxAge, "maxAge");
        if (initialBackoff.isNegative() || initialBackoff.isZero()) throw new IllegalArgumentException("initialBackoff must be positive");
        if (maxBackoff.compareTo(initialBackoff) < 0) throw new IllegalArgumentException("maxBackoff must be >= initialBackoff");
        if (maxAge.isNegative()) throw new IllegalArgumentException("maxAge must not be negative");
    }

    /** 1 minute doubling up to 1 hour; a message expires after 2 days (Postfix uses 5 days; mail to a tenant's own server should not wait that long). */
    public static RetryPolicy defaults() {
        return new RetryPolicy(Duration.ofMinutes(1), Duration.ofHours(1), Duration.ofDays(2));
    }

    /** The wait after the given number of failed attempts (1 = after the first). */
    public Duration backoff(int failedAttempts) {
        Duration d = initialBackoff;
        for (int i = 1; i < failedAttempts && d.compareTo(maxBackoff) < 0; i++) d = d.multipliedBy(2);
        return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
    }

    /** True once the message has been queued for {@code maxAge}: a temporary failure is then final. */
    public boolean expired(Instant receivedAt, Instant now) {
        return !now.isBefore(receivedAt.plus(maxAge));
    }

    /** The next attempt after {@code failedAttempts} failures, never later than the expiry time. */
    public Instant nextAttempt(int failedAttempts, Instant receivedAt, Instant now) {
        Instant next = now.plus(backoff(failedAttempts));
        Instant expiry = receivedAt.plus(maxAge);
        return next.isAfter(expiry) ? expiry : next;
    }
}
