package org.postern.edge;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.testsupport.TestGateway;
import org.postern.testsupport.TestSmtpClient;
import org.postern.trace.DecisionEntry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator's and tenants' other outbound choices over real SMTP: {@code outbound.spam: reject} refuses spam in
 * the session instead of sending it from the high-risk pool; {@code on-limit: alert} refuses over the limit
 * temporarily and tells the admins once, without restricting anyone; a tenant's total limit restricts no user.
 */
class OutboundPolicyTest {

    @TempDir static Path dir;
    static TestGateway gw;

    @BeforeAll
    static void start() {
        gw = new TestGateway(dir, "mx.outpol.postern.test", """
                outbound: { helo: mx.outpol.postern.test, mx-port: 1, spam: reject, auth-lockout: { user-failures: 2, window: 30s } }
                tenants:
                  - id: tailspin
                    domains: [tailspin.test]
                    delivery: "maildir:%1$s/mail/tailspin"
                    outbound: { recipients-per-hour: 2, on-limit: alert }
                  - id: fourthcoffee
                    domains: [fourthcoffee.test]
                    delivery: "maildir:%1$s/mail/fourthcoffee"
                    transport-rules:
                      - { name: outbound-bulk, priority: 1, when: { direction: outbound, subject-contains: ["[bulk-test]"] }, then: { set-scl: 9 } }
                      - { name: tag-outgoing, priority: 2, when: { direction: outbound, subject-contains: ["[tag-test]"] }, then: { add-header: { X-Reviewed: by-rule }, remove-header: X-Internal-Note, prepend-subject: "[EXT] " } }
                      - { name: archive-copy, priority: 3, when: { direction: outbound, subject-contains: ["[copy-test]"] }, then: { add-recipient: archive@fourthcoffee.test } }
                      - { name: drop-outgoing, priority: 4, when: { direction: outbound, subject-contains: ["[drop-test]"] }, then: { delete: true } }
                      - { name: inbound-only, priority: 5, when: { direction: inbound, subject-contains: ["[tag-test]"] }, then: { prepend-subject: "[IN] " } }
                  - id: woodgrove
                    domains: [woodgrove.test]
                    delivery: "maildir:%1$s/mail/woodgrove"
                    outbound: { recipients-per-hour: 100, recipients-per-day: 3, on-limit: restrict }
                """.formatted(dir), Clock.systemUTC(), true);
        gw.dns.addMx("example.net", 10, "mx.example.net").addA("mx.example.net", "127.0.0.1");
        SubmissionTest.cliWith(gw, "pw-1\n", "user", "add", "--tenant", "tailspin", "--email", "ann@tailspin.test", "--password-stdin");
        SubmissionTest.cliWith(gw, "pw-2\n", "user", "add", "--tenant", "tailspin", "--email", "admin@tailspin.test", "--role", "tenant-admin", "--password-stdin");
        SubmissionTest.cliWith(gw, "pw-6\n", "user", "add", "--tenant", "tailspin", "--email", "lee@tailspin.test", "--password-stdin");
        SubmissionTest.cliWith(gw, "pw-5\n", "user", "add", "--tenant", "fourthcoffee", "--email", "cy@fourthcoffee.test", "--password-stdin");
        SubmissionTest.cliWith(gw, "pw-3\n", "user", "add", "--tenant", "woodgrove", "--email", "una@woodgrove.test", "--password-stdin");
        SubmissionTest.cliWith(gw, "pw-4\n", "user", "add", "--tenant", "woodgrove", "--email", "duo@woodgrove.test", "--password-stdin");
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void spamIsRefusedInTheSessionWhenTheOperatorSaysReject() {
        try (TestSmtpClient c = SubmissionTest.login(gw.submissionClient(), "cy@fourthcoffee.test", "pw-5")) {
            var refused = c.send("cy@fourthcoffee.test", List.of("x@example.net"),
                    TestGateway.wellFormed("cy@fourthcoffee.test", "Subject: [bulk-test] offer\r\n\r\nbuy\r\n")).assertCode(550);
            assertThat(refused.enhancedCode()).isEqualTo("5.7.1");
            assertThat(refused.text()).contains("refused as spam, not sent (SCL 9)");
            assertThat(gw.traceOf(refused).decisions()).extracting(DecisionEntry::reason).anyMatch(r -> r.startsWith("outbound.spam-refused: SCL 9"));
        }
    }

    @Test
    void theOperatorSetsTheLockoutLimits() {
        try (TestSmtpClient c = SubmissionTest.tls(gw.submissionClient())) {
            for (int i = 0; i < 2; i++) c.authPlain("lee@tailspin.test", "guess-" + i).assertCode(535);
            var locked = c.authPlain("lee@tailspin.test", "pw-6").assertCode(454);
            assertThat(locked.enhancedCode()).isEqualTo("4.7.0");
            assertThat(gw.traceOf(locked).decisions()).extracting(DecisionEntry::reason)
                    .anyMatch(r -> r.startsWith("submission.auth-locked: user lee@tailspin.test locked after 2 failed authentications within 30 s"));
        }
    }

    @Test
    void transportRulesChangeOutboundMailAsTheyDoInbound() throws Exception {
        try (TestSmtpClient c = SubmissionTest.login(gw.submissionClient(), "cy@fourthcoffee.test", "pw-5")) {
            // To a colleague: it stays inside (the tenant's delivery), where the result can be read.
            c.send("cy@fourthcoffee.test", List.of("dee@fourthcoffee.test"), TestGateway.wellFormed("cy@fourthcoffee.test",
                    "Subject: [tag-test] quarterly figures\r\nX-Internal-Note: draft\r\n\r\nfigures attached\r\n")).assertCode(250);
            // To the internet, with a copy for the archive that a rule adds.
            c.send("cy@fourthcoffee.test", List.of("x@example.net"), TestGateway.wellFormed("cy@fourthcoffee.test",
                    "Subject: [copy-test] order 77\r\n\r\nplease ship\r\n")).assertCode(250);
            var deleted = c.send("cy@fourthcoffee.test", List.of("dee@fourthcoffee.test"), TestGateway.wellFormed("cy@fourthcoffee.test",
                    "Subject: [drop-test] gone\r\n\r\nnever arrives\r\n")).assertCode(250);
            assertThat(gw.traceOf(deleted).status()).isEqualTo(org.postern.trace.TraceStatus.Deleted);
            assertThat(gw.traceOf(deleted).decisions()).extracting(DecisionEntry::reason)
                    .anyMatch(r -> r.contains("rule 'drop-outgoing' deletes the message (outbound)"));
        }
        String tagged = SubmissionTest.awaitMaildir(dir.resolve("mail/fourthcoffee/dee@fourthcoffee.test"), Duration.ofSeconds(10));
        assertThat(tagged).contains("Subject: [EXT] [tag-test] quarterly figures").contains("X-Reviewed: by-rule")
                .doesNotContain("X-Internal-Note").doesNotContain("[IN]");
        String archived = SubmissionTest.awaitMaildir(dir.resolve("mail/fourthcoffee/archive@fourthcoffee.test"), Duration.ofSeconds(10));
        assertThat(archived).contains("Subject: [copy-test] order 77").contains("please ship");
        Thread.sleep(500);
        try (Stream<Path> files = Files.list(dir.resolve("mail/fourthcoffee/dee@fourthcoffee.test/new"))) {
            assertThat(files.count()).as("the deleted message never arrives").isEqualTo(1);
        }
    }

    @Test
    void alertModeRefusesTemporarilyTellsTheAdminsOnceAndRestrictsNobody() throws Exception {
        try (TestSmtpClient c = SubmissionTest.login(gw.submissionClient(), "ann@tailspin.test", "pw-1")) {
            c.mailFrom("ann@tailspin.test").assertCode(250);
            c.rcptTo("a1@example.net").assertCode(250);
            c.rcptTo("a2@example.net").assertCode(250);
            var over = c.rcptTo("a3@example.net").assertCode(450);
            assertThat(over.enhancedCode()).isEqualTo("4.7.1");
            c.rcptTo("a4@example.net").assertCode(450);
            c.rset().assertCode(250);
            c.mailFrom("ann@tailspin.test").assertCode(250);
        }
        Path inbox = dir.resolve("mail/tailspin/admin@tailspin.test");
        assertThat(SubmissionTest.awaitMaildir(inbox, Duration.ofSeconds(10))).contains("Subject: Outbound limit reached by ann@tailspin.test");
        Thread.sleep(500);
        try (Stream<Path> files = Files.list(inbox.resolve("new"))) {
            assertThat(files.count()).as("one notice per hour, not one per refused recipient").isEqualTo(1);
        }
    }

    @Test
    void theTenantsTotalLimitRestrictsNoUser() throws IOException {
        try (TestSmtpClient c = SubmissionTest.login(gw.submissionClient(), "una@woodgrove.test", "pw-3")) {
            c.mailFrom("una@woodgrove.test").assertCode(250);
            for (int i = 1; i <= 3; i++) c.rcptTo("w" + i + "@example.net").assertCode(250);
        }
        try (TestSmtpClient c = SubmissionTest.login(gw.submissionClient(), "duo@woodgrove.test", "pw-4")) {
            c.mailFrom("duo@woodgrove.test").assertCode(250);
            var over = c.rcptTo("w4@example.net").assertCode(450);
            assertThat(over.text()).contains("tenant woodgrove reached 3 recipients-per-day");
            c.rset().assertCode(250);
            c.mailFrom("duo@woodgrove.test").assertCode(250);
        }
        try (TestSmtpClient c = SubmissionTest.login(gw.submissionClient(), "una@woodgrove.test", "pw-3")) {
            c.mailFrom("una@woodgrove.test").assertCode(250);
        }
    }
}
