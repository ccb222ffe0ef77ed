package org.postern.queue;

import org.postern.testsupport.TestClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.postern.queue.QueueTesting.WAIT;
import static org.postern.queue.QueueTesting.awaitTrue;
import static org.postern.queue.QueueTesting.closedPort;
import static org.postern.queue.QueueTesting.envelope;
import static org.postern.queue.QueueTesting.files;
import static org.postern.queue.QueueTesting.openSpool;
import static org.postern.queue.QueueTesting.queue;
import static org.postern.queue.QueueTesting.settings;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.postern.testsupport.Downstreams;
import org.postern.testsupport.Downstreams.BlackHole;
import org.postern.testsupport.Downstreams.SinkMessage;
import org.postern.testsupport.Downstreams.SmtpSink;
import org.postern.trace.DeliveryEvent;
import org.postern.trace.TraceStatus;

/** Delivery over SMTP to a real Postfix smtp-sink (which stores what it got with LF line ends, unstuffed). */
@Timeout(60)
class SmtpDeliveryTest {

    @TempDir Path dir;
    private final RecordingListener events = new RecordingListener();

    private Path data() { return dir.resolve("data"); }

    @Test
    void deliversPrependedHeadersAndContentWithEnvelopeAndSize() throws IOException {
        try (SmtpSink sink = Downstreams.smtpSink(dir.resolve("dump"));
             FileSpool spool = openSpool(data(), settings(), events, Clock.systemUTC())) {
            String content = "From: a@example.org\r\nSubject: hello\r\n\r\nfirst line\r\nsecond line\r\n";
            queue(spool, envelope("S1", sink.smtpUrl(), "alice@contoso.test", "bob@contoso.test"), content);
            DeliveryEvent e = events.awaitOne("alice@contoso.test", TraceStatus.Delivered, WAIT);
            events.awaitOne("bob@contoso.test", TraceStatus.Delivered, WAIT);
            assertThat(e.detail()).startsWith("127.0.0.1:" + sink.port() + " said: 250").endsWith("(in reply to end of DATA)");
            assertThat(e.target()).isEqualTo(sink.smtpUrl());

            SinkMessage m = sink.awaitMessages(1, WAIT).getFirst();
            assertThat(m.helo()).isEqualTo(QueueTesting.HOST);
            assertThat(m.mailFrom()).isEqualTo("sender@example.org");
            assertThat(m.mailArgs()).isEqualTo("<sender@example.org>");   // smtp-sink offers no SIZE
            assertThat(m.recipients()).containsExactly("alice@contoso.test", "bob@contoso.test");
            assertThat(m.content()).isEqualTo((QueueTesting.PREPEND + content).replace("\r\n", "\n"));
            awaitTrue(() -> spool.depth() == 0, WAIT, "depth 0");
            assertThat(files(data().resolve("spool/queue"))).isEmpty();
        }
    }

    @Test
    void dotStuffsLinesBeginningWithADotSoTheyArriveUnchanged() throws IOException {
        try (SmtpSink sink = Downstreams.smtpSink(dir.resolve("dump"));
             FileSpool spool = openSpool(data(), settings(), events, Clock.systemUTC())) {
            String body = ".leading dot\r\n..two dots\r\n.\r\nafter a lone dot\r\n. space\r\n";
            queue(spool, envelope("S2", sink.smtpUrl(), "alice@contoso.test"), "Subject: dots\r\n\r\n" + body);
            events.awaitOne("alice@contoso.test", TraceStatus.Delivered, WAIT);
            assertThat(sink.awaitMessages(1, WAIT).getFirst().body()).isEqualTo(body.replace("\r\n", "\n"));
        }
    }

    @Test
    void sendsTheNullSenderAsEmptyAngleBrackets() throws IOException {
        try (SmtpSink sink = Downstreams.smtpSink(dir.resolve("dump"));
             FileSpool spool = openSpool(data(), settings(), events, Clock.systemUTC())) {
            Envelope e = new Envelope("S3", "contoso", "", List.of("alice@contoso.test"), sink.smtpUrl(), Instant.now(), "", false);
            queue(spool, e, "Subject: bounce\r\n\r\nx\r\n");
            events.awaitOne("alice@contoso.test", TraceStatus.Delivered, WAIT);
            assertThat(sink.awaitMessages(1, WAIT).getFirst().mailArgs()).startsWith("<>");
        }
    }

