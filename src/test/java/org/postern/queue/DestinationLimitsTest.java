package org.postern.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class DestinationLimitsTest {

    @Test
    void aDestinationGetsNoMoreDeliveriesAtOnceThanItsLimitAndOthersAreNotHeldUp() throws Exception {
        DestinationLimits limits = new DestinationLimits(2, 0);
        DestinationLimits.Permit a = limits.acquire("example.org");
        DestinationLimits.Permit b = limits.acquire("EXAMPLE.org");   // the same destination, whatever the case
        assertThat(limits.inUse("example.org")).isEqualTo(2);

        AtomicBoolean thirdStarted = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(1);
        Thread third = Thread.ofVirtual().start(() -> {
            try (DestinationLimits.Permit c = limits.acquire("example.org")) {
                thirdStarted.set(true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                done.countDown();
            }
        });
        try (DestinationLimits.Permit other = limits.acquire("example.net")) {
            assertThat(limits.inUse("example.net")).isEqualTo(1);
        }
        assertThat(done.await(300, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(thirdStarted).isFalse();
        a.close();
        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(thirdStarted).isTrue();
        b.close();
        third.join();
        assertThat(limits.inUse("example.org")).isZero();
    }

    @Test
    void aRateSpacesTheStartsOfDeliveriesToOneDestination() throws Exception {
        DestinationLimits limits = new DestinationLimits(10, 20);   // one start every 50 ms
        long t0 = System.nanoTime();
        for (int i = 0; i < 6; i++) {
            try (DestinationLimits.Permit p = limits.acquire("example.org")) {
                assertThat(p).isNotNull();
            }
        }
        long elapsedMs = (System.nanoTime() - t0) / 1_000_000;
        assertThat(elapsedMs).isGreaterThanOrEqualTo(240);   // the first starts at once, five more 50 ms apart
        long t1 = System.nanoTime();
        try (DestinationLimits.Permit p = limits.acquire("example.net")) {   // another destination: its own pace
            assertThat((System.nanoTime() - t1) / 1_000_000).isLessThan(50);
        }
    }
}
