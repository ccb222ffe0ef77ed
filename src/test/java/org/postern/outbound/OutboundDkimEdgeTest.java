package org.postern.outbound;

import org.postern.testsupport.PosternCli;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.postern.auth.dkim.DkimOutcome;
import org.postern.auth.dkim.DkimResult;
import org.postern.auth.dkim.DkimVerifier;
import org.postern.dns.DnsjavaResolver;
import org.postern.queue.Envelope;
import org.postern.queue.Spool;
import org.postern.testsupport.Downstreams;
import org.postern.testsupport.Downstreams.SinkMessage;
import org.postern.testsupport.Downstreams.SmtpSink;
import org.postern.testsupport.TestGateway;

/**
 * A running gateway signs a tenant's outbound mail with the keys {@code postern dkim keygen} made (RSA 2048 and
 * Ed25519) and delivers it by MX — the in-process DNS server's MX for the recipient domain points at a Postfix
 * smtp-sink — and both signatures verify with dkimpy and with our own verifier, against the TXT records keygen
 * printed, published in that DNS server.
 */
@Timeout(120)
class OutboundDkimEdgeTest {

    private static final Pattern ZONE_LINE = Pattern.compile("^(\\S+)\\. IN TXT \\((.*)\\)$");
    private static final Pattern QUOTED = Pattern.compile("\"([^\"]*)\"");

    @TempDir Path dir;