    @Test
    void temporaryFailureIsDeferredThenDeliveredOnRetry() throws IOException {
        try (SmtpSink failing = Downstreams.smtpSinkTempFailing(dir.resolve("dump-fail"), "RCPT");
             SmtpSink healthy = Downstreams.smtpSink(dir.resolve("dump-ok"));
             SwitchableProxy proxy = new SwitchableProxy(failing.port());
             FileSpool spool = openSpool(data(), settings(), events, Clock.systemUTC())) {
            DeliveryScheduler scheduler = schedulerOf(spool);
            queue(spool, envelope("S4", proxy.smtpUrl(), "alice@contoso.test"), "Subject: retry\r\n\r\nx\r\n");
            DeliveryEvent first = events.awaitAny("alice@contoso.test", WAIT);
            assertThat(first.outcome()).isEqualTo(TraceStatus.Deferred);
            assertThat(first.attempt()).isEqualTo(1);
            assertThat(first.detail()).contains("said: 450").contains("(in reply to RCPT TO)");
            assertThat(spool.depth()).isEqualTo(1);

            proxy.switchTo(healthy.port());
            scheduler.retryNow();
            DeliveryEvent second = events.awaitOne("alice@contoso.test", TraceStatus.Delivered, WAIT);
            assertThat(second.attempt()).isEqualTo(2);
            assertThat(healthy.awaitMessages(1, WAIT)).hasSize(1);
            awaitTrue(() -> spool.depth() == 0, WAIT, "depth 0");
        }
    }

    @Test
    void permanentFailureFailsAtOnceAndIsNeverRetried() throws Exception {
        try (SmtpSink sink = Downstreams.smtpSinkRejecting(dir.resolve("dump"), "RCPT");
             FileSpool spool = openSpool(data(), settings(), events, Clock.systemUTC())) {
            queue(spool, envelope("S5", sink.smtpUrl(), "alice@contoso.test"), "Subject: no\r\n\r\nx\r\n");
            DeliveryEvent e = events.awaitAny("alice@contoso.test", WAIT);
            assertThat(e.outcome()).isEqualTo(TraceStatus.Failed);
            assertThat(e.detail()).contains("said: 500").contains("RCPT TO");
            awaitTrue(() -> spool.depth() == 0, WAIT, "depth 0");
            schedulerOf(spool).retryNow();
            Thread.sleep(200);
            assertThat(events.events()).hasSize(1);
            assertThat(files(data().resolve("spool/queue"))).isEmpty();
        }
    }

    @Test
    void rejectedDataFailsOnlyTheAcceptedRecipientsWithTheDataReply() throws IOException {
        try (SmtpSink sink = Downstreams.smtpSinkRejecting(dir.resolve("dump"), ".");
             FileSpool spool = openSpool(data(), settings(), events, Clock.systemUTC())) {
            queue(spool, envelope("S6", sink.smtpUrl(), "alice@contoso.test", "bob@contoso.test"), "Subject: no\r\n\r\nx\r\n");
            List<DeliveryEvent> both = events.await(2, e -> e.outcome() == TraceStatus.Failed, WAIT);
            assertThat(both).allSatisfy(e -> assertThat(e.detail()).contains("(in reply to end of DATA)"));
        }
    }

