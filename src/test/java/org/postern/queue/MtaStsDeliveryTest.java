package org.postern.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.postern.queue.QueueTesting.WAIT;
import static org.postern.queue.QueueTesting.queue;
import static org.postern.queue.QueueTesting.settings;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.postern.dns.DnsjavaResolver;
import org.postern.dns.InProcessDnsServer;
import org.postern.outbound.MtaStsFetcher;
import org.postern.smtp.TestPki;
import org.postern.trace.DeliveryEvent;
import org.postern.trace.TraceStatus;

/**
 * MTA-STS (RFC 8461) and REQUIRETLS (RFC 8689) on outbound delivery: the policy's TXT record and the MX come from
 * the in-process DNS server, the policy from a local HTTPS server (certificate for mta-sts.fabrikam.test from a
 * test CA, which is the delivery's only trust anchor), the MX is a scripted SMTP server with STARTTLS.
 */
@Timeout(60)
class MtaStsDeliveryTest {

    private static final String CONTENT = "From: alice@contoso.test\r\nSubject: hi\r\n\r\nhello\r\n";

    @TempDir Path dir;
    private final RecordingListener events = new RecordingListener();
    private final InProcessDnsServer dns = InProcessDnsServer.start();
    private final TestPki.Issued ca = TestPki.ca("Postern Test Root");
    private HttpsServer https;
    private volatile String policy = "";

