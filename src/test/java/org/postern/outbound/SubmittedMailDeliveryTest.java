package org.postern.outbound;

import org.postern.testsupport.PosternCli;
import static org.assertj.core.api.Assertions.assertThat;
import static org.postern.outbound.OutboundDkimEdgeTest.cli;
import static org.postern.outbound.OutboundDkimEdgeTest.dkimpy;
import static org.postern.outbound.OutboundDkimEdgeTest.publish;
import static org.postern.outbound.OutboundDkimEdgeTest.zoneRecords;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.postern.testsupport.Downstreams;
import org.postern.testsupport.Downstreams.SinkMessage;
import org.postern.testsupport.Downstreams.SmtpSink;
import org.postern.testsupport.TestGateway;
import org.postern.testsupport.TestSmtpClient;
import org.postern.trace.TraceQuery;
import org.postern.trace.TraceRecord;

/**
 * Issue 9's "done when", end to end over real SMTP: a tenant's user submits with AUTH on the submission listener;
 * the gateway signs the mail (RSA + Ed25519 keys from {@code dkim keygen}) and delivers it by MX — the in-process
 * DNS server's MX for the recipient domain points at a Postfix smtp-sink on loopback — and dkimpy verifies both
 * signatures. The same gateway sends high-risk mail and DSNs from the high-risk pool (127.0.0.2, its own HELO),
 * and a DSN only to the authenticated sender.
 */
