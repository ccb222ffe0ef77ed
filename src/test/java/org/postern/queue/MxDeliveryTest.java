package org.postern.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.postern.queue.QueueTesting.WAIT;
import static org.postern.queue.QueueTesting.awaitTrue;
import static org.postern.queue.QueueTesting.queue;
import static org.postern.queue.QueueTesting.settings;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.postern.dns.DnsjavaResolver;
import org.postern.dns.InProcessDnsServer;
import org.postern.testsupport.Downstreams;
import org.postern.testsupport.Downstreams.SinkMessage;
import org.postern.testsupport.Downstreams.SmtpSink;
import org.postern.trace.DeliveryEvent;
import org.postern.trace.TraceStatus;
import org.xbill.DNS.Type;

/**
 * Outbound delivery to the internet: recipient domains resolved by the in-process DNS server (wire protocol),
 * their MX pointing at a Postfix smtp-sink on loopback ({@code outbound.mx-port} is the sink's port).
 */
@Timeout(60)
class MxDeliveryTest {

    private static final String CONTENT = "From: alice@contoso.test\r\nTo: bob@fabrikam.test\r\nSubject: hi\r\n"
            + "Date: Sat, 28 Nov 2026 12:00:00 +0000\r\nMessage-ID: <m1@contoso.test>\r\n\r\nhello\r\n";

    @TempDir Path dir;
    private final RecordingListener events = new RecordingListener();
    private final InProcessDnsServer dns = InProcessDnsServer.start();

    @AfterEach
    void stopDns() {
        dns.close();
    }

    private OutboundSettings outbound(SmtpSink sink) throws IOException {
        return OutboundSettings.defaults(new DnsjavaResolver(List.of(dns.address()), Duration.ofSeconds(1)), "out.postern.test")
                .withMxPort(sink.port())
                .withHighRiskPool(Optional.of(new OutboundSettings.SourcePool(InetAddress.getByName("127.0.0.2"), "hr.postern.test")))
                .withDsnDelay(Duration.ofMinutes(30));
    }

    private FileSpool spool(OutboundSettings outbound) throws IOException {
        return FileSpool.open(dir.resolve("data"), DeliveryScheduler.start(settings(), Optional.of(outbound), events, Clock.systemUTC()));
    }

    private static Envelope submitted(String ref, boolean highRisk, String... recipients) {
        return Envelope.outbound(ref, "contoso", "alice@contoso.test", List.of(recipients), Instant.now(), "", "alice@contoso.test", highRisk, false);
    }

    @Test
    void triesMxHostsInPreferenceOrderAndSpeaksAsTheNormalPool() throws IOException {
        // The preferred MX has no server on the port (127.0.0.3): the next one is tried in the same attempt.
        dns.addMx("fabrikam.test", 20, "mx2.fabrikam.test").addMx("fabrikam.test", 10, "mx1.fabrikam.test")
                .addA("mx1.fabrikam.test", "127.0.0.3").addA("mx2.fabrikam.test", "127.0.0.1");
        try (SmtpSink sink = Downstreams.smtpSink(dir.resolve("dump")); FileSpool spool = spool(outbound(sink))) {
            queue(spool, submitted("O1", false, "bob@fabrikam.test"), CONTENT);
            DeliveryEvent e = events.awaitOne("bob@fabrikam.test", TraceStatus.Delivered, WAIT);
            assertThat(e.detail()).startsWith("mx2.fabrikam.test[127.0.0.1]:" + sink.port() + " said: 250");
            SinkMessage m = sink.awaitMessages(1, WAIT).getFirst();
            assertThat(m.helo()).isEqualTo("out.postern.test");
            assertThat(m.clientAddress()).isEqualTo("127.0.0.1");
            assertThat(m.mailFrom()).isEqualTo("alice@contoso.test");
            assertThat(m.recipients()).containsExactly("bob@fabrikam.test");
            assertThat(dns.queryCount("fabrikam.test.", Type.MX)).isPositive();
        }
    }

    @Test
    void domainWithoutMxIsItsOwnMailExchanger() throws IOException {
        dns.addA("plain.test", "127.0.0.1");
        try (SmtpSink sink = Downstreams.smtpSink(dir.resolve("dump")); FileSpool spool = spool(outbound(sink))) {
            queue(spool, submitted("O2", false, "carol@plain.test"), CONTENT);
            events.awaitOne("carol@plain.test", TraceStatus.Delivered, WAIT);
            assertThat(sink.awaitMessages(1, WAIT).getFirst().recipients()).containsExactly("carol@plain.test");
        }
    }

