package org.postern.edge;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.testsupport.TestSmtpClient;
import org.postern.trace.TraceStatus;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Operator limits act at CONNECT (and the message rate at MAIL), before any tenant is known. */
class OperatorLimitsTest {

    @TempDir Path dir;

    private static final String TENANT = """
            tenants:
              - { id: acme, domains: [acme.test], delivery: "maildir:/tmp/postern-limits-unused" }
            """;

    @Test
    void hardBannedClientGets554AtGreetingAndOnlyQuitIsAccepted() {
        try (RunningGateway gw = new RunningGateway(dir, "operator: { blocked-ips: [\"127.0.0.0/8\"] }\n" + TENANT);
             TestSmtpClient c = gw.client()) {
            var greeting = c.greeting();
            assertThat(greeting.code()).isEqualTo(554);
            assertThat(greeting.enhancedCode()).isEqualTo("5.7.1");
            String ref = RunningGateway.ref(greeting);
            assertThat(c.ehlo("client.example.org").code()).isGreaterThanOrEqualTo(500);
            assertThat(c.mailFrom("a@example.org").code()).isGreaterThanOrEqualTo(500);
            assertThat(c.quit().code()).isEqualTo(221);
            var t = gw.trace(ref).orElseThrow();
            assertThat(t.phase()).isEqualTo("CONNECT");
            assertThat(t.status()).isEqualTo(TraceStatus.Rejected);
            assertThat(t.decisions()).singleElement().satisfies(d -> {
                assertThat(d.reason()).startsWith("operator.blocked-ip");
                assertThat(d.setting()).isEqualTo("operator.blocked-ips");
            });
        }
    }

    @Test
    void connectionsOverThePerIpLimitGet421AndAreClosed() {
        try (RunningGateway gw = new RunningGateway(dir, "limits: { connections-per-ip: 2 }\n" + TENANT);
             TestSmtpClient a = gw.client(); TestSmtpClient b = gw.client()) {
            a.greeting().assertCode(220);
            b.greeting().assertCode(220);
            try (TestSmtpClient third = gw.client()) {
                var refused = third.greeting();
                assertThat(refused.code()).isEqualTo(421);
                assertThat(refused.enhancedCode()).isEqualTo("4.7.0");
                assertThat(third.isClosedByServer(Duration.ofSeconds(5))).isTrue();
                assertThat(gw.trace(RunningGateway.ref(refused)).orElseThrow().decisions()).singleElement()
                        .satisfies(d -> assertThat(d.setting()).isEqualTo("limits.connections-per-ip"));
            }
            a.quit();
            // A closed connection frees its place.
            long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            int code = 0;
            while (code != 220 && System.nanoTime() < until) {
                try (TestSmtpClient again = gw.client()) {
                    code = again.greeting().code();
                }
            }
            assertThat(code).isEqualTo(220);
        }
    }

    @Test
    void aSilentClientIsToldTimeoutAfterTheConfiguredCommandTimeout() {
        try (RunningGateway gw = new RunningGateway(dir, "smtp: { command-timeout: 1s }\n" + TENANT);
             TestSmtpClient c = gw.client()) {
            c.greeting().assertCode(220);
            c.setTimeout(Duration.ofSeconds(10));
            var reply = c.readReply();
            assertThat(reply.code()).isEqualTo(421);
            assertThat(reply.enhancedCode()).isEqualTo("4.4.2");
            assertThat(c.isClosedByServer(Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void connectionsOverTheNodeLimitGet421() {
        try (RunningGateway gw = new RunningGateway(dir, "smtp: { max-connections: 1 }\n" + TENANT);
             TestSmtpClient a = gw.client(); TestSmtpClient b = gw.client()) {
            a.greeting().assertCode(220);
            var refused = b.greeting();
            assertThat(refused.code()).isEqualTo(421);
            assertThat(gw.trace(RunningGateway.ref(refused)).orElseThrow().decisions()).singleElement()
                    .satisfies(d -> assertThat(d.setting()).isEqualTo("smtp.max-connections"));
        }
    }

    @Test
    void messagesOverTheRatePerMinuteGet421() {
        try (RunningGateway gw = new RunningGateway(dir, "limits: { messages-per-ip-per-minute: 2 }\n" + TENANT);
             TestSmtpClient c = gw.client()) {
            c.greeting().assertCode(220);
            c.ehlo("client.example.org").assertCode(250);
            c.mailFrom("a@example.org").assertCode(250);
            c.rset().assertCode(250);
            c.mailFrom("a@example.org").assertCode(250);
            c.rset().assertCode(250);
            var third = c.mailFrom("a@example.org");
            assertThat(third.code()).isEqualTo(421);
            assertThat(third.enhancedCode()).isEqualTo("4.7.0");
            assertThat(gw.trace(RunningGateway.ref(third)).orElseThrow().phase()).isEqualTo("MAIL");
        }
    }
}