    @Test
    void downstreamThatNeverAnswersIsDeferredAfterTheReadTimeout() throws IOException {
        DeliverySettings quick = settings().withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(1));
        try (BlackHole hole = Downstreams.blackHole();
             FileSpool spool = openSpool(data(), quick, events, Clock.systemUTC())) {
            long start = System.nanoTime();
            queue(spool, envelope("S7", hole.smtpUrl(), "alice@contoso.test"), "Subject: x\r\n\r\nx\r\n");
            DeliveryEvent e = events.awaitAny("alice@contoso.test", WAIT);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(e.outcome()).isEqualTo(TraceStatus.Deferred);
            assertThat(e.detail()).contains("timeout after 1s").contains("initial greeting");
            assertThat(took).isBetween(Duration.ofMillis(900), Duration.ofSeconds(5));   // generous: CI machines are busy
            assertThat(hole.connectionCount()).isEqualTo(1);
        }
    }

    @Test
    void refusedConnectionIsDeferred() throws IOException {
        try (FileSpool spool = openSpool(data(), settings(), events, Clock.systemUTC())) {
            queue(spool, envelope("S8", "smtp://127.0.0.1:" + closedPort(), "alice@contoso.test"), "Subject: x\r\n\r\nx\r\n");
            DeliveryEvent e = events.awaitAny("alice@contoso.test", WAIT);
            assertThat(e.outcome()).isEqualTo(TraceStatus.Deferred);
            assertThat(e.detail()).startsWith("connect to 127.0.0.1:").contains("failed");
        }
    }

    @Test
    void connectionDroppedAfterTheFinalDotIsDeferred() throws IOException {
        try (SmtpSink sink = Downstreams.smtpSinkDropping(dir.resolve("dump"), ".");
             FileSpool spool = openSpool(data(), settings(), events, Clock.systemUTC())) {
            queue(spool, envelope("S9", sink.smtpUrl(), "alice@contoso.test"), "Subject: x\r\n\r\nx\r\n");
            DeliveryEvent e = events.awaitAny("alice@contoso.test", WAIT);
            assertThat(e.outcome()).isEqualTo(TraceStatus.Deferred);
            assertThat(e.detail()).contains("lost connection").contains("end of DATA");
        }
    }

    @Test
    void stillDeferredAfterTheMaximumAgeFailsAsExpired() throws IOException {
        Instant t0 = Instant.parse("2026-03-01T10:00:00Z");
        TestClock clock = new TestClock(t0);
        try (SmtpSink sink = Downstreams.smtpSinkTempFailing(dir.resolve("dump"), "RCPT");
             FileSpool spool = openSpool(data(), settings(), events, clock)) {
            queue(spool, envelope("S10", sink.smtpUrl(), t0, "alice@contoso.test"), "Subject: x\r\n\r\nx\r\n");
            DeliveryEvent first = events.awaitAny("alice@contoso.test", WAIT);
            assertThat(first.outcome()).isEqualTo(TraceStatus.Deferred);
            assertThat(first.at()).isEqualTo(t0);

            clock.advance(Duration.ofDays(2));
            schedulerOf(spool).retryNow();
            DeliveryEvent last = events.awaitOne("alice@contoso.test", TraceStatus.Failed, WAIT);
            assertThat(last.attempt()).isEqualTo(2);
            assertThat(last.detail()).startsWith("expired: queued for more than 2d; last attempt: ").contains("450");
            awaitTrue(() -> spool.depth() == 0, WAIT, "depth 0");
            assertThat(files(data().resolve("spool/queue"))).isEmpty();
        }
    }

    @Test
    void movingTheClockPastTheBackoffRetriesWithoutBeingAsked() throws IOException {
        TestClock clock = new TestClock(Instant.now());
        try (FileSpool spool = openSpool(data(), settings(), events, clock)) {
            queue(spool, envelope("S11", "smtp://127.0.0.1:" + closedPort(), clock.instant(), "alice@contoso.test"), "x\r\n");
            events.await(1, e -> true, WAIT);
            clock.advance(Duration.ofSeconds(61));
            assertThat(events.await(2, e -> true, WAIT).get(1).attempt()).isEqualTo(2);
        }
    }

    @Test
    void invalidTargetFailsEveryRecipientWithTheReason() throws IOException {
        try (FileSpool spool = openSpool(data(), settings(), events, Clock.systemUTC())) {
            queue(spool, envelope("S12", "smtp://mail.contoso.test:notaport", "alice@contoso.test"), "x\r\n");
            DeliveryEvent e = events.awaitAny("alice@contoso.test", WAIT);
            assertThat(e.outcome()).isEqualTo(TraceStatus.Failed);
            assertThat(e.detail()).isEqualTo("invalid delivery target 'smtp://mail.contoso.test:notaport': port is not a number: 'notaport'");
        }
    }

    private static DeliveryScheduler schedulerOf(FileSpool spool) {
        return spool.delivery();
    }
}
