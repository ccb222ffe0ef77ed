package org.postern.counters;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postern.testsupport.PrivateRedis;
import org.postern.testsupport.TestClock;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The shared counters against the machine's Redis (127.0.0.1:6379), each test under a prefix of its own. */
class RedisCountersTest {

    private static final Duration HOUR = Duration.ofHours(1);

    private String url;
    private String prefix;
    private final List<Counters> open = new ArrayList<>();

    @BeforeEach
    void setUp() {
        url = PrivateRedis.requireShared();
        prefix = PrivateRedis.randomPrefix();
    }

    @AfterEach
    void tearDown() {
        open.forEach(Counters::close);
        PrivateRedis.deleteKeys(url, prefix);
    }

    private RedisCounters node(String name, Clock clock) {
        RedisCounters c = RedisCounters.connect(url, prefix, name, Duration.ofSeconds(2), clock);
        c.heartbeat();
        open.add(c);
        return c;
    }

    @Test
    void twoHundredConcurrentTakesFromTwoNodesOfABudgetOfFiftyGetExactlyFifty() throws InterruptedException {
        RedisCounters a = node("a", Clock.systemUTC());
        RedisCounters b = node("b", Clock.systemUTC());
        AtomicInteger granted = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            RedisCounters node = i % 2 == 0 ? a : b;
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    start.await();
                    if (node.tryTake("msg:192.0.2.1", 50, HOUR)) granted.incrementAndGet();
                } catch (RuntimeException | InterruptedException e) {
                    failed.incrementAndGet();
                }
            }));
        }
        start.countDown();
        for (Thread t : threads) t.join(Duration.ofSeconds(30));
        assertThat(failed.get()).isZero();
        assertThat(granted.get()).isEqualTo(50);
        assertThat(a.used("msg:192.0.2.1", HOUR)).isEqualTo(50.0);
        assertThat(b.canTake("msg:192.0.2.1", 50, HOUR)).isFalse();
        assertThat(b.canTake("msg:192.0.2.2", 50, HOUR)).isTrue();
    }

    /** Local and Redis budgets slide alike: the previous window counts by how much of it is still within reach. */
    @ParameterizedTest
    @ValueSource(strings = {"local", "redis"})
    void aBudgetSlidesWithTheWindow(String kind) {
        TestClock clock = new TestClock(Instant.ofEpochSecond(60L * 29_000_000)); // the start of a one-minute window
        Counters c = kind.equals("local") ? new LocalCounters(clock) : node("a", clock);
        Duration minute = Duration.ofMinutes(1);
        for (int i = 0; i < 10; i++) assertThat(c.tryTake("rcpt:x", 10, minute)).as("take %d", i).isTrue();
        assertThat(c.tryTake("rcpt:x", 10, minute)).isFalse();
        assertThat(c.used("rcpt:x", minute)).isEqualTo(10.0);

        clock.advance(Duration.ofSeconds(90)); // half-way into the next window: the ten count half
        assertThat(c.used("rcpt:x", minute)).isEqualTo(5.0);
        int more = 0;
        while (c.tryTake("rcpt:x", 10, minute)) more++;
        assertThat(more).isEqualTo(5);

        clock.advance(Duration.ofSeconds(120)); // two windows on: nothing of it counts any more
        assertThat(c.used("rcpt:x", minute)).isZero();
        assertThat(c.canTake("rcpt:x", 10, minute)).isTrue();
    }

    @Test
    void forgettingABudgetClearsItForEveryNode() {
        RedisCounters a = node("a", Clock.systemUTC());
        RedisCounters b = node("b", Clock.systemUTC());
        for (int i = 0; i < 5; i++) a.tryTake("authfail:u:ann", Integer.MAX_VALUE, HOUR);
        assertThat(b.used("authfail:u:ann", HOUR)).isEqualTo(5.0);
        b.forget("authfail:u:ann", HOUR);
        assertThat(a.used("authfail:u:ann", HOUR)).isZero();
    }

    @Test
    void openTalliesAreSharedAndANodeThatShutsDownStopsCounting() {
        RedisCounters a = node("a", Clock.systemUTC());
        RedisCounters b = node("b", Clock.systemUTC());
        assertThat(a.opened("conn:ip:192.0.2.7")).isEqualTo(1);
        assertThat(b.opened("conn:ip:192.0.2.7")).isEqualTo(2);
        assertThat(a.opened("conn:ip:192.0.2.7")).isEqualTo(3);
        assertThat(b.openNow("conn:ip:192.0.2.7")).isEqualTo(3);
        b.closed("conn:ip:192.0.2.7");
        assertThat(a.openNow("conn:ip:192.0.2.7")).isEqualTo(2);
        b.closed("conn:ip:192.0.2.7"); // more closings than openings never go below zero
        assertThat(b.openNow("conn:ip:192.0.2.7")).isEqualTo(2);
        assertThat(a.openNow("conn:ip:192.0.2.8")).isZero();

        // Several tallies in one round trip, as a connection counts its address and its network.
        assertThat(b.opened(List.of("conn:ip:192.0.2.9", "conn:net:192.0.2.0/24"))).containsExactly(1, 1);
        assertThat(a.opened(List.of("conn:ip:192.0.2.10", "conn:net:192.0.2.0/24"))).containsExactly(1, 2);
        a.closed(List.of("conn:ip:192.0.2.10", "conn:net:192.0.2.0/24"));
        assertThat(b.openNow("conn:net:192.0.2.0/24")).isEqualTo(1);
        assertThat(b.openNow("conn:ip:192.0.2.10")).isZero();

        a.close(); // shut down with two connections counted: they are gone with the node
        open.remove(a);
        assertThat(b.openNow("conn:ip:192.0.2.7")).isZero();
    }
}
