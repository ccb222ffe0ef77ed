package org.postern.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private final RetryPolicy policy = RetryPolicy.defaults();
    private final Instant received = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void backsOffOneMinuteDoublingUpToOneHour() {
        assertThat(policy.backoff(1)).isEqualTo(Duration.ofMinutes(1));
        assertThat(policy.backoff(2)).isEqualTo(Duration.ofMinutes(2));
        assertThat(policy.backoff(3)).isEqualTo(Duration.ofMinutes(4));
        assertThat(policy.backoff(7)).isEqualTo(Duration.ofMinutes(60));
        assertThat(policy.backoff(8)).isEqualTo(Duration.ofHours(1));
        assertThat(policy.backoff(10_000)).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void expiresAfterTwoDaysByDefault() {
        assertThat(policy.expired(received, received.plus(Duration.ofDays(2)).minusSeconds(1))).isFalse();
        assertThat(policy.expired(received, received.plus(Duration.ofDays(2)))).isTrue();
    }

    @Test
    void neverSchedulesARetryPastTheExpiryTime() {
        Instant late = received.plus(Duration.ofDays(2)).minus(Duration.ofMinutes(10));
        assertThat(policy.nextAttempt(20, received, late)).isEqualTo(received.plus(Duration.ofDays(2)));
        assertThat(policy.nextAttempt(1, received, received)).isEqualTo(received.plusSeconds(60));
    }

    @Test
    void refusesNonsenseSettings() {
        assertThatThrownBy(() -> new RetryPolicy(Duration.ZERO, Duration.ofHours(1), Duration.ofDays(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetryPolicy(Duration.ofHours(2), Duration.ofHours(1), Duration.ofDays(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
