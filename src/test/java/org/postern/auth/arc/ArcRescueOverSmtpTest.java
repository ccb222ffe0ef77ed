package org.postern.auth.arc;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.testsupport.TestGateway;
import org.postern.testsupport.TestSmtpClient;
import org.postern.trace.TraceRecord;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A mailing list re-sends a bank's message: SPF and DKIM no longer align, DMARC (p=reject) fails. A tenant that
 * trusts the list's ARC seal receives it, with the rescue in the trace and compauth=pass reason=130; a tenant that
 * does not trust the sealer refuses it with 5.7.26 — the same message, two tenants, two verdicts.
 */
class ArcRescueOverSmtpTest {

    private static final TestSealer LIST = new TestSealer("lists.example.org", "arc", 2048);
    private static final String MESSAGE = "From: Bank <news@bank.example>\r\nTo: members@lists.example.org\r\n"
            + "Subject: [members] quarterly statement\r\n\r\nYour statement is ready.\r\n-- \r\nlist footer\r\n";

    @TempDir Path dir;
    private TestGateway gw;

    @BeforeEach
    void start() {
        gw = new TestGateway(dir, "mx.arc.postern.test", """
                tenants:
                  - id: trusting
                    domains: [trusting.test]
                    delivery: "maildir:%1$s/mail/trusting"
                    anti-spoofing: { trusted-arc-sealers: [lists.example.org] }
                  - id: wary
                    domains: [wary.test]
                    delivery: "maildir:%1$s/mail/wary"
                """.formatted(dir));
        gw.dns.addTxt(LIST.keyName(), LIST.keyRecord())
                .addTxt("lists.example.org", "v=spf1 ip4:192.0.2.0/24 -all")
                .addTxt("bank.example", "v=spf1 ip4:198.51.100.0/24 -all")
                .addTxt("_dmarc.bank.example", "v=DMARC1; p=reject");
    }

    @AfterEach
    void stop() {
        gw.close();
    }

    @Test
    void trustedSealerRescuesTheDmarcFailureOnlyForTheTenantThatTrustsIt() throws Exception {
        String sealed = LIST.seal(MESSAGE, 1, "none", "lists.example.org; spf=pass smtp.mailfrom=bank.example;"
                + " dkim=pass header.d=bank.example; dmarc=pass (p=reject) header.from=bank.example");

        TestSmtpClient.Reply trusted = gw.send("lists.example.org", "bounces@lists.example.org", "carol@trusting.test", sealed);
        assertThat(trusted.code()).as(trusted.toString()).isEqualTo(250);
        TraceRecord t = gw.traceOf(trusted);
        assertThat(t.decisions()).anySatisfy(d -> {
            assertThat(d.reason()).startsWith("auth.dmarc-arc-override").contains("lists.example.org");
            assertThat(d.setting()).isEqualTo("tenants.trusting.anti-spoofing.trusted-arc-sealers");
        });
        String headers = awaitDelivered(dir.resolve("mail/trusting/carol@trusting.test/new"));
        assertThat(headers).contains("arc=pass", "dmarc=fail action=oreject (overridden: trusted_forwarder)", "compauth=pass reason=130");

        TestSmtpClient.Reply wary = gw.send("lists.example.org", "bounces@lists.example.org", "dan@wary.test", sealed);
        assertThat(wary.code()).isEqualTo(550);
        assertThat(wary.enhancedCode()).isEqualTo("5.7.26");
        assertThat(wary.text()).doesNotContain("trusting");
    }


    private static String awaitDelivered(Path maildirNew) throws Exception {
        for (int i = 0; i < 150; i++) {
            if (Files.isDirectory(maildirNew)) {
                try (Stream<Path> files = Files.list(maildirNew)) {
                    var first = files.findFirst();
                    if (first.isPresent()) {
                        String text = Files.readString(first.get());
                        return text.substring(0, text.indexOf("\r\n\r\n"));
                    }
                }
            }
            TestGateway.sleep(100);
        }
        throw new AssertionError("nothing delivered to " + maildirNew);
    }
}