@Timeout(120)
class SubmittedMailDeliveryTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir static Path dir;
    static SmtpSink sink;
    static TestGateway gw;
    static Map<String, String> records;

    @BeforeAll
    static void start() {
        sink = Downstreams.smtpSink(dir.resolve("dump"));
        gw = new TestGateway(dir.resolve("gw"), "mx1.postern.test", """
                outbound:
                  helo: out.postern.test
                  mx-port: %1$d
                  high-risk-pool: { source-address: 127.0.0.2, helo: hr.postern.test }
                tenants:
                  - id: contoso
                    domains: [contoso.test]
                    delivery: "smtp://127.0.0.1:%1$d"
                    dkim: [{ domain: contoso.test, selector: mail }]
                    transport-rules:
                      - { name: bulk, priority: 1, when: { direction: outbound, subject-contains: ["[bulk-test]"] }, then: { set-scl: 9 } }
                """.formatted(sink.port()), Clock.systemUTC(), true);
        String printed = cli("dkim", "keygen", "--config", gw.configFile.toString(), "--tenant", "contoso",
                "--domain", "contoso.test", "--selector", "mail");
        records = zoneRecords(printed);
        publish(gw, printed);
        gw.dns.addMx("fabrikam.test", 10, "mx.fabrikam.test").addA("mx.fabrikam.test", "127.0.0.1");
        gw.dns.addMx("contoso.test", 10, "mx.contoso.test").addA("mx.contoso.test", "127.0.0.1");
        gw.dns.addMx("nomail.test", 0, ".");
        user("alice@contoso.test", "alice-pw");
    }

    @AfterAll
    static void stop() {
        // Set-up stops early (and says why) when smtp-sink is not installed.
        if (gw != null) gw.close();
        if (sink != null) sink.close();
    }

    @Test
    void authenticatedMailArrivesSignedAndVerifiesWithDkimpy() throws Exception {
        String ref = submit("alice@contoso.test", "alice-pw", "bob@fabrikam.test", "quarterly figures");
        SinkMessage m = awaitMessage("quarterly figures");
        assertThat(m.recipients()).containsExactly("bob@fabrikam.test");
        assertThat(m.mailFrom()).isEqualTo("alice@contoso.test");
        assertThat(m.clientAddress()).isEqualTo("127.0.0.1");
        assertThat(m.helo()).isEqualTo("out.postern.test");
        byte[] received = m.content().replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
        assertThat(dkimpy(received, records)).containsExactly("0 rsa-sha256 mail-rsa pass", "1 ed25519-sha256 mail-ed25519 pass");
        awaitDelivered(ref);
    }

    @Test
    void highRiskMailLeavesFromThePoolAddressWithItsHelo() throws Exception {
        submit("alice@contoso.test", "alice-pw", "bob@fabrikam.test", "[bulk-test] offer");
        SinkMessage m = awaitMessage("[bulk-test] offer");
        assertThat(m.clientAddress()).isEqualTo("127.0.0.2");
        assertThat(m.helo()).isEqualTo("hr.postern.test");
    }

    @Test
    void aFailedRecipientGetsTheAuthenticatedSenderOneDsnFromTheHighRiskPool() throws Exception {
        String ref = submit("alice@contoso.test", "alice-pw", "dave@nomail.test", "to a domain without mail");
        SinkMessage dsn = awaitMessage("Undelivered Mail Returned to Sender", m -> m.content().contains("Subject: to a domain without mail"));
        // The DSN has a trace of its own: what it is about, to whom it went, and that it was delivered.
        awaitDelivered(ref + "DSN");
        TraceRecord traced = gw.gateway.trace().search(TraceQuery.all().withRef(ref + "DSN")).getFirst();
        assertThat(traced.recipients()).containsExactly("alice@contoso.test");
        assertThat(traced.mailFrom()).contains("");
        assertThat(traced.subject().orElseThrow()).contains("failed for message " + ref + ": dave@nomail.test");
        assertThat(traced.decisions()).extracting(org.postern.trace.DecisionEntry::reason)
                .containsExactly("dsn.failed: failed for message " + ref + ": dave@nomail.test");
        assertThat(dsn.mailFrom()).isEmpty();
        assertThat(dsn.recipients()).containsExactly("alice@contoso.test");
        assertThat(dsn.clientAddress()).isEqualTo("127.0.0.2");
        assertThat(dsn.helo()).isEqualTo("hr.postern.test");
        assertThat(dsn.content()).contains("Final-Recipient: rfc822; dave@nomail.test\nAction: failed\nStatus: 5.1.10")
                .contains("Subject: to a domain without mail");
    }

    @Test
    void requireTlsIsOfferedOnSubmissionAndMailThatCannotBeSentThatWayComesBackAsADsn() {
        try (TestSmtpClient c = gw.submissionClient()) {
            c.greeting().assertCode(220);
            assertThat(c.ehlo("client.example").assertCode(250).lines()).doesNotContain("REQUIRETLS");
            var plain = c.mailFrom("alice@contoso.test", "REQUIRETLS");
            assertThat(plain.code()).isEqualTo(530);
            assertThat(plain.enhancedCode()).isEqualTo("5.7.10");
            c.rset();
            c.startTls(TestSmtpClient.trustAll()).assertCode(220);
            assertThat(c.ehlo("client.example").assertCode(250).lines()).contains("REQUIRETLS");
            c.authPlain("alice@contoso.test", "alice-pw").assertCode(235);
            c.mailFrom("alice@contoso.test", "REQUIRETLS").assertCode(250);
            c.rcptTo("bob@fabrikam.test").assertCode(250);
            String message = "From: Alice Example <alice@contoso.test>\r\nTo: bob@fabrikam.test\r\nSubject: sealed envelope\r\n"
                    + "Date: Sat, 28 Nov 2026 12:00:00 +0000\r\nMessage-ID: <rt1@contoso.test>\r\n\r\nHi Bob,\r\nonly over verified TLS, please.\r\n";
            c.data(message).assertCode(250);
        }
        // fabrikam.test publishes neither MTA-STS nor DANE, and the sink offers no TLS: the message is not sent.
        SinkMessage dsn = awaitMessage("Undelivered Mail Returned to Sender", m -> m.content().contains("Subject: sealed envelope"));
        assertThat(dsn.recipients()).containsExactly("alice@contoso.test");
        assertThat(dsn.content()).contains("Final-Recipient: rfc822; bob@fabrikam.test\nAction: failed\nStatus: 5.7.30");
        assertThat(sink.messages()).noneMatch(m -> "sealed envelope".equals(m.header("Subject")));

        try (TestSmtpClient mx = gw.client()) {   // the MX listener does not offer it (inbound delivery does not honour it)
            mx.greeting().assertCode(220);
            mx.ehlo("client.example").assertCode(250);
            mx.startTls(TestSmtpClient.trustAll()).assertCode(220);
            assertThat(mx.ehlo("client.example").assertCode(250).lines()).doesNotContain("REQUIRETLS");
            assertThat(mx.mailFrom("someone@example.org", "REQUIRETLS").code()).isEqualTo(555);
        }
    }

    private static SinkMessage awaitMessage(String subject) {
        return awaitMessage(subject, m -> true);
    }

    private static SinkMessage awaitMessage(String subject, java.util.function.Predicate<SinkMessage> also) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            for (SinkMessage m : sink.messages()) if (subject.equals(m.header("Subject")) && also.test(m)) return m;
            TestGateway.sleep(50);
        }
        throw new AssertionError("no message with subject '" + subject + "' at the sink; it has " + sink.messages());
    }

    private static void awaitDelivered(String ref) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            List<TraceRecord> t = gw.gateway.trace().search(TraceQuery.all().withRef(ref));
            if (!t.isEmpty() && t.getFirst().status().name().equals("Delivered")) return;
            TestGateway.sleep(50);
        }
        throw new AssertionError("trace of " + ref + " never said Delivered: " + gw.gateway.trace().search(TraceQuery.all().withRef(ref)));
    }

    /** AUTH PLAIN under STARTTLS on the submission listener, one message; returns its reference. */
    private static String submit(String user, String password, String to, String subject) {
        try (TestSmtpClient c = gw.submissionClient()) {
            c.greeting().assertCode(220);
            c.ehlo("client.example").assertCode(250);
            c.startTls(TestSmtpClient.trustAll()).assertCode(220);
            c.ehlo("client.example").assertCode(250);
            c.authPlain(user, password).assertCode(235);
            // An ordinary business note: the outbound content filter must not judge it spam (that would send it
            // from the high-risk pool, which another test checks).
            String message = "From: Alice Example <" + user + ">\r\nDate: " + java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME
                    .format(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC)) + "\r\nMessage-ID: <" + java.util.UUID.randomUUID()
                    + "@contoso.test>\r\nTo: " + to + "\r\nSubject: " + subject
                    + "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHi Bob,\r\n\r\n"
                    + "thanks for the call this morning. As discussed, I will send the revised\r\n"
                    + "numbers for the third quarter after our team meeting on Tuesday.\r\n\r\nBest regards,\r\nAlice\r\n";
            var reply = c.send(user, List.of(to), message).assertCode(250);
            return TestGateway.ref(reply);
        }
    }

    private static void user(String email, String password) {
        PosternCli.runWithInput(password + "\n", "user", "add", "--config", gw.configFile.toString(), "--tenant", "contoso",
                "--email", email, "--password-stdin").ok();
    }
}
