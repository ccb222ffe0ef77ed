package org.postern.edge;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.smtp.TestPki;
import org.postern.testsupport.TestClock;
import org.postern.testsupport.TestSmtpClient;
import org.postern.trace.DecisionEntry;
import org.postern.trace.TraceRecord;
import org.postern.trace.TraceStatus;
import org.xbill.DNS.Type;

import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Connection filtering over real SMTP: the operator's DNS list is served by an in-process DNS server the gateway asks
 * through {@code dns.servers}, and clients connect from different loopback addresses (all of 127.0.0.0/8 is local).
 * 127.0.0.2 is listed (RFC 5782 §5: the conventional test entry), 127.0.0.1 is not.
 */
class ConnectionFilteringTest {

    private static final String LISTED = "127.0.0.2";
    private static final String TXT = "Listed by zen.dnsbl.test, see https://zen.dnsbl.test/q?127.0.0.2";

    @TempDir Path dir;

    private String config(String tenants) {
        return """
                dnsbl: [ { zone: zen.dnsbl.test, weight: 10 } ]
                tenants:
                """ + tenants;
    }

    private static void listTheTestEntry(RunningGateway gw) {
        gw.dns.addA("2.0.0.127.zen.dnsbl.test", "127.0.0.2").addTxt("2.0.0.127.zen.dnsbl.test", TXT);
    }

    private static List<String> reasons(TraceRecord t) {
        return t.decisions().stream().map(DecisionEntry::reason).toList();
    }

    @Test
    void aListedClientIsRefusedForATenantWithoutOverridesAndAcceptedForATenantThatAllowsIt() {
        Path mail = dir.resolve("mail");
        try (RunningGateway gw = new RunningGateway(dir.resolve("gw"), config("""
                  - { id: plain, domains: [plain.test], delivery: "maildir:%1$s/plain" }
                  - id: trusting
                    domains: [trusting.test]
                    delivery: "maildir:%1$s/trusting"
                    ip-allow: [ { cidr: 127.0.0.0/29, comment: our test partner } ]
                """.formatted(mail)))) {
            listTheTestEntry(gw);
            try (TestSmtpClient c = TestSmtpClient.connectFrom(LISTED, gw.gateway.smtpPort())) {
                c.greeting().assertCode(220);
                c.ehlo("listed.example.org").assertCode(250);
                c.mailFrom("sender@example.org").assertCode(250);
                var refused = c.rcptTo("user@plain.test");
                assertThat(refused.code()).isEqualTo(550);
                assertThat(refused.enhancedCode()).isEqualTo("5.7.1");
                assertThat(refused.text()).contains("client host [127.0.0.2] blocked using zen.dnsbl.test").contains(TXT)
                        .doesNotContain("trusting").matches("(?s).*\\[ref=[0-9A-Z]+]$");
                c.rset().assertCode(250);
                c.mailFrom("sender@example.org").assertCode(250);
                c.rcptTo("user@trusting.test").assertCode(250);
                String accepted = RunningGateway.ref(c.data("Subject: allowed\r\n\r\nhello\r\n").assertCode(250));

                TraceRecord t = gw.trace(RunningGateway.ref(refused)).orElseThrow();
                assertThat(t.tenant()).contains("plain");
                assertThat(t.phase()).isEqualTo("RCPT");
                assertThat(reasons(t)).anySatisfy(r -> assertThat(r).startsWith("trust.dnsbl-listed: client host [127.0.0.2] blocked using zen.dnsbl.test"))
                        .anySatisfy(r -> assertThat(r).startsWith("trust.dnsbl-score: 127.0.0.2: zen.dnsbl.test=10 (127.0.0.2); score 10, threshold 10"))
                        .anySatisfy(r -> assertThat(r).startsWith("trust.precedence: DNS lists decide"));
                assertThat(t.toString()).doesNotContain("trusting");
                assertThat(reasons(gw.trace(accepted).orElseThrow()))
                        .anySatisfy(r -> assertThat(r).startsWith("trust.ip-allow: 127.0.0.2 in ip-allow 127.0.0.0/29 (our test partner)"))
                        .anySatisfy(r -> assertThat(r).contains("ip-allow 127.0.0.0/29 decides; overrides DNS lists"));
            }
            // The lists were asked once, at CONNECT, and the answer is cached for its TTL: a second connection asks nothing.
            try (TestSmtpClient again = TestSmtpClient.connectFrom(LISTED, gw.gateway.smtpPort())) {
                again.greeting().assertCode(220);
                again.ehlo("listed.example.org").assertCode(250);
                again.mailFrom("sender@example.org").assertCode(250);
                assertThat(again.rcptTo("user@plain.test").code()).isEqualTo(550);
            }
            assertThat(gw.dns.queryCount("2.0.0.127.zen.dnsbl.test", Type.A)).isEqualTo(1);
        }
    }