    @Test
    void nullMxAndNonexistentDomainsFailAtOnceAndTheAuthenticatedSenderGetsOneDsnFromTheHighRiskPool() throws IOException {
        dns.addMx("nomail.test", 0, ".");
        dns.addMx("contoso.test", 10, "mx.contoso.test").addA("mx.contoso.test", "127.0.0.1");
        try (SmtpSink sink = Downstreams.smtpSink(dir.resolve("dump")); FileSpool spool = spool(outbound(sink))) {
            queue(spool, submitted("O3", false, "dave@nomail.test", "erin@nowhere.test"), CONTENT);
            DeliveryEvent nullMx = events.awaitOne("dave@nomail.test", TraceStatus.Failed, WAIT);
            assertThat(nullMx.detail()).contains("5.1.10").contains("null MX");
            assertThat(events.awaitOne("erin@nowhere.test", TraceStatus.Failed, WAIT).detail()).contains("does not exist");

            // One DSN for both recipients, to the authenticated sender, from the high-risk pool.
            events.awaitOne("alice@contoso.test", TraceStatus.Delivered, WAIT);
            SinkMessage dsn = sink.awaitMessages(1, WAIT).getFirst();
            assertThat(dsn.mailFrom()).isEmpty();
            assertThat(dsn.recipients()).containsExactly("alice@contoso.test");
            assertThat(dsn.clientAddress()).isEqualTo("127.0.0.2");
            assertThat(dsn.helo()).isEqualTo("hr.postern.test");
            assertThat(dsn.header("Content-Type")).contains("multipart/report").contains("report-type=delivery-status");
            assertThat(dsn.content()).contains("Content-Type: message/delivery-status")
                    .contains("Final-Recipient: rfc822; dave@nomail.test\nAction: failed\nStatus: 5.1.10")
                    .contains("Final-Recipient: rfc822; erin@nowhere.test\nAction: failed\nStatus: 5.1.2")
                    .contains("Content-Type: text/rfc822-headers")
                    .contains("Message-ID: <m1@contoso.test>")
                    .doesNotContain("\nhello\n");
            awaitTrue(() -> spool.depth() == 0, WAIT, "queue empty");
            assertThat(sink.messages()).hasSize(1);
        }
    }

    @Test
    void highRiskMailLeavesFromThePoolAddressWithItsHelo() throws IOException {
        dns.addMx("fabrikam.test", 10, "mx1.fabrikam.test").addA("mx1.fabrikam.test", "127.0.0.1");
        try (SmtpSink sink = Downstreams.smtpSink(dir.resolve("dump")); FileSpool spool = spool(outbound(sink))) {
            queue(spool, submitted("O4", true, "bob@fabrikam.test"), CONTENT);
            events.awaitOne("bob@fabrikam.test", TraceStatus.Delivered, WAIT);
            SinkMessage m = sink.awaitMessages(1, WAIT).getFirst();
            assertThat(m.clientAddress()).isEqualTo("127.0.0.2");
            assertThat(m.helo()).isEqualTo("hr.postern.test");
        }
    }

    @Test
    void noDsnForInboundMailOrUnauthenticatedSenders() throws IOException {
        dns.addMx("nomail.test", 0, ".");
        dns.addMx("contoso.test", 10, "mx.contoso.test").addA("mx.contoso.test", "127.0.0.1");
        dns.addMx("example.org", 10, "mx.contoso.test");
        try (SmtpSink sink = Downstreams.smtpSink(dir.resolve("dump")); FileSpool spool = spool(outbound(sink))) {
            // Relayed by an on-premises connector without AUTH: no DSN, whatever the sender says.
            queue(spool, Envelope.outbound("O5", "contoso", "alice@contoso.test", List.of("x@nomail.test"), Instant.now(), "", "", false, false), CONTENT);
            // Inbound mail whose tenant server refuses it: never a bounce (the sender may be forged).
            queue(spool, new Envelope("I1", "contoso", "someone@example.org", List.of("y@contoso.test"), "smtp://127.0.0.1:" + QueueTesting.closedPort(),
                    Instant.now().minus(Duration.ofDays(3)), "", true), CONTENT);
            events.awaitOne("x@nomail.test", TraceStatus.Failed, WAIT);
            events.awaitOne("y@contoso.test", TraceStatus.Failed, WAIT);
            awaitTrue(() -> spool.depth() == 0, WAIT, "queue empty");
            Thread.sleep(500);   // a DSN would have been queued before depth reached 0; give its delivery a moment
            assertThat(sink.messages()).isEmpty();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aDelayedMessageGetsOneDelayDsnAndKeepsBeingTried() throws IOException {
        dns.addMx("slow.test", 10, "mx.slow.test").addA("mx.slow.test", "127.0.0.3");   // nothing listens there
        dns.addMx("contoso.test", 10, "mx.contoso.test").addA("mx.contoso.test", "127.0.0.1");
        try (SmtpSink sink = Downstreams.smtpSink(dir.resolve("dump")); FileSpool spool = spool(outbound(sink))) {
            Envelope old = Envelope.outbound("O6", "contoso", "alice@contoso.test", List.of("fred@slow.test"),
                    Instant.now().minus(Duration.ofHours(1)), "", "alice@contoso.test", false, false);
            queue(spool, old, CONTENT);
            events.awaitOne("fred@slow.test", TraceStatus.Deferred, WAIT);
            SinkMessage dsn = sink.awaitMessages(1, WAIT).getFirst();
            assertThat(dsn.content()).contains("Action: delayed").contains("Status: 4.").contains("Final-Recipient: rfc822; fred@slow.test");
            assertThat(dsn.header("Subject")).startsWith("Delayed Mail");
            spool.delivery().retryNow();
            events.await(2, e -> e.recipient().equals("fred@slow.test"), WAIT);
            Thread.sleep(500);
            assertThat(sink.messages()).hasSize(1);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
