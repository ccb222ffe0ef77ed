package org.postern.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.postern.queue.QueueTesting.WAIT;
import static org.postern.queue.QueueTesting.awaitTrue;
import static org.postern.queue.QueueTesting.envelope;
import static org.postern.queue.QueueTesting.openSpool;
import static org.postern.queue.QueueTesting.queue;
import static org.postern.queue.QueueTesting.settings;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.postern.trace.TraceStatus;

/** A connection left by a clean transaction carries the next message to the same server (SmtpConnectionCache). */
@Timeout(60)
class SmtpConnectionReuseTest {

    @TempDir Path dir;
    private final RecordingListener events = new RecordingListener();

    private long count(ScriptedSmtpServer server, String command) {
        return server.transcript.stream().filter(l -> l.startsWith(command)).count();
    }

    @Test
    void theNextMessageToTheSameServerReusesTheConnectionAfterRset() throws IOException {
        try (ScriptedSmtpServer server = new ScriptedSmtpServer()) {
            try (FileSpool spool = openSpool(dir.resolve("data"), settings().withWorkers(1), events, Clock.systemUTC())) {
                queue(spool, envelope("C1", server.smtpUrl(), "alice@contoso.test"), "Subject: 1\r\n\r\nx\r\n");
                events.awaitOne("alice@contoso.test", TraceStatus.Delivered, WAIT);
                queue(spool, envelope("C2", server.smtpUrl(), "bob@contoso.test"), "Subject: 2\r\n\r\ny\r\n");
                events.awaitOne("bob@contoso.test", TraceStatus.Delivered, WAIT);

                assertThat(server.messages).hasSize(2);
                assertThat(count(server, "EHLO")).isEqualTo(1);
                assertThat(server.transcript).containsSubsequence("EHLO mx1.postern.test", "MAIL FROM:<sender@example.org>",
                        "DATA", "RSET", "MAIL FROM:<sender@example.org>", "RCPT TO:<bob@contoso.test>", "DATA");
                assertThat(server.transcript).doesNotContain("QUIT");
            }
            // Closing the spool stops delivery, which says QUIT to the connections it kept.
            awaitTrue(() -> server.transcript.contains("QUIT"), WAIT, "QUIT at close");
        }
    }

    @Test
    void aConnectionTheServerClosedMeanwhileIsReplacedByANewOne() throws IOException {
        try (ScriptedSmtpServer server = new ScriptedSmtpServer();
             FileSpool spool = openSpool(dir.resolve("data"), settings().withWorkers(1), events, Clock.systemUTC())) {
            server.hangUpAfterMessage = true;
            queue(spool, envelope("C1", server.smtpUrl(), "alice@contoso.test"), "Subject: 1\r\n\r\nx\r\n");
            events.awaitOne("alice@contoso.test", TraceStatus.Delivered, WAIT);
            queue(spool, envelope("C2", server.smtpUrl(), "bob@contoso.test"), "Subject: 2\r\n\r\ny\r\n");
            events.awaitOne("bob@contoso.test", TraceStatus.Delivered, WAIT);

            assertThat(server.messages).hasSize(2);
            assertThat(count(server, "EHLO")).isEqualTo(2);
            assertThat(events.events()).hasSize(2);   // no deferral on the way
        }
    }

    @Test
    void anIdleConnectionIsClosedWithQuitAfterTheIdleLimit() throws IOException {
        try (ScriptedSmtpServer server = new ScriptedSmtpServer();
             FileSpool spool = openSpool(dir.resolve("data"), settings(), events, Clock.systemUTC())) {
            queue(spool, envelope("C1", server.smtpUrl(), "alice@contoso.test"), "Subject: 1\r\n\r\nx\r\n");
            events.awaitOne("alice@contoso.test", TraceStatus.Delivered, WAIT);
            long start = System.nanoTime();
            awaitTrue(() -> server.transcript.contains("QUIT"), WAIT, "QUIT after the idle limit");
            assertThat(System.nanoTime() - start).isLessThan(SmtpConnectionCache.IDLE_LIMIT.toNanos() * 3);
        }
    }
}