    @BeforeEach
    void servePolicy() throws Exception {
        https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(serverContext("mta-sts.fabrikam.test")));
        https.createContext("/.well-known/mta-sts.txt", exchange -> {
            byte[] body = policy.getBytes(StandardCharsets.US_ASCII);
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        https.start();
        dns.addTxt("_mta-sts.fabrikam.test", "v=STSv1; id=20261128").addA("mta-sts.fabrikam.test", "127.0.0.1");
        dns.addMx("fabrikam.test", 10, "mx.fabrikam.test").addA("mx.fabrikam.test", "127.0.0.1");
    }

    @AfterEach
    void stop() {
        https.stop(0);
        dns.close();
    }

    private FileSpool spool(ScriptedSmtpServer mx) throws Exception {
        var resolver = new DnsjavaResolver(List.of(dns.address()), Duration.ofSeconds(1));
        SSLContext trust = trustOnly(ca.certificate());
        OutboundSettings outbound = OutboundSettings.defaults(resolver, "out.postern.test")
                .withMxPort(mx.smtpUrl().lastIndexOf(':') > 0 ? Integer.parseInt(mx.smtpUrl().substring(mx.smtpUrl().lastIndexOf(':') + 1)) : 25)
                .withTrust(trust)
                .withMtaSts(new MtaStsFetcher(resolver, trust, https.getAddress().getPort(), Clock.systemUTC()));
        return FileSpool.open(dir.resolve("data"), DeliveryScheduler.start(settings(), Optional.of(outbound), events, Clock.systemUTC()));
    }

    private static Envelope mail(String ref, boolean requireTls) {
        return Envelope.outbound(ref, "contoso", "alice@contoso.test", List.of("bob@fabrikam.test"), Instant.now(), "",
                "alice@contoso.test", false, requireTls);
    }

    private static String enforce(String mx) {
        return "version: STSv1\r\nmode: enforce\r\nmx: " + mx + "\r\nmax_age: 86400\r\n";
    }

    @Test
    void enforcedPolicyDeliversOverTlsToAnMxWhoseCertificateNamesIt() throws Exception {
        policy = enforce("*.fabrikam.test");
        try (ScriptedSmtpServer mx = new ScriptedSmtpServer()) {
            mx.offerTls = true;
            mx.tls = serverContext("mx.fabrikam.test");
            try (FileSpool spool = spool(mx)) {
                queue(spool, mail("S1", false), CONTENT);
                events.awaitOne("bob@fabrikam.test", TraceStatus.Delivered, WAIT);
                assertThat(mx.transcript).contains("STARTTLS", "TLS MAIL FROM:<alice@contoso.test>");
            }
        }
    }

    @Test
    void enforcedPolicyDefersWhenTheCertificateNamesAnotherHostOrTlsIsMissing() throws Exception {
        policy = enforce("mx.fabrikam.test");
        try (ScriptedSmtpServer mx = new ScriptedSmtpServer()) {
            mx.offerTls = true;
            mx.tls = serverContext("somewhere-else.test");
            try (FileSpool spool = spool(mx)) {
                queue(spool, mail("S2", false), CONTENT);
                DeliveryEvent e = events.awaitOne("bob@fabrikam.test", TraceStatus.Deferred, WAIT);
                assertThat(e.detail()).contains("not verified").contains("MTA-STS policy of fabrikam.test");
                assertThat(mx.transcript).noneMatch(l -> l.contains("MAIL FROM"));

                mx.offerTls = false;
                spool.delivery().retryNow();
                DeliveryEvent plain = events.await(2, ev -> ev.recipient().equals("bob@fabrikam.test"), WAIT).get(1);
                assertThat(plain.outcome()).isEqualTo(TraceStatus.Deferred);
                assertThat(plain.detail()).contains("offers no STARTTLS");
                assertThat(mx.transcript).noneMatch(l -> l.contains("MAIL FROM"));
            }
        }
    }

    @Test
    void enforcedPolicyNeverUsesAnMxItDoesNotName() throws Exception {
        policy = enforce("mx.fabrikam-cloud.test");
        try (ScriptedSmtpServer mx = new ScriptedSmtpServer()) {
            mx.offerTls = true;
            mx.tls = serverContext("mx.fabrikam.test");
            try (FileSpool spool = spool(mx)) {
                queue(spool, mail("S3", false), CONTENT);
                DeliveryEvent e = events.awaitOne("bob@fabrikam.test", TraceStatus.Deferred, WAIT);
                assertThat(e.detail()).contains("named by its MTA-STS policy");
                assertThat(mx.transcript).isEmpty();
            }
        }
    }

    @Test
    void testingModeStillDeliversWhenTlsCannotBeVerified() throws Exception {
        policy = "version: STSv1\nmode: testing\nmx: mx.fabrikam.test\nmax_age: 600\n";
        try (ScriptedSmtpServer mx = new ScriptedSmtpServer()) {
            mx.offerTls = true;   // self-signed, CN=scripted.test
            try (FileSpool spool = spool(mx)) {
                queue(spool, mail("S4", false), CONTENT);
                events.awaitOne("bob@fabrikam.test", TraceStatus.Delivered, WAIT);
            }
        }
    }

    @Test
    void requireTlsIsPassedOnOverVerifiedTls() throws Exception {
        policy = enforce("mx.fabrikam.test");
        try (ScriptedSmtpServer mx = new ScriptedSmtpServer()) {
            mx.offerTls = true;
            mx.tls = serverContext("mx.fabrikam.test");
            mx.extensions = List.of("PIPELINING", "8BITMIME", "REQUIRETLS");
            try (FileSpool spool = spool(mx)) {
                queue(spool, mail("R1", true), CONTENT);
                events.awaitOne("bob@fabrikam.test", TraceStatus.Delivered, WAIT);
                assertThat(mx.transcript).contains("TLS MAIL FROM:<alice@contoso.test> REQUIRETLS");
            }
        }
    }

    @Test
    void requireTlsMailIsNotSentWhereItCannotBeHonoured() throws Exception {
        policy = enforce("mx.fabrikam.test");
        try (ScriptedSmtpServer mx = new ScriptedSmtpServer()) {
            mx.offerTls = true;
            mx.tls = serverContext("mx.fabrikam.test");
            try (FileSpool spool = spool(mx)) {
                // The next hop does not offer REQUIRETLS: the message is not sent (RFC 8689 §4.2.1).
                queue(spool, Envelope.outbound("R2", "contoso", "alice@contoso.test", List.of("carl@fabrikam.test"), Instant.now(), "",
                        "alice@contoso.test", false, true), CONTENT);
                assertThat(events.awaitOne("carl@fabrikam.test", TraceStatus.Failed, WAIT).detail()).contains("5.7.30");

                // A domain without MTA-STS (or DANE): its MX cannot be verified, so REQUIRETLS mail fails at once.
                dns.addMx("plain.test", 10, "mx.fabrikam.test");
                queue(spool, Envelope.outbound("R3", "contoso", "alice@contoso.test", List.of("dora@plain.test"), Instant.now(), "",
                        "alice@contoso.test", false, true), CONTENT);
                assertThat(events.awaitOne("dora@plain.test", TraceStatus.Failed, WAIT).detail()).contains("5.7.30 REQUIRETLS");
                assertThat(mx.transcript).noneMatch(l -> l.contains("carl@") || l.contains("dora@"));
            }
        }
    }

    private SSLContext serverContext(String name) {
        try {
            KeyPair keys = TestPki.ecKeys();
            X509Certificate cert = TestPki.server(ca, keys, name);
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("k", keys.getPrivate(), "x".toCharArray(), new Certificate[] {cert, ca.certificate()});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, "x".toCharArray());
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static SSLContext trustOnly(X509Certificate anchor) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("ca", anchor);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
