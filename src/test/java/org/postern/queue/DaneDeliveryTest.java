package org.postern.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.postern.queue.QueueTesting.WAIT;
import static org.postern.queue.QueueTesting.queue;
import static org.postern.queue.QueueTesting.settings;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.postern.dns.DnsjavaResolver;
import org.postern.dns.InProcessDnsServer;
import org.postern.outbound.DaneLookups;
import org.postern.smtp.TestPki;
import org.postern.trace.DeliveryEvent;
import org.postern.trace.TraceStatus;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.TLSARecord;

/**
 * DANE (RFC 7672) on outbound delivery. The in-process DNS server plays a validating resolver: answers for a
 * signed zone carry the AD bit, which is what {@code outbound.dane} trusts. The MX is a scripted SMTP server with
 * STARTTLS whose certificate chains to nothing the delivery trusts: only the TLSA record vouches for it.
 */
@Timeout(60)
class DaneDeliveryTest {

    private static final String CONTENT = "From: alice@contoso.test\r\nSubject: hi\r\n\r\nhello\r\n";

    @TempDir Path dir;
    private final RecordingListener events = new RecordingListener();
    private final InProcessDnsServer dns = InProcessDnsServer.start();
    private final TestPki.Issued ca = TestPki.ca("Nobody Trusts This CA");
    private final KeyPair serverKeys = TestPki.ecKeys();
    private final X509Certificate serverCert = TestPki.server(ca, serverKeys, "unrelated-name.example");

    @AfterEach
    void stop() {
        dns.close();
    }

    private FileSpool spool(ScriptedSmtpServer mx) throws Exception {
        var resolver = new DnsjavaResolver(List.of(dns.address()), Duration.ofSeconds(1));
        OutboundSettings outbound = OutboundSettings.defaults(resolver, "out.postern.test")
                .withMxPort(port(mx))
                .withDane(new DaneLookups(List.of(dns.address()), Duration.ofSeconds(1)));
        return FileSpool.open(dir.resolve("data"), DeliveryScheduler.start(settings(), Optional.of(outbound), events, Clock.systemUTC()));
    }

    private static int port(ScriptedSmtpServer mx) {
        String url = mx.smtpUrl();
        return Integer.parseInt(url.substring(url.lastIndexOf(':') + 1));
    }

    private void publish(ScriptedSmtpServer mx, byte[] spkiSha256) throws Exception {
        dns.addMx("fabrikam.test", 10, "mx.fabrikam.test").addA("mx.fabrikam.test", "127.0.0.1");
        dns.add(new TLSARecord(Name.fromString("_" + port(mx) + "._tcp.mx.fabrikam.test."), DClass.IN, 300,
                TLSARecord.CertificateUsage.DOMAIN_ISSUED_CERTIFICATE, TLSARecord.Selector.SUBJECT_PUBLIC_KEY_INFO,
                TLSARecord.MatchingType.SHA256, spkiSha256));
    }

    private byte[] spkiHash() throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(serverCert.getPublicKey().getEncoded());
    }

    private static Envelope mail(String ref, String rcpt, boolean requireTls) {
        return Envelope.outbound(ref, "contoso", "alice@contoso.test", List.of(rcpt), Instant.now(), "", "alice@contoso.test", false, requireTls);
    }

    @Test
    void aSecureTlsaRecordMakesTlsMandatoryAndVouchesForTheCertificate() throws Exception {
        try (ScriptedSmtpServer mx = tlsServer()) {
            publish(mx, spkiHash());
            dns.dnssecSigned("fabrikam.test");
            mx.extensions = List.of("PIPELINING", "REQUIRETLS");
            try (FileSpool spool = spool(mx)) {
                queue(spool, mail("D1", "bob@fabrikam.test", true), CONTENT);   // REQUIRETLS is satisfied by DANE too
                events.awaitOne("bob@fabrikam.test", TraceStatus.Delivered, WAIT);
                assertThat(mx.transcript).contains("TLS MAIL FROM:<alice@contoso.test> REQUIRETLS");
            }
        }
    }

    @Test
    void aCertificateNoSecureTlsaRecordMatchesIsNeverSentTo() throws Exception {
        try (ScriptedSmtpServer mx = tlsServer()) {
            publish(mx, new byte[32]);
            dns.dnssecSigned("fabrikam.test");
            try (FileSpool spool = spool(mx)) {
                queue(spool, mail("D2", "bob@fabrikam.test", false), CONTENT);
                DeliveryEvent e = events.awaitOne("bob@fabrikam.test", TraceStatus.Deferred, WAIT);
                assertThat(e.detail()).contains("not verified").contains("DANE");
                assertThat(mx.transcript).noneMatch(l -> l.contains("MAIL FROM"));

                mx.offerTls = false;   // and no falling back to plain text
                spool.delivery().retryNow();
                DeliveryEvent plain = events.await(2, ev -> ev.recipient().equals("bob@fabrikam.test"), WAIT).get(1);
                assertThat(plain.detail()).contains("offers no STARTTLS");
                assertThat(mx.transcript).noneMatch(l -> l.contains("MAIL FROM"));
            }
        }
    }

    @Test
    void withoutTheAdBitTlsaRecordsAreIgnored() throws Exception {
        try (ScriptedSmtpServer mx = tlsServer()) {
            publish(mx, new byte[32]);   // would not match; but nothing validated it, so it is not DANE
            try (FileSpool spool = spool(mx)) {
                queue(spool, mail("D3", "bob@fabrikam.test", false), CONTENT);
                events.awaitOne("bob@fabrikam.test", TraceStatus.Delivered, WAIT);
            }
        }
    }

    private ScriptedSmtpServer tlsServer() throws Exception {
        ScriptedSmtpServer mx = new ScriptedSmtpServer();
        mx.offerTls = true;
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("k", serverKeys.getPrivate(), "x".toCharArray(), new Certificate[] {serverCert, ca.certificate()});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "x".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        mx.tls = ctx;
        return mx;
    }
}
