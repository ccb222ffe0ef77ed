package org.postern.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.postern.queue.QueueTesting.WAIT;
import static org.postern.queue.QueueTesting.awaitTrue;
import static org.postern.queue.QueueTesting.envelope;
import static org.postern.queue.QueueTesting.files;
import static org.postern.queue.QueueTesting.openSpool;
import static org.postern.queue.QueueTesting.queue;
import static org.postern.queue.QueueTesting.settings;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.postern.testsupport.Downstreams;
import org.postern.testsupport.Downstreams.BlackHole;
import org.postern.trace.TraceStatus;

@Timeout(60)
class DeliverySchedulerTest {

    @TempDir Path dir;
    private final RecordingListener events = new RecordingListener();

    @Test
    void neverRunsMoreAttemptsAtOnceThanItHasWorkers() throws Exception {
        DeliverySettings two = settings().withWorkers(2).withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(1500));
        try (BlackHole hole = Downstreams.blackHole();
             FileSpool spool = openSpool(dir.resolve("data"), two, events, Clock.systemUTC())) {
            for (int i = 0; i < 4; i++) queue(spool, envelope("W" + i, hole.smtpUrl(), "u" + i + "@contoso.test"), "x\r\n");
            awaitTrue(() -> hole.connectionCount() >= 2, WAIT, "two connections");
            Thread.sleep(300);
            assertThat(hole.connectionCount()).isEqualTo(2);   // the other two wait for a worker
            assertThat(spool.depth()).isEqualTo(4);
            events.await(4, e -> e.outcome() == TraceStatus.Deferred, WAIT);
            assertThat(hole.connectionCount()).isEqualTo(4);
        }
    }

    @Test
    void closeInterruptsAttemptsStillRunningAfterTheGraceAndKeepsTheMessage() throws IOException {
        DeliverySettings slow = settings().withShutdownGrace(Duration.ofMillis(200)).withWorkers(1)
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(30));
        try (BlackHole hole = Downstreams.blackHole()) {
            FileSpool spool = openSpool(dir.resolve("data"), slow, events, Clock.systemUTC());
            queue(spool, envelope("G1", hole.smtpUrl(), "alice@contoso.test"), "x\r\n");
            queue(spool, envelope("G2", hole.smtpUrl(), "bob@contoso.test"), "x\r\n");   // waits for the one worker
            awaitTrue(() -> hole.connectionCount() == 1, WAIT, "a connection");
            long start = System.nanoTime();
            spool.close();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            assertThat(files(dir.resolve("data/spool/queue"))).map(p -> p.getFileName().toString())
                    .filteredOn(n -> n.endsWith(".env.json")).hasSize(2);
        }
    }

    @Test
    void aListenerThatThrowsDoesNotStopDelivery() throws IOException {
        Path mail = dir.resolve("mail");
        DeliveryListener throwing = e -> {
            events.attempted(e);
            throw new IllegalStateException("trace store down");
        };
        try (FileSpool spool = openSpool(dir.resolve("data"), settings(), throwing, Clock.systemUTC())) {
            queue(spool, envelope("E1", "maildir:" + mail, "a@contoso.test"), "x\r\n");
            queue(spool, envelope("E2", "maildir:" + mail, "b@contoso.test"), "x\r\n");
            events.await(2, e -> e.outcome() == TraceStatus.Delivered, WAIT);
            awaitTrue(() -> spool.depth() == 0, WAIT, "depth 0");
        }
    }
}