    @Test
    void anUnlistedClientAndARelayAttemptNeverWaitForTheLists() {
        try (RunningGateway gw = new RunningGateway(dir.resolve("gw"), config("""
                  - { id: plain, domains: [plain.test], delivery: "maildir:%s" }
                """.formatted(dir.resolve("mail"))))) {
            gw.dns.timeout("1.0.0.127.zen.dnsbl.test"); // the list is down for this client
            try (TestSmtpClient c = TestSmtpClient.connectFrom("127.0.0.1", gw.gateway.smtpPort())) {
                c.greeting().assertCode(220);
                c.ehlo("clean.example.org").assertCode(250);
                c.mailFrom("sender@example.org").assertCode(250);
                assertThat(c.rcptTo("someone@elsewhere.test").code()).isEqualTo(554);
                var ok = c.rcptTo("user@plain.test");
                assertThat(ok.code()).as("a list that does not answer counts as not listed").isEqualTo(250);
                String ref = RunningGateway.ref(c.data("Subject: x\r\n\r\nx\r\n").assertCode(250));
                assertThat(reasons(gw.trace(ref).orElseThrow())).anySatisfy(r -> assertThat(r)
                        .startsWith("trust.dnsbl-tempfail: zen.dnsbl.test: ").endsWith("; counted as not listed"));
            }
        }
    }

    @Test
    void anExpiredAllowEntryStopsWorkingByItself() {
        TestClock clock = new TestClock(Instant.parse("2026-11-28T10:00:00Z"));
        try (RunningGateway gw = new RunningGateway(dir.resolve("gw"), config("""
                  - id: trusting
                    domains: [trusting.test]
                    delivery: "maildir:%s"
                    ip-allow: [ { cidr: 127.0.0.2, expires: 2026-11-28T11:00:00Z } ]
                """.formatted(dir.resolve("mail"))), clock)) {
            listTheTestEntry(gw);
            assertThat(rcptFrom(gw, LISTED, "user@trusting.test").code()).isEqualTo(250);
            clock.advance(Duration.ofHours(1));
            var refused = rcptFrom(gw, LISTED, "user@trusting.test");
            assertThat(refused.code()).isEqualTo(550);
            assertThat(reasons(gw.trace(RunningGateway.ref(refused)).orElseThrow()))
                    .anySatisfy(r -> assertThat(r).isEqualTo("trust.ip-allow-expired: 127.0.0.2 in expired ip-allow 127.0.0.2/32"
                            + " (expires 2026-11-28T11:00:00Z): no longer applies"));
        }
    }

    @Test
    void theTenantsBlockListRefusesNamingTheTenantsList() {
        try (RunningGateway gw = new RunningGateway(dir.resolve("gw"), config("""
                  - id: strict
                    domains: [strict.test]
                    delivery: "maildir:%s"
                    ip-block: [ { cidr: 127.0.0.0/24 } ]
                """.formatted(dir.resolve("mail"))))) {
            var refused = rcptFrom(gw, "127.0.0.1", "user@strict.test");
            assertThat(refused.code()).isEqualTo(550);
            assertThat(refused.enhancedCode()).isEqualTo("5.7.1");
            assertThat(refused.text()).contains("client host [127.0.0.1] blocked by the ip-block list of strict (127.0.0.0/24)");
            assertThat(gw.trace(RunningGateway.ref(refused)).orElseThrow().decisions())
                    .anySatisfy(d -> assertThat(d.setting()).isEqualTo("tenants.strict.ip-block[0]"));
        }
    }