    @Test
    void outboundMailArrivesDualSignedAndVerifiesWithDkimpyAndOurVerifier() throws Exception {
        try (SmtpSink sink = Downstreams.smtpSink(dir.resolve("dump"));
             TestGateway gw = new TestGateway(dir.resolve("gw"), "mx1.postern.test", """
                     outbound: { helo: out.postern.test, mx-port: %d }
                     tenants:
                       - id: contoso
                         domains: [contoso.test]
                         delivery: "smtp://127.0.0.1:%d"
                         dkim: [{ domain: contoso.test, selector: s1 }]
                     """.formatted(sink.port(), sink.port()))) {
            String printed = cli("dkim", "keygen", "--config", gw.configFile.toString(), "--tenant", "contoso",
                    "--domain", "contoso.test", "--selector", "s1");
            Map<String, String> records = zoneRecords(printed);
            assertThat(records).containsOnlyKeys("s1-rsa._domainkey.contoso.test", "s1-ed25519._domainkey.contoso.test");
            assertThat(records.get("s1-rsa._domainkey.contoso.test")).startsWith("v=DKIM1; k=rsa; p=MII");
            assertThat(records.get("s1-ed25519._domainkey.contoso.test")).startsWith("v=DKIM1; k=ed25519; p=");
            assertThat(printed).contains("\" \"");   // the RSA record is split into strings of at most 255 octets
            publish(gw, printed);
            gw.dns.addMx("fabrikam.test", 10, "mx.fabrikam.test").addA("mx.fabrikam.test", "127.0.0.1");

            String content = "From: Alice <alice@contoso.test>\r\nTo: bob@fabrikam.test\r\nSubject: quarterly figures\r\n"
                    + "Date: Sat, 28 Nov 2026 12:00:00 +0000\r\nMessage-ID: <q1@contoso.test>\r\nMIME-Version: 1.0\r\n"
                    + "Content-Type: text/plain; charset=utf-8\r\n\r\nHello Bob,\r\n\r\n.leading dot and trailing space \r\n";
            queueOutbound(gw, Envelope.outbound("E2E1", "contoso", "alice@contoso.test", List.of("bob@fabrikam.test"), Instant.now(),
                    "Received: from client ([192.0.2.9]) by mx1.postern.test with ESMTPSA id E2E1\r\n", "alice@contoso.test", false), content);

            SinkMessage m = sink.awaitMessages(1, Duration.ofSeconds(30)).getFirst();
            assertThat(m.helo()).isEqualTo("out.postern.test");
            assertThat(m.recipients()).containsExactly("bob@fabrikam.test");
            assertThat(m.headers("DKIM-Signature")).hasSize(2);
            byte[] received = m.content().replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);

            assertThat(dkimpy(received, records)).containsExactly("0 rsa-sha256 s1-rsa pass", "1 ed25519-sha256 s1-ed25519 pass");
            List<DkimResult> ours = new DkimVerifier(new DnsjavaResolver(List.of(gw.dns.address()), Duration.ofSeconds(2)), Clock.systemUTC())
                    .verify(received);
            assertThat(ours).extracting(DkimResult::result).containsExactly(DkimOutcome.PASS, DkimOutcome.PASS);
            assertThat(ours).extracting(DkimResult::algorithm).containsExactlyInAnyOrder("rsa-sha256", "ed25519-sha256");

            // The checks can fail: one changed body line breaks both signatures.
            byte[] tampered = new String(received, StandardCharsets.UTF_8).replace("Hello Bob", "Hello Eve").getBytes(StandardCharsets.UTF_8);
            assertThat(dkimpy(tampered, records)).containsExactly("0 rsa-sha256 s1-rsa fail", "1 ed25519-sha256 s1-ed25519 fail");
        }
    }

    @Test
    void mailFromAnotherDomainThanTheTenantsDkimDomainIsNotSigned() throws Exception {
        try (SmtpSink sink = Downstreams.smtpSink(dir.resolve("dump"));
             TestGateway gw = new TestGateway(dir.resolve("gw"), "mx1.postern.test", """
                     outbound: { mx-port: %d }
                     tenants:
                       - id: contoso
                         domains: [contoso.test, contoso-corp.test]
                         delivery: "smtp://127.0.0.1:%d"
                         dkim: [{ domain: contoso.test, selector: s1 }]
                     """.formatted(sink.port(), sink.port()))) {
            cli("dkim", "keygen", "--config", gw.configFile.toString(), "--tenant", "contoso", "--domain", "contoso.test",
                    "--selector", "s1", "--algorithm", "ed25519");
            gw.dns.addMx("fabrikam.test", 10, "mx.fabrikam.test").addA("mx.fabrikam.test", "127.0.0.1");
            queueOutbound(gw, Envelope.outbound("E2E2", "contoso", "carol@contoso-corp.test", List.of("bob@fabrikam.test"), Instant.now(),
                    "", "carol@contoso-corp.test", false), "From: carol@contoso-corp.test\r\nSubject: x\r\n\r\nbody\r\n");
            SinkMessage m = sink.awaitMessages(1, Duration.ofSeconds(30)).getFirst();
            assertThat(m.headers("DKIM-Signature")).isEmpty();
            assertThat(m.helo()).isEqualTo("mx1.postern.test");   // no outbound.helo: the node's name
        }
    }

    @Test
    void keygenRefusesADomainTheTenantDoesNotOwn() {
        try (TestGateway gw = new TestGateway(dir.resolve("gw"), "mx1.postern.test", """
                tenants:
                  - id: contoso
                    domains: [contoso.test]
                    delivery: "smtp://127.0.0.1:2626"
                """)) {
            var run = PosternCli.run("dkim", "keygen", "--config", gw.configFile.toString(), "--tenant", "contoso",
                    "--domain", "fabrikam.test", "--selector", "s1");
            assertThat(run.exit()).isEqualTo(1);
            assertThat(run.err()).contains("fabrikam.test is not a domain of tenant contoso");
        }
    }

    /** Adds keygen's TXT records, string by string, to the gateway's DNS server. */
    static void publish(TestGateway gw, String printed) {
        for (String line : printed.lines().toList()) {
            Matcher m = ZONE_LINE.matcher(line);
            if (!m.matches()) continue;
            List<String> strings = new ArrayList<>();
            Matcher q = QUOTED.matcher(m.group(2));
            while (q.find()) strings.add(q.group(1));
            gw.dns.addTxt(m.group(1), strings.toArray(String[]::new));
        }
    }

    static void queueOutbound(TestGateway gw, Envelope envelope, String content) throws IOException {
        Spool.Pending p = gw.gateway.spool().begin();
        try (OutputStream out = p.content()) {
            out.write(content.getBytes(StandardCharsets.UTF_8));
        }
        gw.gateway.spool().commit(p, envelope);
    }

    static String cli(String... args) {
        return PosternCli.run(args).ok().out();
    }

    static Map<String, String> zoneRecords(String printed) {
        Map<String, String> records = new LinkedHashMap<>();
        for (String line : printed.lines().toList()) {
            Matcher m = ZONE_LINE.matcher(line);
            if (!m.matches()) continue;
            StringBuilder value = new StringBuilder();
            Matcher q = QUOTED.matcher(m.group(2));
            while (q.find()) value.append(q.group(1));
            records.put(m.group(1), value.toString());
        }
        return records;
    }

    /** dkimpy's verdict on each signature, with the records served from a file (its dnsfunc hook). */
    static List<String> dkimpy(byte[] message, Map<String, String> records) throws IOException, InterruptedException {
        Path work = Files.createTempDirectory("dkimpy");
        Path msg = Files.write(work.resolve("msg.eml"), message);
        StringBuilder lines = new StringBuilder();
        records.forEach((k, v) -> lines.append(k).append('\t').append(v).append('\n'));
        Path keys = Files.writeString(work.resolve("keys.tsv"), lines);
        Path script = work.resolve("dkimpy_verify.py");
        try (InputStream in = OutboundDkimEdgeTest.class.getResourceAsStream("dkimpy_verify.py")) {
            Files.write(script, in.readAllBytes());
        }
        // Debian's interpreter, which has python3-dkim and python3-nacl (not whatever python3 is first on the PATH).
        Process p = new ProcessBuilder("/usr/bin/python3", script.toString(), msg.toString(), keys.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out.lines().toList();
    }
}
