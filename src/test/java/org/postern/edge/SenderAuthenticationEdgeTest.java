package org.postern.edge;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.auth.dkim.DkimKeys;
import org.postern.auth.dkim.DkimSigner;
import org.postern.testsupport.TestSmtpClient;
import org.postern.trace.TraceRecord;
import org.postern.trace.TraceStatus;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sender authentication at the end of DATA, over real SMTP with the gateway's resolver asking an authoritative DNS
 * server on loopback: messages signed by dkimpy (RSA, Ed25519) verify, DMARC p=reject refuses with 5.7.26 as the
 * tenant honours it (or quarantines, or only reports), own-domain spoofs are refused unless the tenant allows the
 * pair, a DNS timeout is a 451 4.4.3 and never a permanent refusal, and every delivered message carries our
 * Authentication-Results.
 */
class SenderAuthenticationEdgeTest {

    private static final Path DKIMPY = Path.of("src/test/resources/auth/dkim/dkimpy");

    @TempDir static Path dir;
    private static RunningGateway gw;

    @BeforeAll
    static void start() throws Exception {
        gw = new RunningGateway(dir, """
                tenants:
                  - id: contoso
                    domains: [contoso.test]
                    delivery: "maildir:%1$s/mail/contoso"
                  - id: fabrikam
                    domains: [fabrikam.test]
                    delivery: "maildir:%1$s/mail/fabrikam"
                    anti-spoofing: { honor-dmarc: quarantine }
                  - id: tailspin
                    domains: [tailspin.test]
                    delivery: "maildir:%1$s/mail/tailspin"
                    anti-spoofing: { honor-dmarc: report-only }
                  - id: northwind
                    domains: [northwind.test]
                    delivery: "maildir:%1$s/mail/northwind"
                    anti-spoofing:
                      allowed-spoofed-senders: [{ domain: northwind.test, infrastructure: 127.0.0.0/8 }]
                """.formatted(dir));
        for (String line : Files.readAllLines(DKIMPY.resolve("keys.zone"))) {
            if (line.isBlank() || line.startsWith("#")) continue;
            int space = line.indexOf(' ');
            gw.dns.addTxt(line.substring(0, space), line.substring(space + 1).strip());
        }
        gw.dns.addTxt("_dmarc.dkimpy.example", "v=DMARC1; p=reject")
                .addTxt("bank.example", "v=spf1 ip4:198.51.100.0/24 -all")
                .addTxt("_dmarc.bank.example", "v=DMARC1; p=reject")
                .addTxt("contoso.test", "v=spf1 ip4:192.0.2.0/24 -all")
                .addTxt("northwind.test", "v=spf1 ip4:192.0.2.0/24 -all")
                .addTxt("partner.example", "v=spf1 ip4:127.0.0.1 -all")
                .addTxt("_dmarc.partner.example", "v=DMARC1; p=reject")
                .addTxt("slow.example", "v=spf1 -all")
                .timeout("_dmarc.slow.example");
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void rsaMessageSignedByDkimpyVerifiesAndCarriesOurAuthenticationResults() throws Exception {
        Path delivered = deliver("alice@dkimpy.example", "alice@contoso.test", fixture("rsa-relaxed-relaxed.eml"), "contoso");
        String headers = headerSection(delivered);
        assertThat(headers).contains("\nAuthentication-Results: " + RunningGateway.HOST + ";\r\n\tspf=none smtp.mailfrom=dkimpy.example;");
        assertThat(headers).contains("dkim=pass header.d=dkimpy.example header.s=rsa2048")
                .contains("dmarc=pass action=none header.from=dkimpy.example")
                .contains("compauth=pass reason=100");
    }

    @Test
    void ed25519MessageSignedByDkimpyVerifies() throws Exception {
        Path delivered = deliver("alice@dkimpy.example", "ann@contoso.test", fixture("ed25519-simple-simple.eml"), "contoso");
        assertThat(headerSection(delivered)).contains("dkim=pass header.d=dkimpy.example header.s=ed25519")
                .contains("dmarc=pass");
    }

    @Test
    void tamperedSignatureFailsDmarcAndP_rejectRefusesWith5726() {
        TestSmtpClient.Reply reply = gw.send("client.example", "alice@dkimpy.example", "alice@contoso.test", fixture("ed25519-body-tampered.eml"));
        assertThat(reply.code()).isEqualTo(550);
        assertThat(reply.enhancedCode()).isEqualTo("5.7.26");
        TraceRecord t = gw.trace(RunningGateway.ref(reply)).orElseThrow();
        assertThat(t.status()).isEqualTo(TraceStatus.Rejected);
        assertThat(t.decisions()).anySatisfy(d -> assertThat(d.reason()).startsWith("auth.results: spf=none").contains("dkim=fail (d=dkimpy.example"));
        assertThat(t.decisions()).anySatisfy(d -> assertThat(d.reason()).startsWith("auth.dmarc-reject: header.from=dkimpy.example"));
    }

    @Test
    void spfFailWithDmarcRejectIsRefusedWith5726AndTheTraceNamesTheRecord() {
        TestSmtpClient.Reply reply = gw.send("client.example", "security@bank.example", "alice@contoso.test", phish());
        assertThat(reply.code()).isEqualTo(550);
        assertThat(reply.enhancedCode()).isEqualTo("5.7.26");
        TraceRecord t = gw.trace(RunningGateway.ref(reply)).orElseThrow();
        assertThat(t.decisions()).anySatisfy(d -> assertThat(d.reason())
                .contains("spf=fail (smtp.mailfrom=bank.example, matched -all, record \"v=spf1 ip4:198.51.100.0/24 -all\")"));
        assertThat(t.decisions()).anySatisfy(d -> assertThat(d.setting()).isEqualTo("tenants.contoso.anti-spoofing.honor-dmarc"));

        // Kept for bank.example's aggregate report, although (because) it was refused.
        var now = java.time.Instant.now();
        for (int i = 0; i < 100 && gw.gateway.dmarcResults().rows("bank.example", now.minusSeconds(3600), now.plusSeconds(3600)).isEmpty(); i++) {
            RunningGateway.sleep(50);
        }
        assertThat(gw.gateway.dmarcResults().rows("bank.example", now.minusSeconds(3600), now.plusSeconds(3600)))
                .anySatisfy(l -> assertThat(l.disposition()).isEqualTo("reject"));
    }

    @Test
    void tenantThatHonoursRejectAsQuarantineHoldsTheMessageAndReleaseDeliversIt() throws Exception {
        TestSmtpClient.Reply reply = gw.send("client.example", "security@bank.example", "erin@fabrikam.test", phish());
        assertThat(reply.code()).isEqualTo(250);
        String ref = RunningGateway.ref(reply);
        assertThat(gw.trace(ref).orElseThrow().status()).isEqualTo(TraceStatus.Quarantined);
        assertThat(RunningGateway.maildir(dir.resolve("mail/fabrikam"), "erin@fabrikam.test")).isEmpty();

        var list = RunningGateway.cli("quarantine", "list", "--config", gw.configFile.toString(), "--tenant", "fabrikam", "--json");
        assertThat(list.exitCode()).isZero();
        assertThat(list.stdout()).contains("\"id\":\"" + ref + "\"").contains("auth.dmarc-quarantine");

        var release = RunningGateway.cli("quarantine", "release", "--config", gw.configFile.toString(), "--tenant", "fabrikam", "--id", ref);
        assertThat(release.exitCode()).as(release.stderr()).isZero();
        TraceRecord delivered = gw.awaitStatus(ref, TraceStatus.Delivered, Duration.ofSeconds(15));
        assertThat(delivered.decisions()).anySatisfy(d -> assertThat(d.reason()).startsWith("quarantine.released: by cli:"));
        List<Path> files = RunningGateway.maildir(dir.resolve("mail/fabrikam"), "erin@fabrikam.test");
        assertThat(files).hasSize(1);
        assertThat(headerSection(files.get(0))).contains("dmarc=fail action=reject header.from=bank.example", "compauth=fail reason=000");
        assertThat(RunningGateway.cli("quarantine", "list", "--config", gw.configFile.toString(), "--tenant", "fabrikam", "--json").stdout()).isEmpty();
    }

    @Test
    void reportOnlyTenantAcceptsTheMessageAndTheTraceSaysWhatDmarcAsked() throws Exception {
        TestSmtpClient.Reply reply = gw.send("client.example", "security@bank.example", "finn@tailspin.test", phish());
        assertThat(reply.code()).isEqualTo(250);
        // Not refused for DMARC; what the content filter makes of an obvious phish is its own matter (here: quarantine).
        TraceRecord t = gw.trace(RunningGateway.ref(reply)).orElseThrow();
        assertThat(t.decisions()).anySatisfy(d -> assertThat(d.reason()).startsWith("auth.dmarc-report-only: header.from=bank.example"));
        assertThat(t.decisions()).noneSatisfy(d -> assertThat(d.reason()).startsWith("auth.dmarc-reject"));
    }

    @Test
    void spoofOfTheTenantsOwnDomainIsRefusedUnlessTheTenantAllowsThePair() {
        String ceo = "From: CEO <ceo@%s>\r\nSubject: Urgent wire transfer\r\n\r\nplease pay today\r\n";
        TestSmtpClient.Reply refused = gw.send("client.example", "ceo@contoso.test", "bob@contoso.test", ceo.formatted("contoso.test"));
        assertThat(refused.code()).isEqualTo(550);
        assertThat(refused.enhancedCode()).isEqualTo("5.7.1");
        assertThat(refused.text()).contains("spoofs a domain of the recipient's organization").doesNotContain("northwind");
        assertThat(gw.trace(RunningGateway.ref(refused)).orElseThrow().decisions())
                .anySatisfy(d -> assertThat(d.reason()).startsWith("auth.own-domain-spoofed: contoso.test"));

        // Header From alone (envelope from elsewhere) is the same spoof.
        TestSmtpClient.Reply headerOnly = gw.send("client.example", "bounces@partner.example", "bob@contoso.test", ceo.formatted("contoso.test"));
        assertThat(headerOnly.code()).isEqualTo(550);

        TestSmtpClient.Reply allowed = gw.send("client.example", "ceo@northwind.test", "gus@northwind.test", ceo.formatted("northwind.test"));
        assertThat(allowed.code()).isEqualTo(250);
        assertThat(gw.trace(RunningGateway.ref(allowed)).orElseThrow().decisions())
                .anySatisfy(d -> assertThat(d.setting()).isEqualTo("tenants.northwind.anti-spoofing.allowed-spoofed-senders"));
    }

    @Test
    void ownDomainWithAnAlignedDkimSignatureIsNotASpoof() throws Exception {
        var keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        gw.dns.addTxt("s1._domainkey.contoso.test", DkimKeys.keyRecord(keys.getPublic()));
        String message = RunningGateway.wellFormed("CEO <ceo@contoso.test>", "To: bob@contoso.test\r\nSubject: Board minutes\r\n\r\nattached\r\n");
        String signature = DkimSigner.builder("contoso.test", "s1", keys.getPrivate()).build().sign(message.getBytes(StandardCharsets.UTF_8));
        TestSmtpClient.Reply reply = gw.send("client.example", "ceo@contoso.test", "bob@contoso.test", signature + message);
        assertThat(reply.code()).as(reply.toString()).isEqualTo(250);
        // No DMARC record, but the aligned signature authenticates contoso.test: the SPF failure is no spam sign.
        assertThat(gw.trace(RunningGateway.ref(reply)).orElseThrow().decisions())
                .anySatisfy(d -> assertThat(d.reason()).startsWith("content.scl:").contains("auth.aligned-pass").doesNotContain("auth.spf-fail"));
        Path delivered = delivered(reply, "bob@contoso.test", "contoso");
        assertThat(headerSection(delivered)).contains("spf=fail smtp.mailfrom=contoso.test", "dkim=pass header.d=contoso.test",
                "compauth=pass reason=101");
    }

    @Test
    void dnsTimeoutWhereTheVerdictNeedsTheAnswerIsATemporaryRefusal() {
        TestSmtpClient.Reply reply = gw.send("client.example", "news@slow.example", "alice@contoso.test",
                "From: news@slow.example\r\nSubject: weekly\r\n\r\nhello\r\n");
        assertThat(reply.code()).isEqualTo(451);
        assertThat(reply.enhancedCode()).isEqualTo("4.4.3");
        assertThat(gw.trace(RunningGateway.ref(reply)).orElseThrow().decisions())
                .anySatisfy(d -> assertThat(d.reason()).startsWith("system.dns-temporary-failure").contains("dmarc=temperror"));
    }

    @Test
    void explainReportsEachResultWithTheRecordsItUsed() throws Exception {
        Path eml = dir.resolve("phish.eml");
        Files.writeString(eml, phish());
        var out = RunningGateway.cli("explain", "--config", gw.configFile.toString(), "--ip", "127.0.0.1", "--helo", "client.example",
                "--from", "security@bank.example", "--to", "alice@contoso.test", "--message", eml.toString(), "--json");
        assertThat(out.exitCode()).as(out.stderr()).isZero();
        assertThat(out.stdout()).contains("spf=fail (smtp.mailfrom=bank.example, matched -all")
                .contains("dkim=none").contains("dmarc=fail").contains("auth.dmarc-reject").contains("5.7.26");
        // The same end-of-DATA stages as a live session: where DMARC does not end it, the content filter speaks too.
        var reportOnly = RunningGateway.cli("explain", "--config", gw.configFile.toString(), "--ip", "127.0.0.1", "--helo", "client.example",
                "--from", "security@bank.example", "--to", "finn@tailspin.test", "--message", eml.toString(), "--json");
        assertThat(reportOnly.stdout()).contains("auth.dmarc-report-only").contains("content.scl: SCL ");
    }

    private static String phish() {
        return "From: Bank Security <security@bank.example>\r\nTo: you\r\nSubject: Verify your account\r\n\r\nclick here\r\n";
    }

    private static String fixture(String name) {
        try {
            return Files.readString(DKIMPY.resolve(name), StandardCharsets.ISO_8859_1);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }


    private static Path deliver(String from, String to, String message, String tenant) {
        TestSmtpClient.Reply reply = gw.send("client.example", from, to, message);
        assertThat(reply.code()).as(reply.toString()).isEqualTo(250);
        return delivered(reply, to, tenant);
    }

    private static Path delivered(TestSmtpClient.Reply reply, String to, String tenant) {
        gw.awaitStatus(RunningGateway.ref(reply), TraceStatus.Delivered, Duration.ofSeconds(15));
        List<Path> files = RunningGateway.maildir(dir.resolve("mail/" + tenant), to);
        assertThat(files).hasSize(1);
        return files.get(0);
    }

    private static String headerSection(Path file) throws Exception {
        String text = Files.readString(file, StandardCharsets.ISO_8859_1);
        return text.substring(0, text.indexOf("\r\n\r\n"));
    }
}