    @Test
    void aPartnerWithACertificateFromTheConfiguredCaIsAcceptedDespiteTheListingButNotWithASelfSignedOne() {
        Path mail = dir.resolve("mail");
        TestPki.Issued partnerCa = TestPki.ca("Partner CA");
        TestPki.Issued serverCa = TestPki.ca("Server CA");
        KeyPair serverKeys = TestPki.ecKeys();
        Path cert = TestPki.writePem(dir.resolve("mx.pem"), TestPki.server(serverCa, serverKeys, RunningGateway.HOST));
        Path key = TestPki.writePem(dir.resolve("mx.key"), pkcs8(serverKeys));
        Path ca = TestPki.writePem(dir.resolve("partners-ca.pem"), partnerCa.certificate());
        try (RunningGateway gw = new RunningGateway(dir.resolve("gw"), """
                tls: { certificate: "%s", private-key: "%s", client-ca: "%s" }
                """.formatted(cert, key, ca) + config("""
                  - id: contoso
                    domains: [contoso.test]
                    delivery: "maildir:%s"
                    connectors:
                      - name: partner-fabrikam
                        kind: partner
                        match: { tls-cert-names: [mail.fabrikam.test], sender-domains: [fabrikam.test] }
                        require-tls: true
                        trust: bypass-ip-filtering
                """.formatted(mail)))) {
            listTheTestEntry(gw);

            TestPki.Issued partner = TestPki.client(partnerCa, "mail.fabrikam.test", "mail.fabrikam.test");
            String ref;
            try (TestSmtpClient c = tlsClient(gw, partner)) {
                c.mailFrom("bob@fabrikam.test").assertCode(250);
                c.rcptTo("alice@contoso.test").assertCode(250);
                ref = RunningGateway.ref(c.data(RunningGateway.wellFormed("bob@fabrikam.test", "Subject: from the partner\r\n\r\nhi\r\n")).assertCode(250));
            }
            TraceRecord t = gw.awaitStatus(ref, TraceStatus.Delivered, Duration.ofSeconds(15));
            assertThat(reasons(t)).anySatisfy(r -> assertThat(r).startsWith(
                            "trust.connector: partner-fabrikam (partner, trust: bypass-ip-filtering) identified by verified certificate name mail.fabrikam.test"))
                    .anySatisfy(r -> assertThat(r).contains("connector partner-fabrikam decides (trust: bypass-ip-filtering); overrides DNS lists"));
            assertThat(RunningGateway.maildir(mail, "alice@contoso.test")).singleElement()
                    .satisfies(f -> assertThat(RunningGateway.read(f)).contains("connector=partner-fabrikam;"));

            TestPki.Issued impostor = TestPki.selfSignedClient("mail.fabrikam.test", "mail.fabrikam.test");
            try (TestSmtpClient c = tlsClient(gw, impostor)) {
                c.mailFrom("bob@fabrikam.test").assertCode(250);
                var refused = c.rcptTo("alice@contoso.test");
                assertThat(refused.code()).isEqualTo(550);
                assertThat(refused.enhancedCode()).isEqualTo("5.7.1");
                assertThat(refused.text()).contains("must present a verified TLS certificate named mail.fabrikam.test");
            }
            // the partner's domain without TLS: refused by the connector's require-tls
            var plain = rcptFrom(gw, "127.0.0.1", "bob@fabrikam.test", "alice@contoso.test");
            assertThat(plain.code()).isEqualTo(550);
            assertThat(plain.text()).contains("mail from fabrikam.test must arrive over TLS (connector partner-fabrikam)");
        }
    }

