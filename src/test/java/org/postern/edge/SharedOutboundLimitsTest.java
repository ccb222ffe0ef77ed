package org.postern.edge;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.testsupport.PrivateRedis;
import org.postern.testsupport.TestGateway;
import org.postern.testsupport.TestSmtpClient;

import java.nio.file.Path;
import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two nodes sharing Redis count one user's outbound recipients together: a user cannot double a 5/hour limit by
 * spreading submissions over two nodes; AUTH failures on one node count towards the lockout on the other.
 */
class SharedOutboundLimitsTest {

    @TempDir Path dir;
    private String url;
    private String prefix;

    @AfterEach
    void deleteKeys() {
        if (url != null) PrivateRedis.deleteKeys(url, prefix);
    }

    private String config() {
        return "redis: { url: \"" + url + "\", prefix: \"" + prefix + "\", timeout: 300ms }\n" + """
                outbound: { helo: mx.postern.test, mx-port: 1 }
                tenants:
                  - id: northwind
                    domains: [northwind.test]
                    delivery: "maildir:%s"
                    outbound: { recipients-per-hour: 5, on-limit: restrict }
                """.formatted(dir.resolve("mail"));
    }

    private static TestGateway node(Path dir, String host, String yaml) {
        TestGateway g = new TestGateway(dir, host, yaml, Clock.systemUTC(), true);
        SubmissionTest.cliWith(g, "burst-pw\n", "user", "add", "--tenant", "northwind", "--email", "burst@northwind.test", "--password-stdin");
        return g;
    }

    @Test
    void theSixthRecipientIsRefusedOnTheOtherNode() {
        url = PrivateRedis.requireShared();
        prefix = PrivateRedis.randomPrefix();
        try (TestGateway one = node(dir.resolve("one"), "mx1.postern.test", config());
             TestGateway two = node(dir.resolve("two"), "mx2.postern.test", config())) {
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
    void authFailuresOnOneNodeLockTheUserOutOnTheOther() {
        url = PrivateRedis.requireShared();
        prefix = PrivateRedis.randomPrefix();
        try (TestGateway one = node(dir.resolve("one"), "mx1.postern.test", config());
             TestGateway two = node(dir.resolve("two"), "mx2.postern.test", config())) {
            try (TestSmtpClient c = SubmissionTest.tls(one.submissionClient())) {
                for (int i = 0; i < 5; i++) c.authPlain("burst@northwind.test", "guess-" + i).assertCode(535);
            }
            try (TestSmtpClient c = SubmissionTest.tls(two.submissionClient())) {
                c.authPlain("burst@northwind.test", "burst-pw").assertCode(454);
            }
        }
    }
}
