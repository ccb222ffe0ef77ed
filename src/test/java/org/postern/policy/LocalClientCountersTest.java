package org.postern.policy;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class LocalClientCountersTest {

    private static final class MutableClock extends Clock {
        Instant now = Instant.parse("2026-11-28T00:00:00Z");
        @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    }

    @Test
    void messageBudgetRefillsWithTimeNotAtOnce() throws Exception {
        MutableClock clock = new MutableClock();
        LocalClientCounters counters = new LocalClientCounters(clock);
        InetAddress ip = InetAddress.getByName("192.0.2.1");
        for (int i = 0; i < 60; i++) assertThat(counters.takeMessage(ip, 60)).isTrue();
        assertThat(counters.takeMessage(ip, 60)).isFalse();
        assertThat(counters.hasMessageBudget(ip, 60)).isFalse();
        clock.now = clock.now.plus(Duration.ofSeconds(1));
        assertThat(counters.takeMessage(ip, 60)).isTrue();
        assertThat(counters.takeMessage(ip, 60)).isFalse();
        // Another client's budget is its own.
        assertThat(counters.takeMessage(InetAddress.getByName("192.0.2.2"), 60)).isTrue();
    }

    @Test
    void countsOpenConnectionsPerAddress() throws Exception {
        LocalClientCounters counters = new LocalClientCounters(Clock.systemUTC());
        InetAddress ip = InetAddress.getByName("192.0.2.1");
        counters.connectionOpened(ip);
        counters.connectionOpened(ip);
        assertThat(counters.openConnections(ip)).isEqualTo(2);
        counters.connectionClosed(ip);
        counters.connectionClosed(ip);
        assertThat(counters.openConnections(ip)).isZero();
    }
}
