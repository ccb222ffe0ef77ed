package org.postern.edge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.testsupport.TestSmtpClient;
import org.postern.trace.DecisionEntry;
import org.postern.trace.TraceRecord;
import org.postern.trace.TraceStatus;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The multi-tenant edge over real SMTP sockets: attribution, refusals, headers, trace, CLI. */
class InboundEdgeTest {

    @TempDir static Path dir;
    static RunningGateway gw;
    static Path mail;

    @BeforeAll
    static void start() {
        mail = dir.resolve("mail");
        gw = new RunningGateway(dir, """
                limits: { max-recipients: 3 }
                tenants:
                  - id: contoso
                    domains: [contoso.test, Contoso-Corp.test]
                    recipients: [alice@contoso.test, bob@contoso.test, carol@contoso-corp.test]
                    delivery: "maildir:%1$s/contoso"
                  - id: fabrikam
                    domains: [fabrikam.test, bücher.test]
                    delivery: "maildir:%1$s/fabrikam"
                """.formatted(mail));
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    private static TestSmtpClient session() {
        TestSmtpClient c = gw.client();
        c.greeting().assertCode(220);
        c.ehlo("client.example.org").assertCode(250);
        return c;
    }

    @Test
    void deliversCleanMailWithOurHeadersAndWithoutForgedVerdicts() {
        String ref;
        try (TestSmtpClient c = session()) {
            c.mailFrom("sender@example.org").assertCode(250);
            c.rcptTo("alice@contoso.test").assertCode(250);
            var reply = c.data("""
                    From: sender@example.org
                    To: alice@contoso.test
                    Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?= clean-1
                    Message-ID: <clean-1@example.org>
                    X-Postern-SCL: -1
                    X-Postern-Report: ref=FORGED; verdict=deliver
                    Authentication-Results: mx.e2e.postern.test; spf=pass smtp.mailfrom=ceo@contoso.test
                    Authentication-Results: elsewhere.example; spf=none

                    Hello Alice
                    .a line that starts with a dot
                    """.replace("\n", "\r\n"));
            assertThat(reply.code()).isEqualTo(250);
            assertThat(reply.enhancedCode()).isEqualTo("2.0.0");
            ref = RunningGateway.ref(reply);
        }
        TraceRecord t = gw.awaitStatus(ref, TraceStatus.Delivered, Duration.ofSeconds(10));
        assertThat(t.tenant()).contains("contoso");
        assertThat(t.subject()).contains("Grüße clean-1");
        assertThat(t.messageId()).contains("<clean-1@example.org>");
        assertThat(t.mailFrom()).contains("sender@example.org");
        assertThat(t.recipients()).containsExactly("alice@contoso.test");
        assertThat(t.decisions()).extracting(DecisionEntry::reason).anyMatch(r -> r.startsWith("tenant.attributed"));
        assertThat(gw.deliveries(ref)).singleElement().satisfies(d -> assertThat(d.outcome()).isEqualTo(TraceStatus.Delivered));

        String delivered = RunningGateway.maildir(mail.resolve("contoso"), "alice@contoso.test").stream()
                .map(RunningGateway::read).filter(s -> s.contains("clean-1@example.org")).findFirst().orElseThrow();
        String headers = delivered.substring(0, delivered.indexOf("\r\n\r\n"));
        assertThat(headers).contains("Received: from client.example.org (unknown [127.0.0.1])")
                .contains("by " + RunningGateway.HOST + " (Postern) with ESMTP id " + ref)
                .contains("X-Postern-SCL: " + t.scl().orElseThrow() + "\r\n")
                .contains("X-Postern-Report: ref=" + ref + "; tenant=contoso; scl=" + t.scl().orElseThrow() + "; verdict=")
                .contains("Authentication-Results: elsewhere.example; spf=none")
                .doesNotContain("X-Postern-SCL: -1")
                .doesNotContain("ref=FORGED")
                .doesNotContain("mx.e2e.postern.test; spf=pass");
        assertThat(delivered).endsWith("\r\n\r\nHello Alice\r\n.a line that starts with a dot\r\n");
    }

    @Test
    void mailOverStartTlsCarriesTheTlsFactsInReceivedAndTrace() throws Exception {
        javax.net.ssl.SSLContext trustAll = javax.net.ssl.SSLContext.getInstance("TLS");
        trustAll.init(null, new javax.net.ssl.TrustManager[]{new javax.net.ssl.X509TrustManager() {
            public void checkClientTrusted(java.security.cert.X509Certificate[] c, String a) { }
            public void checkServerTrusted(java.security.cert.X509Certificate[] c, String a) { }
            public java.security.cert.X509Certificate[] getAcceptedIssuers() { return new java.security.cert.X509Certificate[0]; }
        }}, null);
        String ref;
        try (TestSmtpClient c = session()) {
            c.startTls(trustAll.getSocketFactory()).assertCode(220);
            c.ehlo("tls.example.org").assertCode(250);
            c.mailFrom("sender@example.org").assertCode(250);
            c.rcptTo("bob@contoso.test").assertCode(250);
            ref = RunningGateway.ref(c.data(RunningGateway.wellFormed("sender@example.org", "Subject: over tls\r\nMessage-ID: <tls-1@example.org>\r\n\r\nsecret\r\n")).assertCode(250));
        }
        TraceRecord t = gw.awaitStatus(ref, TraceStatus.Delivered, Duration.ofSeconds(10));
        assertThat(t.tls()).hasValueSatisfying(v -> assertThat(v).startsWith("TLSv1."));
        String delivered = RunningGateway.maildir(mail.resolve("contoso"), "bob@contoso.test").stream()
                .map(RunningGateway::read).filter(s -> s.contains("tls-1@example.org")).findFirst().orElseThrow();
        assertThat(delivered).contains("Received: from tls.example.org").contains("(using TLSv1.").contains("with ESMTPS id " + ref);
    }

    @Test
    void refusesUnknownRecipientWith550AndTracesItInTheTenant() {
        try (TestSmtpClient c = session()) {
            c.mailFrom("sender@example.org").assertCode(250);
            var reply = c.rcptTo("mallory@contoso.test");
            assertThat(reply.code()).isEqualTo(550);
            assertThat(reply.enhancedCode()).isEqualTo("5.1.1");
            TraceRecord t = gw.trace(RunningGateway.ref(reply)).orElseThrow();
            assertThat(t.status()).isEqualTo(TraceStatus.Rejected);
            assertThat(t.phase()).isEqualTo("RCPT");
            assertThat(t.tenant()).contains("contoso");
            assertThat(t.smtpReply()).startsWith("550 5.1.1");
            assertThat(t.decisions()).last().satisfies(d -> {
                assertThat(d.reason()).startsWith("tenant.unknown-recipient");
                assertThat(d.setting()).isEqualTo("tenants.contoso.recipients");
            });
        }
    }

    @Test
    void refusesSmugglingInTheTenantsTraceAndAcceptsNothingOfIt() {
        String ref;
        try (TestSmtpClient c = session()) {
            c.mailFrom("sender@example.org").assertCode(250);
            c.rcptTo("alice@contoso.test").assertCode(250);
            c.command("DATA").assertCode(354);
            c.writeRaw(("Subject: smuggle-1\r\n\r\nhello\n.\r\nMAIL FROM:<ceo@contoso.test>\r\nRCPT TO:<alice@contoso.test>\r\n"
                    + "DATA\r\nSubject: smuggled-1\r\n\r\nx\r\n.\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            var reply = c.readReply();
            assertThat(reply.code()).isIn(521, 554);
            ref = RunningGateway.ref(reply);
        }
        TraceRecord t = gw.trace(ref).orElseThrow();
        assertThat(t.status()).isEqualTo(TraceStatus.Rejected);
        assertThat(t.phase()).isEqualTo("DATA");
        assertThat(t.tenant()).contains("contoso");
        assertThat(t.recipients()).containsExactly("alice@contoso.test");
        RunningGateway.sleep(300);
        assertThat(RunningGateway.maildir(mail.resolve("contoso"), "alice@contoso.test")).map(RunningGateway::read)
                .noneMatch(m -> m.contains("smuggle-1") || m.contains("smuggled-1"));
    }

    @Test
    void refusesRelayWith554WhenNoTenantServesTheDomain() {
        try (TestSmtpClient c = session()) {
            c.mailFrom("sender@example.org").assertCode(250);
            var reply = c.rcptTo("victim@example.net");
            assertThat(reply.code()).isEqualTo(554);
            assertThat(reply.enhancedCode()).isEqualTo("5.7.1");
            assertThat(reply.text()).contains("Relay access denied");
            TraceRecord t = gw.trace(RunningGateway.ref(reply)).orElseThrow();
            assertThat(t.tenant()).isEmpty();
            assertThat(t.decisions()).last().satisfies(d -> assertThat(d.reason()).startsWith("tenant.relay-denied"));
        }
    }

    @Test
    void refusesASecondTenantsRecipientWith452AndDeliversTheFirst() {
        String first;
        String refusal;
        try (TestSmtpClient c = session()) {
            c.mailFrom("sender@example.org").assertCode(250);
            c.rcptTo("bob@contoso.test").assertCode(250);
            var second = c.rcptTo("dave@fabrikam.test");
            assertThat(second.code()).isEqualTo(452);
            assertThat(second.enhancedCode()).isEqualTo("4.5.3");
            assertThat(second.text()).doesNotContain("contoso");
            refusal = RunningGateway.ref(second);
            first = RunningGateway.ref(c.data(RunningGateway.wellFormed("sender@example.org", "Subject: mixed\r\n\r\nfor bob only\r\n")).assertCode(250));
            // The client retries the deferred recipient in its own transaction.
            c.mailFrom("sender@example.org").assertCode(250);
            c.rcptTo("dave@fabrikam.test").assertCode(250);
            c.data("Subject: mixed\r\n\r\nfor dave\r\n").assertCode(250);
        }
        TraceRecord message = gw.awaitStatus(first, TraceStatus.Delivered, Duration.ofSeconds(10));
        assertThat(message.recipients()).containsExactly("bob@contoso.test");
        TraceRecord refused = gw.trace(refusal).orElseThrow();
        // The refusal belongs to the recipient's own tenant and names nothing of the other one.
        assertThat(refused.tenant()).contains("fabrikam");
        assertThat(refused.decisions()).extracting(DecisionEntry::reason).noneMatch(r -> r.contains("contoso"));
    }

    @Test
    void refusesRecipientsBeyondTheLimitWith452() {
        try (TestSmtpClient c = session()) {
            c.mailFrom("sender@example.org").assertCode(250);
            for (int i = 0; i < 3; i++) c.rcptTo("user" + i + "@fabrikam.test").assertCode(250);
            var fourth = c.rcptTo("user3@fabrikam.test");
            assertThat(fourth.code()).isEqualTo(452);
            assertThat(fourth.enhancedCode()).isEqualTo("4.5.3");
            assertThat(gw.trace(RunningGateway.ref(fourth)).orElseThrow().decisions()).last()
                    .satisfies(d -> assertThat(d.setting()).isEqualTo("limits.max-recipients"));
        }
    }

    @Test
    void attributesDomainsCaseInsensitivelyAndInBothIdnForms() {
        try (TestSmtpClient c = session()) {
            c.mailFrom("sender@example.org").assertCode(250);
            c.rcptTo("Alice@CONTOSO.TEST").assertCode(250);
            c.rcptTo("carol@contoso-CORP.test").assertCode(250);
            c.rset().assertCode(250);
            c.mailFrom("sender@example.org").assertCode(250);
            c.rcptTo("info@xn--bcher-kva.test").assertCode(250);
            c.rset().assertCode(250);
            c.mailFrom("sender@example.org", "SMTPUTF8").assertCode(250);
            c.rcptTo("info@BÜCHER.test").assertCode(250);
        }
    }

    @Test
    void tenantAppliedWithTheCliReachesTheRunningNode() throws Exception {
        try (TestSmtpClient c = session()) {
            c.mailFrom("sender@example.org").assertCode(250);
            assertThat(c.rcptTo("someone@northwind.test").code()).isEqualTo(554);
        }
        Path doc = dir.resolve("northwind.yaml");
        Files.writeString(doc, "id: northwind\ndomains: [northwind.test]\ndelivery: \"maildir:" + mail.resolve("northwind") + "\"\n");
        var applied = RunningGateway.cli("apply", "--config", gw.configFile.toString(), "-f", doc.toString());
        assertThat(applied.exitCode()).as(applied.stderr()).isZero();
        assertThat(applied.stdout()).contains("applied tenant northwind");
        long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        int code = 0;
        while (System.nanoTime() < until && code != 250) {
            try (TestSmtpClient c = session()) {
                c.mailFrom("sender@example.org").assertCode(250);
                code = c.rcptTo("someone@northwind.test").code();
            }
            if (code != 250) RunningGateway.sleep(100);
        }
        assertThat(code).isEqualTo(250);
    }

    @Test
    void applyRefusesADomainOwnedByAnotherTenantAndChangesNothing() throws Exception {
        Path doc = dir.resolve("thief.yaml");
        Files.writeString(doc, "- { id: thief, domains: [thief.test], delivery: \"maildir:/tmp/t\" }\n"
                + "- { id: thief2, domains: [CONTOSO.test], delivery: \"maildir:/tmp/t\" }\n");
        var applied = RunningGateway.cli("apply", "--config", gw.configFile.toString(), "-f", doc.toString());
        assertThat(applied.exitCode()).isEqualTo(1);
        assertThat(applied.stderr()).contains("contoso.test");
        assertThat(gw.gateway.tenants().byId("thief")).isEmpty();
    }

    @Test
    void traceCommandPrintsTheDocumentedFieldsAsJsonLines() throws Exception {
        String ref;
        try (TestSmtpClient c = session()) {
            c.mailFrom("trace-me@example.org").assertCode(250);
            ref = RunningGateway.ref(c.rcptTo("nobody@contoso.test"));
        }
        var result = RunningGateway.cli("trace", "--config", gw.configFile.toString(), "--ref", ref, "--json");
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        // The gateway logs to stdout in this same JVM; the command's own output is the JSON lines.
        List<String> lines = result.stdout().lines().filter(l -> l.startsWith("{")).toList();
        assertThat(lines).hasSize(1);
        JsonNode json = new ObjectMapper().readTree(lines.get(0));
        for (String field : List.of("ref", "tenant", "receivedAt", "clientIp", "helo", "tls", "mailFrom", "recipients",
                "messageId", "subject", "size", "scl", "status", "phase", "smtpReply", "decisions")) {
            assertThat(json.has(field)).as("field %s", field).isTrue();
        }
        assertThat(json.get("ref").asText()).isEqualTo(ref);
        assertThat(json.get("status").asText()).isEqualTo("Rejected");
        assertThat(json.get("helo").asText()).isEqualTo("client.example.org");
        assertThat(json.get("decisions").get(json.get("decisions").size() - 1).get("stage").asText()).isEqualTo("RCPT/IsRecipientKnown");

        var bySender = RunningGateway.cli("trace", "--config", gw.configFile.toString(), "--sender", "TRACE-ME@example.org",
                "--tenant", "contoso", "--since", "1h", "--json");
        assertThat(bySender.stdout().lines().filter(l -> l.startsWith("{"))).isNotEmpty().allMatch(l -> l.contains("trace-me@example.org"));
        var otherTenant = RunningGateway.cli("trace", "--config", gw.configFile.toString(), "--ref", ref, "--tenant", "fabrikam", "--json");
        assertThat(otherTenant.stdout().lines().filter(l -> l.startsWith("{"))).isEmpty();
    }

    @Test
    void explainShowsTheSameChainAndReplyAsTheEdge() throws Exception {
        var result = RunningGateway.cli("explain", "--config", gw.configFile.toString(), "--ip", "192.0.2.10",
                "--helo", "client.example.org", "--from", "sender@example.org", "--to", "alice@contoso.test,mallory@contoso.test", "--json");
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        JsonNode json = new ObjectMapper().readTree(result.stdout().lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow());
        assertThat(json.get("outcome").asText()).isEqualTo("accept");
        List<String> phases = json.get("steps").findValuesAsText("phase");
        assertThat(phases).containsExactly("CONNECT", "MAIL", "RCPT", "RCPT", "DATA");
        JsonNode mallory = json.get("steps").get(3);
        assertThat(mallory.get("reply").asText()).startsWith("550 5.1.1");

        var relay = RunningGateway.cli("explain", "--config", gw.configFile.toString(), "--ip", "192.0.2.10",
                "--from", "sender@example.org", "--to", "victim@example.net", "--json");
        JsonNode r = new ObjectMapper().readTree(relay.stdout().lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow());
        assertThat(r.get("outcome").asText()).isEqualTo("reject");
        assertThat(r.get("reply").asText()).startsWith("554 5.7.1 Relay access denied");
    }

    @Test
    void usageErrorsExitWith2AndOneLine() {
        var r = RunningGateway.cli("trace", "--no-such-option");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr().strip().lines()).hasSize(1);
        var missing = RunningGateway.cli("apply", "--config", gw.configFile.toString(), "-f", dir.resolve("absent.yaml").toString());
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.stderr()).contains("absent.yaml");
    }
}
