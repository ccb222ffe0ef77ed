package org.postern.edge;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.testsupport.TestGateway;
import org.postern.testsupport.TestSmtpClient;
import org.postern.trace.DecisionEntry;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The classic open-relay tricks, over real SMTP on the MX listener and on the submission listener (issue 9): every
 * one is refused with a precise reply, and nothing is queued. The positive controls (a tenant's recipient, an
 * authenticated user, the tenant's on-premises server) show the same gateway does relay when it should.
 */
class NoOpenRelayTest {

    @TempDir static Path dir;
    static TestGateway gw;

    /** One relay attempt: the forward-path as the client writes it, and the reply it must get. */
    record Trick(String name, String path, int code, String enhanced) { }

    static final List<Trick> ON_THE_MX_LISTENER = List.of(
            new Trick("external recipient", "<victim@other.test>", 554, "5.7.1"),
            new Trick("percent hack", "<victim%other.test@contoso.test>", 554, "5.7.1"),
            new Trick("percent hack, two hops", "<victim%other.test%third.test@contoso.test>", 554, "5.7.1"),
            new Trick("source route to an outside domain", "<@contoso.test:victim@other.test>", 554, "5.7.1"),
            new Trick("source route through two hops", "<@contoso.test,@mx.contoso.test:victim@other.test>", 554, "5.7.1"),
            new Trick("quoted local part with @", "<\"victim@other.test\"@contoso.test>", 554, "5.7.1"),
            new Trick("quoted local part with %", "<\"victim%other.test\"@contoso.test>", 554, "5.7.1"),
            new Trick("user@other@domain", "<victim@other.test@contoso.test>", 501, "5.1.3"),
            new Trick("bang path", "<other.test!victim@contoso.test>", 554, "5.7.1"),
            new Trick("IP literal", "<victim@[192.0.2.1]>", 554, "5.7.1"),
            new Trick("IPv6 literal", "<victim@[IPv6:2001:db8::1]>", 554, "5.7.1"),
            new Trick("loopback literal", "<victim@[127.0.0.1]>", 554, "5.7.1"));

    @BeforeAll
    static void start() {
        gw = new TestGateway(dir, "mx.relay.postern.test", """
                outbound: { helo: mx.relay.postern.test, mx-port: 1 }
                tenants:
                  - id: contoso
                    domains: [contoso.test]
                    delivery: "maildir:%1$s/mail/contoso"
                    connectors:
                      - { name: contoso-exchange, kind: on-premises, match: { ips: [127.0.0.5/32], sender-domains: [contoso.test] } }
                """.formatted(dir), Clock.systemUTC(), true);
        SubmissionTest.cliWith(gw, "alice-pw\n", "user", "add", "--tenant", "contoso", "--email", "alice@contoso.test", "--password-stdin");
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void everyTrickIsRefusedOnTheMxListener() {
        List<String> wrong = new ArrayList<>();
        try (TestSmtpClient c = gw.client()) {
            c.greeting().assertCode(220);
            c.ehlo("relay-tester.example").assertCode(250);
            c.mailFrom("spammer@example.org").assertCode(250);
            for (Trick t : ON_THE_MX_LISTENER) {
                var reply = c.command("RCPT TO:" + t.path());
                if (reply.code() != t.code() || !reply.enhancedCode().equals(t.enhanced()) || !reply.text().contains("[ref=")) {
                    wrong.add(t.name() + " " + t.path() + ": " + reply);
                }
            }
            // Nothing was accepted, so there is nothing to send.
            assertThat(c.command("DATA").code()).isEqualTo(554);
        }
        assertThat(wrong).as("relay tricks not refused as expected").isEmpty();
    }

    @Test
    void percentHackRefusalIsTracedAsARelayTrick() {
        try (TestSmtpClient c = gw.client()) {
            c.greeting().assertCode(220);
            c.ehlo("relay-tester.example").assertCode(250);
            c.mailFrom("spammer@example.org").assertCode(250);
            var refused = c.rcptTo("victim%other.test@contoso.test").assertCode(554);
            assertThat(refused.text()).contains("Relay access denied");
            assertThat(gw.traceOf(refused).decisions()).extracting(DecisionEntry::reason)
                    .anyMatch(r -> r.startsWith("tenant.relay-trick: local part of victim%other.test@contoso.test routes onward"));
            // The control: the same tenant's plain recipient is accepted.
            c.rcptTo("victim@contoso.test").assertCode(250);
        }
    }

    @Test
    void unauthenticatedSubmissionRelaysNothing() {
        try (TestSmtpClient c = SubmissionTest.tls(gw.submissionClient())) {
            c.mailFrom("alice@contoso.test").assertCode(250);
            var external = c.rcptTo("victim@other.test").assertCode(554);
            assertThat(external.enhancedCode()).isEqualTo("5.7.1");
            assertThat(external.text()).contains("Relay access denied");
            var internal = c.rcptTo("bob@contoso.test").assertCode(530);
            assertThat(internal.enhancedCode()).isEqualTo("5.7.0");
            for (Trick t : ON_THE_MX_LISTENER) {
                assertThat(c.command("RCPT TO:" + t.path()).code()).as(t.name()).isIn(501, 530, 554);
            }
            assertThat(c.command("DATA").code()).isEqualTo(554);
        }
    }

    @Test
    void authBeforeTlsIsRefusedAndSoIsTheRelayThatWouldFollow() {
        try (TestSmtpClient c = gw.submissionClient()) {
            c.greeting().assertCode(220);
            c.ehlo("relay-tester.example").assertCode(250);
            var auth = c.authPlain("alice@contoso.test", "alice-pw").assertCode(530);
            assertThat(auth.enhancedCode()).isEqualTo("5.7.0");
            c.mailFrom("alice@contoso.test").assertCode(250);
            assertThat(c.rcptTo("victim@other.test").code()).isEqualTo(554);
        }
    }

    @Test
    void anAuthenticatedUserAndTheTenantsOwnServerMayRelay() {
        try (TestSmtpClient c = SubmissionTest.login(gw.submissionClient(), "alice@contoso.test", "alice-pw")) {
            c.mailFrom("alice@contoso.test").assertCode(250);
            c.rcptTo("friend@other.test").assertCode(250);
            // An address literal has no MX to deliver to, authenticated or not.
            assertThat(c.rcptTo("friend@[192.0.2.1]").code()).isEqualTo(554);
        }
        TestSmtpClient.Reply relayed;
        try (TestSmtpClient c = TestSmtpClient.connectFrom("127.0.0.5", gw.gateway.smtpPort())) {
            c.greeting().assertCode(220);
            c.ehlo("exchange.contoso.test").assertCode(250);
            relayed = c.send("app@contoso.test", List.of("customer@other.test"),
                    TestGateway.wellFormed("app@contoso.test", "Subject: invoice\r\n\r\nattached\r\n")).assertCode(250);
        }
        assertThat(gw.traceOf(relayed).decisions()).extracting(DecisionEntry::reason)
                .anyMatch(r -> r.startsWith("outbound.relay: client identified by"));
        // The same sender from any other address is an outsider.
        try (TestSmtpClient c = TestSmtpClient.connectFrom("127.0.0.6", gw.gateway.smtpPort())) {
            c.greeting().assertCode(220);
            c.ehlo("exchange.contoso.test").assertCode(250);
            c.mailFrom("app@contoso.test").assertCode(250);
            assertThat(c.rcptTo("customer@other.test").code()).isEqualTo(554);
        }
        // The on-premises server cannot smuggle a relay trick past the tenant domain either, nor mix directions.
        try (TestSmtpClient c = TestSmtpClient.connectFrom("127.0.0.5", gw.gateway.smtpPort())) {
            c.greeting().assertCode(220);
            c.ehlo("exchange.contoso.test").assertCode(250);
            c.mailFrom("app@contoso.test").assertCode(250);
            assertThat(c.rcptTo("victim%other.test@contoso.test").code()).isEqualTo(554);
            c.rcptTo("customer@other.test").assertCode(250);
            var mixed = c.rcptTo("bob@contoso.test").assertCode(452);
            assertThat(mixed.enhancedCode()).isEqualTo("4.5.3");
        }
    }
}
