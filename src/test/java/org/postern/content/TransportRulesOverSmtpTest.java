package org.postern.content;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.testsupport.TestGateway;
import org.postern.testsupport.TestSmtpClient;
import org.postern.trace.TraceRecord;
import org.postern.trace.TraceStatus;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tenant's transport rules at the end of DATA over real SMTP: corpus spam from a trusted payroll domain arrives
 * with SCL -1, tagging rules prepend and add headers, an exception stops a rule, a reject uses the tenant's own text,
 * a redirect delivers to the new recipient, a catastrophic pattern answers at once, and the trace names every rule.
 */
class TransportRulesOverSmtpTest {

    @TempDir static Path dir;
    private static TestGateway gw;
    private static String corpusSpam;

    @BeforeAll
    static void start() throws Exception {
        Path corpus = Corpus.require();
        List<String> spam = new ArrayList<>();
        Path archive = corpus.resolve("spam_2.tar.gz");
        MailInputs.forEach(archive, (name, in) -> {
            if (!spam.isEmpty() || !Corpus.heldOut(name.substring(archive.toString().length() + 1))) return;
            String text = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            if (text.startsWith("From ")) text = text.substring(text.indexOf('\n') + 1);
            spam.add(text.replace("\r\n", "\n").replace("\n", "\r\n"));
        });
        corpusSpam = spam.get(0);
        gw = new TestGateway(dir.resolve("gw"), "mx.rules.postern.test", """
                tenants:
                  - id: contoso
                    domains: [contoso.test]
                    delivery: "maildir:%1$s/mail"
                    transport-rules:
                      - name: trust-payroll
                        priority: 10
                        when: { sender-domain-is: [payroll.test] }
                        except: { subject-contains: ["[external]"] }
                        then: { set-scl: -1 }
                      - name: tag-external
                        priority: 20
                        when: { sender-domain-is: [partner.test] }
                        then: { prepend-subject: "[EXT]", add-header: { X-Contoso-Origin: external } }
                      - name: wire-fraud
                        priority: 30
                        when: { subject-matches: "(a+)+$" }
                        then: { reject: "Wire transfer requests must go through the finance portal" }
                      - name: redirect-legal
                        priority: 40
                        when: { recipient-is: [legal@contoso.test] }
                        then: { redirect: counsel@contoso.test }
                      - name: watch-invoices
                        priority: 50
                        mode: audit
                        when: { subject-contains: [invoice] }
                        then: { quarantine: true }
                """.formatted(dir));
    }

    @AfterAll
    static void stop() {
        if (gw != null) gw.close();
    }

    @Test
    void corpusSpamFromTheTrustedDomainArrivesWithSclMinusOne() throws Exception {
        TestSmtpClient.Reply r = gw.send("client.example", "salary@payroll.test", "alice@contoso.test", corpusSpam);
        assertThat(r.code()).isEqualTo(250);
        TraceRecord t = await(r, TraceStatus.Delivered);
        assertThat(t.scl()).hasValue(-1);
        assertThat(t.decisions()).anySatisfy(d -> assertThat(d.reason()).startsWith("rules.hit: rule 'trust-payroll' set-scl -1 (sender-domain-is"));
        assertThat(delivered("alice@contoso.test")).contains("X-Postern-SCL: -1\r\n").contains("rules=trust-payroll");
    }

    @Test
    void anExceptionStopsTheRule() {
        TestSmtpClient.Reply r = gw.send("client.example", "salary@payroll.test", "bob@contoso.test",
                "From: salary@payroll.test\r\nSubject: [external] your payslip\r\n\r\nhello\r\n");
        assertThat(gw.traceOf(r).decisions()).noneSatisfy(d -> assertThat(d.reason()).contains("trust-payroll"));
    }

    @Test
    void prependAndAddHeaderAct() throws Exception {
        TestSmtpClient.Reply r = gw.send("client.example", "ann@partner.test", "carol@contoso.test",
                "From: ann@partner.test\r\nSubject: Meeting notes\r\nDate: Sat, 28 Nov 2026 10:00:00 +0000\r\nMessage-ID: <m1@partner.test>\r\n\r\nsee you\r\n");
        assertThat(r.code()).isEqualTo(250);
        await(r, TraceStatus.Delivered);
        assertThat(delivered("carol@contoso.test")).contains("Subject: [EXT] Meeting notes\r\n").contains("X-Contoso-Origin: external\r\n");
    }

    @Test
    void rejectUsesTheTenantsTextAndACatastrophicPatternAnswersAtOnce() {
        String subject = "a".repeat(5000) + "!";
        long start = System.nanoTime();
        TestSmtpClient.Reply r = gw.send("client.example", "x@example.org", "dave@contoso.test", "Subject: " + subject + "\r\n\r\nbody\r\n");
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertThat(r.code()).isEqualTo(250); // "(a+)+$" does not match: the subject ends in "!"
        assertThat(ms).as("whole transaction").isLessThan(5_000);

        TestSmtpClient.Reply refused = gw.send("client.example", "x@example.org", "dave@contoso.test", "Subject: pay " + "a".repeat(5000) + "\r\n\r\nbody\r\n");
        assertThat(refused.code()).isEqualTo(550);
        assertThat(refused.enhancedCode()).isEqualTo("5.7.1");
        assertThat(refused.text()).startsWith("5.7.1 Wire transfer requests must go through the finance portal [ref=");
        assertThat(gw.traceOf(refused).decisions()).anySatisfy(d -> assertThat(d.setting()).isEqualTo("tenants.contoso.transport-rules.wire-fraud"));
    }

    @Test
    void redirectDeliversToTheNewRecipientAndAuditRulesAreTracedWithoutEffect() throws Exception {
        TestSmtpClient.Reply r = gw.send("client.example", "x@example.org", "legal@contoso.test",
                "From: x@example.org\r\nSubject: invoice 42\r\nDate: Sat, 28 Nov 2026 10:00:00 +0000\r\nMessage-ID: <i42@example.org>\r\n\r\nplease see\r\n");
        assertThat(r.code()).isEqualTo(250);
        TraceRecord t = await(r, TraceStatus.Delivered);
        assertThat(t.recipients()).containsExactly("counsel@contoso.test");
        assertThat(t.decisions()).anySatisfy(d -> assertThat(d.reason()).startsWith("rules.hit: rule 'redirect-legal' redirect"));
        assertThat(t.decisions()).anySatisfy(d -> assertThat(d.reason()).startsWith("rules.hit: rule 'watch-invoices' (audit) would quarantine"));
        assertThat(delivered("counsel@contoso.test")).contains("invoice 42");
    }



    private static TraceRecord await(TestSmtpClient.Reply r, TraceStatus status) {
        for (int i = 0; i < 150; i++) {
            TraceRecord t = gw.traceOf(r);
            if (t.status() == status) return t;
            TestGateway.sleep(100);
        }
        throw new AssertionError("not " + status + ": " + gw.traceOf(r));
    }

    private static String delivered(String recipient) throws Exception {
        try (Stream<Path> files = Files.list(dir.resolve("mail").resolve(recipient).resolve("new"))) {
            Path f = files.findFirst().orElseThrow();
            String text = Files.readString(f, StandardCharsets.ISO_8859_1);
            return text.substring(0, text.indexOf("\r\n\r\n"));
        }
    }
}
