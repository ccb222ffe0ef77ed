package org.postern.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.postern.queue.QueueTesting.WAIT;
import static org.postern.queue.QueueTesting.awaitTrue;
import static org.postern.queue.QueueTesting.envelope;
import static org.postern.queue.QueueTesting.openSpool;
import static org.postern.queue.QueueTesting.queue;
import static org.postern.queue.QueueTesting.settings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.postern.testsupport.Downstreams;
import org.postern.testsupport.Downstreams.LmtpServer;
import org.postern.testsupport.Downstreams.SinkMessage;
import org.postern.testsupport.Downstreams.SmtpSink;
import org.postern.trace.DeliveryEvent;
import org.postern.trace.TraceStatus;

/**
 * Delivery over LMTP (RFC 2033) to a real Dovecot: refusals at RCPT affect one recipient, and after DATA each
 * accepted recipient gets its own reply.
 */
@Timeout(60)
class LmtpDeliveryTest {

    @TempDir static Path shared;
    private static LmtpServer dovecot;

    @TempDir Path dir;
    private final RecordingListener events = new RecordingListener();

    @BeforeAll
    static void startDovecot() {
        dovecot = Downstreams.dovecotLmtp(shared.resolve("mailroot"));
    }

    @AfterAll
    static void stopDovecot() {
        if (dovecot != null) dovecot.close();
    }

    @Test
    void deliversTheValidRecipientAndFailsTheUnknownOneInTheSameTransaction() throws IOException {
        try (FileSpool spool = openSpool(dir.resolve("data"), settings(), events, Clock.systemUTC())) {
            queue(spool, envelope("L1", dovecot.lmtpUrl(), "alice@contoso.test", "nosuchuser@contoso.test"),
                    "From: a@example.org\r\nSubject: lmtp\r\n\r\n.dot line\r\nbody\r\n");
            DeliveryEvent ok = events.awaitOne("alice@contoso.test", TraceStatus.Delivered, WAIT);
            DeliveryEvent refused = events.awaitAny("nosuchuser@contoso.test", WAIT);
            assertThat(refused.outcome()).isEqualTo(TraceStatus.Failed);
            assertThat(refused.detail()).contains("said: 550 5.1.1").contains("(in reply to RCPT TO)");
            assertThat(ok.detail()).contains("said: 250").contains("(in reply to end of DATA)");
            awaitTrue(() -> spool.depth() == 0, WAIT, "depth 0");
        }
        List<Path> stored = dovecot.awaitMessages("alice@contoso.test", 1, WAIT);
        String text = Files.readString(stored.getFirst()).replace("\r\n", "\n");
        assertThat(text).contains("X-Postern-SCL: 1\n").contains("Subject: lmtp\n").endsWith("\n\n.dot line\nbody\n");
        assertThat(dovecot.messages("nosuchuser@contoso.test")).isEmpty();
    }

    @Test
    void givesEachRecipientItsOwnReplyAfterData() throws IOException {
        try (FileSpool spool = openSpool(dir.resolve("data"), settings(), events, Clock.systemUTC())) {
            queue(spool, envelope("L2", dovecot.lmtpUrl(), "overquota@contoso.test", "bob@contoso.test"),
                    "Subject: quota\r\n\r\nbody\r\n");
            DeliveryEvent full = events.awaitAny("overquota@contoso.test", WAIT);
            assertThat(full.outcome()).isEqualTo(TraceStatus.Deferred);
            assertThat(full.detail()).contains("said: 452 4.2.2").contains("(in reply to end of DATA)");
            events.awaitOne("bob@contoso.test", TraceStatus.Delivered, WAIT);
            assertThat(spool.depth()).isEqualTo(1);
        }
        assertThat(dovecot.awaitMessages("bob@contoso.test", 1, WAIT)).hasSize(1);
    }

    @Test
    void temporaryRcptRefusalDefersOnlyThatRecipient() throws IOException {
        try (FileSpool spool = openSpool(dir.resolve("data"), settings(), events, Clock.systemUTC())) {
            queue(spool, envelope("L3", dovecot.lmtpUrl(), "tempfail@contoso.test", "carol@contoso.test"),
                    "Subject: temp\r\n\r\nbody\r\n");
            DeliveryEvent temp = events.awaitAny("tempfail@contoso.test", WAIT);
            assertThat(temp.outcome()).isEqualTo(TraceStatus.Deferred);
            assertThat(temp.detail()).contains("said: 451").contains("RCPT TO");
            events.awaitOne("carol@contoso.test", TraceStatus.Delivered, WAIT);
        }
    }

    @Test
    void readsOneReplyPerRecipientFromAnLmtpSink() throws IOException {
        try (SmtpSink sink = Downstreams.lmtpSink(dir.resolve("dump"));
             FileSpool spool = openSpool(dir.resolve("data"), settings(), events, Clock.systemUTC())) {
            String target = "lmtp://127.0.0.1:" + sink.port();
            queue(spool, envelope("L4", target, "a@contoso.test", "b@contoso.test", "c@contoso.test"), "Subject: three\r\n\r\nx\r\n");
            assertThat(events.await(3, e -> e.outcome() == TraceStatus.Delivered, WAIT)).hasSize(3);
            SinkMessage m = sink.awaitMessages(1, WAIT).getFirst();
            assertThat(m.protocol()).isEqualTo("LMTP");
            assertThat(m.helo()).isEqualTo(QueueTesting.HOST);
            assertThat(m.recipients()).containsExactly("a@contoso.test", "b@contoso.test", "c@contoso.test");
            awaitTrue(() -> spool.depth() == 0, WAIT, "depth 0");
        }
    }
}
