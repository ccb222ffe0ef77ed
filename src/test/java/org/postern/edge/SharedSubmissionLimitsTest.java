package org.postern.edge;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.testsupport.PrivateRedis;
import org.postern.testsupport.TestGateway;
import org.postern.testsupport.TestSmtpClient;
import org.postern.trace.DecisionEntry;

import java.nio.file.Path;
import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With Redis shared, a submission user meets the tenant's outbound recipient limit and the AUTH failure lockout
 * across nodes: guesses or recipients spread over two nodes count together.
 */
class SharedSubmissionLimitsTest {

    @TempDir Path dir;

    private String url;
    private String prefix;

    @AfterEach
    void deleteKeys() {
        if (url != null) PrivateRedis.deleteKeys(url, prefix);
    }

    private TestGateway node(String name) {
        TestGateway gw = new TestGateway(dir.resolve(name), name + ".postern.test", """
                node: { name: %2$s }
                redis: { url: "%3$s", prefix: "%4$s" }
                outbound: { helo: %2$s.postern.test, mx-port: 1 }
                tenants:
                  - id: tailspin
                    domains: [tailspin.test]
                    delivery: "maildir:%1$s/mail/tailspin"
                    outbound: { recipients-per-hour: 2, on-limit: alert }
                  - id: northwind
                    domains: [northwind.test]
                    delivery: "maildir:%1$s/mail/northwind"
                    outbound: { recipients-per-hour: 5, on-limit: restrict }
                """.formatted(dir, name, url, prefix), Clock.systemUTC(), true);
        gw.dns.addMx("example.net", 10, "mx.example.net").addA("mx.example.net", "127.0.0.1");
        SubmissionTest.cliWith(gw, "pw-1\n", "user", "add", "--tenant", "tailspin", "--email", "ann@tailspin.test", "--password-stdin");
        SubmissionTest.cliWith(gw, "pw-2\n", "user", "add", "--tenant", "tailspin", "--email", "bo@tailspin.test", "--password-stdin");
        SubmissionTest.cliWith(gw, "burst-pw\n", "user", "add", "--tenant", "northwind", "--email", "burst@northwind.test", "--password-stdin");
        return gw;
    }

    @Test
    void theSixthRecipientOverARestrictLimitIsRefusedOnTheOtherNode() {
        url = PrivateRedis.requireShared();
        prefix = PrivateRedis.randomPrefix();
        try (TestGateway one = node("edge-1"); TestGateway two = node("edge-2")) {
            try (TestSmtpClient c = SubmissionTest.login(one.submissionClient(), "burst@northwind.test", "burst-pw")) {
                c.mailFrom("burst@northwind.test").assertCode(250);
                for (int i = 1; i <= 3; i++) c.rcptTo("r" + i + "@example.net").assertCode(250);
            }
            try (TestSmtpClient c = SubmissionTest.login(two.submissionClient(), "burst@northwind.test", "burst-pw")) {
                c.mailFrom("burst@northwind.test").assertCode(250);
                c.rcptTo("r4@example.net").assertCode(250);
                c.rcptTo("r5@example.net").assertCode(250);
                var sixth = c.rcptTo("r6@example.net").assertCode(550);
                assertThat(sixth.text()).contains("burst@northwind.test reached 5 recipients-per-hour");
            }
        }
    }

    @Test
    void theOutboundRecipientLimitIsCountedAcrossNodes() {
        url = PrivateRedis.requireShared();
        prefix = PrivateRedis.randomPrefix();
        try (TestGateway one = node("edge-1"); TestGateway two = node("edge-2")) {
            try (TestSmtpClient c = SubmissionTest.login(one.submissionClient(), "ann@tailspin.test", "pw-1")) {
                c.mailFrom("ann@tailspin.test").assertCode(250);
                c.rcptTo("a1@example.net").assertCode(250);
                c.rcptTo("a2@example.net").assertCode(250);
            }
            try (TestSmtpClient c = SubmissionTest.login(two.submissionClient(), "ann@tailspin.test", "pw-1")) {
                c.mailFrom("ann@tailspin.test").assertCode(250);
                var over = c.rcptTo("a3@example.net").assertCode(450);
                assertThat(over.enhancedCode()).isEqualTo("4.7.1");
            }
        }
    }

    @Test
    void failedAuthenticationsOnOneNodeLockTheUserOutOnTheOther() {
        url = PrivateRedis.requireShared();
        prefix = PrivateRedis.randomPrefix();
        try (TestGateway one = node("edge-1"); TestGateway two = node("edge-2")) {
            try (TestSmtpClient c = SubmissionTest.tls(one.submissionClient())) {
                for (int i = 0; i < 5; i++) c.authPlain("ann@tailspin.test", "guess-" + i).assertCode(535);
            }
            try (TestSmtpClient c = SubmissionTest.tls(two.submissionClient())) {
                var locked = c.authPlain("ann@tailspin.test", "pw-1").assertCode(454);
                assertThat(locked.enhancedCode()).isEqualTo("4.7.0");
                assertThat(two.traceOf(locked).decisions()).extracting(DecisionEntry::reason)
                        .anyMatch(r -> r.startsWith("submission.auth-locked: user ann@tailspin.test locked after 5 failed"));
            }
            // Another user of the same client is not locked, and a success lifts nothing it should not.
            try (TestSmtpClient c = SubmissionTest.tls(two.submissionClient())) {
                c.authPlain("bo@tailspin.test", "pw-2").assertCode(235);
            }
        }
    }
}