    @Test
    void enhancedFilteringJudgesTheOriginalClientFromTheReceivedChainAtEndOfData() {
        Path mail = dir.resolve("mail");
        try (RunningGateway gw = new RunningGateway(dir.resolve("gw"), config("""
                  - id: fronted
                    domains: [fronted.test]
                    delivery: "maildir:%s"
                    enhanced-filtering: { skip-ips: [127.0.0.5] }
                """.formatted(mail)))) {
            listTheTestEntry(gw);
            gw.dns.addA("5.0.0.127.zen.dnsbl.test", "127.0.0.2"); // the hop itself is listed too: it is skipped
            String fromListed = "Received: from bad.example (bad.example [127.0.0.2])\r\n\tby hop.fronted.test with ESMTP id 1;"
                    + " Sat, 28 Nov 2026 10:00:00 +0000\r\nSubject: via the hop\r\n\r\nspam\r\n";
            String fromClean = fromListed.replace("[127.0.0.2]", "[127.0.0.9]");
            try (TestSmtpClient c = TestSmtpClient.connectFrom("127.0.0.5", gw.gateway.smtpPort())) {
                c.greeting().assertCode(220);
                c.ehlo("hop.fronted.test").assertCode(250);
                c.mailFrom("someone@example.org").assertCode(250);
                c.rcptTo("user@fronted.test").assertCode(250);
                var refused = c.data(fromListed);
                assertThat(refused.code()).isEqualTo(550);
                assertThat(refused.text()).contains("client host [127.0.0.2] blocked using zen.dnsbl.test");
                TraceRecord t = gw.trace(RunningGateway.ref(refused)).orElseThrow();
                assertThat(t.phase()).isEqualTo("DATA");
                assertThat(reasons(t)).anySatisfy(r -> assertThat(r).startsWith("trust.enhanced-filtering-hop: 127.0.0.5 is a hop"))
                        .anySatisfy(r -> assertThat(r).startsWith("trust.original-client: 127.0.0.2 from Received field 1"));

                c.mailFrom("someone@example.org").assertCode(250);
                c.rcptTo("user@fronted.test").assertCode(250);
                c.data(fromClean).assertCode(250);
            }
        }
    }

    @Test
    void explainShowsTheChainAndTraceFindsTheRefusal() {
        try (RunningGateway gw = new RunningGateway(dir.resolve("gw"), config("""
                  - { id: plain, domains: [plain.test], delivery: "maildir:%s" }
                """.formatted(dir.resolve("mail"))))) {
            listTheTestEntry(gw);
            var refused = rcptFrom(gw, LISTED, "user@plain.test");
            var traced = RunningGateway.cli("trace", "--config", gw.configFile.toString(), "--ref", RunningGateway.ref(refused), "--json");
            assertThat(traced.exitCode()).isZero();
            assertThat(traced.stdout()).contains("trust.dnsbl-listed: client host [127.0.0.2] blocked using zen.dnsbl.test")
                    .contains("trust.precedence");
            var explained = RunningGateway.cli("explain", "--config", gw.configFile.toString(), "--ip", LISTED,
                    "--from", "sender@example.org", "--to", "user@plain.test", "--json");
            assertThat(explained.exitCode()).as(explained.stderr()).isZero();
            assertThat(explained.stdout()).contains("\"outcome\":\"reject\"").contains("DoesTenantTrustClient")
                    .contains("trust.dnsbl-score").contains("550 5.7.1");
        }
    }

    private static Object pkcs8(KeyPair keys) {
        try {
            return new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(keys.getPrivate(), null);
        } catch (org.bouncycastle.util.io.pem.PemGenerationException e) {
            throw new AssertionError(e);
        }
    }

    private static TestSmtpClient tlsClient(RunningGateway gw, TestPki.Issued cert) {
        TestSmtpClient c = TestSmtpClient.connectFrom(LISTED, gw.gateway.smtpPort());
        c.greeting().assertCode(220);
        c.ehlo("mail.fabrikam.test").assertCode(250);
        c.startTls(TestPki.clientContext(cert).getSocketFactory()).assertCode(220);
        c.ehlo("mail.fabrikam.test").assertCode(250);
        return c;
    }

    private static TestSmtpClient.Reply rcptFrom(RunningGateway gw, String clientIp, String recipient) {
        return rcptFrom(gw, clientIp, "sender@example.org", recipient);
    }

    private static TestSmtpClient.Reply rcptFrom(RunningGateway gw, String clientIp, String sender, String recipient) {
        try (TestSmtpClient c = TestSmtpClient.connectFrom(clientIp, gw.gateway.smtpPort())) {
            c.greeting().assertCode(220);
            c.ehlo("client.example.org").assertCode(250);
            c.mailFrom(sender).assertCode(250);
            return c.rcptTo(recipient);
        }
    }
}
