package org.postern.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.postern.queue.QueueTesting.WAIT;
import static org.postern.queue.QueueTesting.envelope;
import static org.postern.queue.QueueTesting.openSpool;
import static org.postern.queue.QueueTesting.queue;
import static org.postern.queue.QueueTesting.settings;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.postern.trace.DeliveryEvent;
import org.postern.trace.TraceStatus;

/** The SMTP client's protocol choices, against a scripted server. */
@Timeout(60)
class SmtpClientBehaviourTest {

    @TempDir Path dir;
    private final RecordingListener events = new RecordingListener();
    private static final String CONTENT = "Subject: s\r\n\r\n.dot\r\nbody\r\n";

    private DeliveryEvent deliverOnce(ScriptedSmtpServer server, DeliverySettings settings) throws IOException {
        try (FileSpool spool = openSpool(dir.resolve("data"), settings, events, Clock.systemUTC())) {
            queue(spool, envelope("T1", server.smtpUrl(), "alice@contoso.test"), CONTENT);
            return events.awaitAny("alice@contoso.test", WAIT);
        }
    }

    @Test
    void upgradesToTlsWhenOfferedAndGreetsAgainBeforeTheTransaction() throws IOException {
        try (ScriptedSmtpServer server = new ScriptedSmtpServer()) {
            server.offerTls = true;
            assertThat(deliverOnce(server, settings()).outcome()).isEqualTo(TraceStatus.Delivered);
            List<String> t = List.copyOf(server.transcript); // a snapshot: the server may still append QUIT, and a subList view of it then throws
            assertThat(t.subList(0, 3)).containsExactly("EHLO mx1.postern.test", "STARTTLS", "TLS EHLO mx1.postern.test");
            assertThat(t).contains("TLS MAIL FROM:<sender@example.org>", "TLS RCPT TO:<alice@contoso.test>", "TLS DATA");
            assertThat(server.messages).containsExactly(QueueTesting.PREPEND + "Subject: s\r\n\r\n..dot\r\nbody\r\n");
        }
    }

    @Test
    void fallsBackToPlainTextWhenTheTlsHandshakeFails() throws IOException {
        try (ScriptedSmtpServer server = new ScriptedSmtpServer()) {
            server.offerTls = true;
            server.breakTls = true;
            assertThat(deliverOnce(server, settings()).outcome()).isEqualTo(TraceStatus.Delivered);
            assertThat(server.transcript).containsSubsequence("STARTTLS", "EHLO mx1.postern.test", "MAIL FROM:<sender@example.org>");
            assertThat(server.transcript.stream().filter(l -> l.equals("STARTTLS"))).hasSize(1);
        }
    }

    @Test
    void refusesPlainTextDataInjectedBeforeTheTlsHandshake() throws IOException {
        try (ScriptedSmtpServer server = new ScriptedSmtpServer()) {
            server.offerTls = true;
            server.injectAfterStartTls = true;
            DeliveryEvent e = deliverOnce(server, settings());
            assertThat(e.outcome()).isEqualTo(TraceStatus.Deferred);
            assertThat(e.detail()).contains("server sent data after its STARTTLS reply");
            assertThat(server.transcript).doesNotContain("MAIL FROM:<sender@example.org>");
        }
    }

    @Test
    void declaresTheMessageSizeWhenTheServerOffersSize() throws IOException {
        try (ScriptedSmtpServer server = new ScriptedSmtpServer()) {
            server.extensions = List.of("SIZE 10240000");
            deliverOnce(server, settings());
            int size = QueueTesting.PREPEND.length() + CONTENT.length();
            assertThat(server.transcript).contains("MAIL FROM:<sender@example.org> SIZE=" + size);
        }
    }

    @Test
    void fallsBackToHeloWhenEhloIsRefused() throws IOException {
        try (ScriptedSmtpServer server = new ScriptedSmtpServer()) {
            server.ehloReply = "502 5.5.2 Error: command not recognized";
            assertThat(deliverOnce(server, settings()).outcome()).isEqualTo(TraceStatus.Delivered);
            assertThat(server.transcript).containsSubsequence("EHLO mx1.postern.test", "HELO mx1.postern.test", "MAIL FROM:<sender@example.org>");
        }
    }

    @Test
    void neverSendsARecipientThatWouldInjectACommand() throws IOException {
        try (ScriptedSmtpServer server = new ScriptedSmtpServer();
             FileSpool spool = openSpool(dir.resolve("data"), settings(), events, Clock.systemUTC())) {
            String evil = "x@contoso.test>\r\nRCPT TO:<victim@elsewhere.test";
            queue(spool, envelope("T3", server.smtpUrl(), evil, "alice@contoso.test"), CONTENT);
            DeliveryEvent bad = events.awaitAny(evil, WAIT);
            assertThat(bad.outcome()).isEqualTo(TraceStatus.Failed);
            events.awaitOne("alice@contoso.test", TraceStatus.Delivered, WAIT);
            assertThat(server.transcript).filteredOn(l -> l.startsWith("RCPT")).containsExactly("RCPT TO:<alice@contoso.test>");
        }
    }

    @Test
    void defersOnA5xxGreetingBecauseAMisbehavingTenantServerIsNotARefusal() throws IOException {
        try (ScriptedSmtpServer server = new ScriptedSmtpServer()) {
            server.greeting = "554 5.3.2 not now";
            DeliveryEvent e = deliverOnce(server, settings());
            assertThat(e.outcome()).isEqualTo(TraceStatus.Deferred);
            assertThat(e.detail()).contains("said: 554 5.3.2 not now (in reply to initial greeting)");
        }
    }

    @Test
    void defersWhenTheServerStopsReadingTheMessage() throws IOException {
        byte[] big = new byte[48 * 1024 * 1024];
        Arrays.fill(big, (byte) 'x');
        for (int i = 998; i < big.length; i += 1000) { big[i] = '\r'; big[i + 1] = '\n'; }
        DeliverySettings quick = settings().withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(1));
        try (ScriptedSmtpServer server = new ScriptedSmtpServer();
             FileSpool spool = openSpool(dir.resolve("data"), quick, events, Clock.systemUTC())) {
            server.stopReadingAtData = true;
            queue(spool, envelope("T2", server.smtpUrl(), "alice@contoso.test"), big);
            DeliveryEvent e = events.awaitAny("alice@contoso.test", WAIT);
            assertThat(e.outcome()).isEqualTo(TraceStatus.Deferred);
            assertThat(e.detail()).contains("stopped reading during message content");
        }
    }
}
