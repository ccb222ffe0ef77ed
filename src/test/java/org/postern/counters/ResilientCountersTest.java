package org.postern.counters;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.testsupport.PrivateRedis;
import org.postern.testsupport.TestGateway;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Redis away: the node counts alone, says so once, and counts with the others again once Redis is back. */
class ResilientCountersTest {

    @TempDir Path dir;

    @Test
    void aNodeStartsAndCountsAloneWhenRedisIsDownFromTheStart() throws Exception {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        long start = System.nanoTime();
        try (var counters = new ResilientCounters(RedisCounters.connect("redis://127.0.0.1:" + closedPort, "t:", "n1", Duration.ofMillis(300),
                Clock.systemUTC()), new LocalCounters(Clock.systemUTC()), Duration.ofMillis(200), "redis://127.0.0.1:" + closedPort)) {
            assertThat(counters.inFallback()).isTrue();
            assertThat(counters.tryTake("msg:a", 1, Duration.ofMinutes(1))).isTrue();
            assertThat(counters.tryTake("msg:a", 1, Duration.ofMinutes(1))).isFalse();
            assertThat(counters.opened("conn:ip:a")).isEqualTo(1);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void countsAloneWhileRedisIsDownAndSharesAgainOnceItIsBack() {
        Logger logger = (Logger) LoggerFactory.getLogger(ResilientCounters.class);
        ListAppender<ILoggingEvent> seen = new ListAppender<>();
        seen.start();
        logger.addAppender(seen);
        Duration minute = Duration.ofMinutes(1);
        try (PrivateRedis redis = PrivateRedis.start(dir);
             var counters = new ResilientCounters(RedisCounters.connect(redis.url(), "t:", "n1", Duration.ofMillis(300), Clock.systemUTC()),
                     new LocalCounters(Clock.systemUTC()), Duration.ofMillis(200), redis.url());
             var other = RedisCounters.connect(redis.url(), "t:", "n2", Duration.ofMillis(300), Clock.systemUTC())) {
            assertThat(counters.tryTake("msg:a", 3, minute)).isTrue();
            assertThat(other.tryTake("msg:a", 3, minute)).isTrue();
            assertThat(counters.tryTake("msg:a", 3, minute)).isTrue();
            assertThat(counters.tryTake("msg:a", 3, minute)).as("the budget is shared with n2").isFalse();
            assertThat(counters.opened("conn:ip:a")).isEqualTo(1);
            assertThat(counters.inFallback()).isFalse();

            redis.stop();
            long started = System.nanoTime();
            // Alone: this node's own budget (nothing used here yet) and its own open connection.
            assertThat(counters.tryTake("msg:a", 3, minute)).isTrue();
            assertThat(counters.inFallback()).isTrue();
            assertThat(counters.openNow("conn:ip:a")).isEqualTo(1);
            for (int i = 0; i < 100; i++) counters.canTake("msg:a", 3, minute);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("an outage costs a timeout per retry period, not per call")
                    .isLessThan(Duration.ofSeconds(3));
            assertThat(counters.tryTake("msg:a", 3, minute)).isTrue();
            assertThat(counters.tryTake("msg:a", 3, minute)).isTrue();
            assertThat(counters.tryTake("msg:a", 3, minute)).isFalse();

            redis.startAgain(); // empty, as after a crash
            TestGateway.sleep(300);
            assertThat(counters.tryTake("msg:a", 3, minute)).as("the (new, empty) shared budget").isTrue();
            assertThat(counters.inFallback()).isFalse();
            try {
                other.openNow("x"); // n2 is a bare client: its pooled connection broke with the old server
            } catch (RuntimeException stale) {
                // expected once
            }
            assertThat(other.tryTake("msg:a", 3, minute)).isTrue();
            assertThat(other.used("msg:a", minute)).isEqualTo(2.0);
        } finally {
            logger.detachAppender(seen);
        }
        assertThat(seen.list.stream().filter(e -> e.getFormattedMessage().contains("unreachable"))).hasSize(1);
        assertThat(seen.list.stream().filter(e -> e.getFormattedMessage().contains("answers again"))).hasSize(1);
    }
}
