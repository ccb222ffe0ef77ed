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

    @Test
    void connectionsOverThePerNetworkLimitGet421() {
        // 127.0.0.2, .3 and .4 are three addresses of one /24
        try (RunningGateway gw = new RunningGateway(dir, "limits: { connections-per-network: 2 }\n" + TENANT);
             TestSmtpClient a = TestSmtpClient.connectFrom("127.0.0.2", gw.gateway.smtpPort());
             TestSmtpClient b = TestSmtpClient.connectFrom("127.0.0.3", gw.gateway.smtpPort());
             TestSmtpClient c = TestSmtpClient.connectFrom("127.0.0.4", gw.gateway.smtpPort())) {
            a.greeting().assertCode(220);
            b.greeting().assertCode(220);
            var refused = c.greeting();
            assertThat(refused.code()).isEqualTo(421);
            assertThat(refused.enhancedCode()).isEqualTo("4.7.0");
            assertThat(refused.text()).contains("Too many connections from your network");
            assertThat(c.isClosedByServer(Duration.ofSeconds(5))).isTrue();
            assertThat(gw.trace(RunningGateway.ref(refused)).orElseThrow().decisions()).singleElement().satisfies(d -> {
                assertThat(d.setting()).isEqualTo("limits.connections-per-network");
                assertThat(d.reason()).isEqualTo("operator.connections-per-network: 3 connections from 127.0.0.0/24, limit 2");
            });
        }
    }

    @Test
    void recipientsOverTheRatePerMinuteGet421AndTheConnectionCloses() {
        try (RunningGateway gw = new RunningGateway(dir, "limits: { recipients-per-ip-per-minute: 2 }\n" + TENANT);
             TestSmtpClient c = gw.client()) {
            c.greeting().assertCode(220);
            c.ehlo("client.example.org").assertCode(250);
            c.mailFrom("a@example.org").assertCode(250);
            c.rcptTo("one@acme.test").assertCode(250);
            assertThat(c.rcptTo("nobody@elsewhere.test").code()).as("a refused recipient spends the budget too").isEqualTo(554);
            var third = c.rcptTo("three@acme.test");
            assertThat(third.code()).isEqualTo(421);
            assertThat(third.enhancedCode()).isEqualTo("4.7.0");
            assertThat(c.isClosedByServer(Duration.ofSeconds(5))).isTrue();
            var t = gw.trace(RunningGateway.ref(third)).orElseThrow();
            assertThat(t.phase()).isEqualTo("RCPT");
            assertThat(t.decisions()).anySatisfy(d -> assertThat(d.setting()).isEqualTo("limits.recipients-per-ip-per-minute"));
        }
    }

    @Test
    void aClientTalkingBeforeTheBannerIsRefused554AndDisconnected() throws Exception {
        try (RunningGateway gw = new RunningGateway(dir, "smtp: { greet-pause: 1s }\n" + TENANT);
             java.net.Socket s = new java.net.Socket("127.0.0.1", gw.gateway.smtpPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("EHLO impatient.example.org\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            var in = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(), java.nio.charset.StandardCharsets.US_ASCII));
            String reply = in.readLine();
            assertThat(reply).startsWith("554 5.7.1 ").contains("talked before the greeting").matches(".*\\[ref=[0-9A-Z]+]$");
            assertThat(in.readLine()).as("the connection is closed after the refusal").isNull();
            var t = gw.trace(RunningGateway.ref(reply)).orElseThrow();
            assertThat(t.phase()).isEqualTo("CONNECT");
            assertThat(t.decisions()).singleElement().satisfies(d -> {
                assertThat(d.setting()).isEqualTo("smtp.greet-pause");
                assertThat(d.reason()).startsWith("operator.early-talker: 28 octets sent during the 1000 ms greet pause");
            });
            // a client that waits for the banner is served as usual
            long t0 = System.nanoTime();
            try (TestSmtpClient polite = gw.client()) {
                polite.greeting().assertCode(220);
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
                polite.ehlo("polite.example.org").assertCode(250);
            }
        }
    }
}
