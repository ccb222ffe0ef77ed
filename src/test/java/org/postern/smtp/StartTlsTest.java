package org.postern.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** STARTTLS (RFC 3207) over real sockets, with a self-signed server certificate and test client certificates. */
class StartTlsTest {

    private static ServerTls selfSigned;
    private static ServerTls withClientCa;
    private static TestPki.Issued partnerCa;

    @BeforeAll
    static void makeCertificates(@TempDir Path dir) throws Exception {
        selfSigned = TlsContextFactory.create(TlsSettings.selfSigned(), TestServer.HOSTNAME);
        partnerCa = TestPki.ca("Partner CA");
        Path caFile = TestPki.writePem(dir.resolve("partners-ca.pem"), partnerCa.certificate());
        withClientCa = TlsContextFactory.create(TlsSettings.selfSigned().withClientCa(caFile), TestServer.HOSTNAME);
    }

    private static RawSmtpClient startTls(TestServer server, TestPki.Issued clientCert) {
        RawSmtpClient c = server.connectAndEhlo();
        assertThat(c.command("STARTTLS").code()).isEqualTo(220);
        c.startTls(TestPki.clientContext(clientCert));
        return c;
    }

    @Test
    void upgradesWithTheSelfSignedCertificateAndRequiresEhloAgain() throws Exception {
        try (TestServer server = TestServer.startWithTls(selfSigned); RawSmtpClient c = server.connect()) {
            c.reply();
            assertThat(c.command("EHLO client.test").lines()).contains("STARTTLS");
            assertThat(c.command("STARTTLS").text()).isEqualTo("2.0.0 Ready to start TLS");
            SSLSession tls = c.startTls(TestPki.trustAll());
            assertThat(tls.getProtocol()).isIn("TLSv1.3", "TLSv1.2");
            assertThat(((java.security.cert.X509Certificate) tls.getPeerCertificates()[0])
                    .getSubjectX500Principal().getName()).isEqualTo("CN=mx.test");
            // RFC 3207 §4.2: the EHLO before TLS is forgotten
            assertThat(c.command("MAIL FROM:<a@example.org>").code()).isEqualTo(503);
            RawSmtpClient.Reply ehlo = c.command("EHLO client.test");
            assertThat(ehlo.code()).isEqualTo(250);
            assertThat(ehlo.lines()).doesNotContain("STARTTLS");
            assertThat(c.command("STARTTLS").code()).isEqualTo(503);
            assertThat(c.command("MAIL FROM:<a@example.org>").code()).isEqualTo(250);
            RecordingHandler h = server.handler(0);
            assertThat(h.tls).hasSize(1);
            assertThat(h.tls.get(0).clientCertificate()).isEmpty();
            assertThat(h.events).containsSubsequence("ehlo:client.test", "reset", "tls:" + tls.getProtocol(),
                    "ehlo:client.test", "mail:a@example.org");
        }
    }

    @Test
    void passesAVerifiedClientCertificateToTheHandler() {
        TestPki.Issued client = TestPki.client(partnerCa, "mail.fabrikam.test", "mail.fabrikam.test", "mx.fabrikam.test");
        try (TestServer server = TestServer.startWithTls(withClientCa); RawSmtpClient c = startTls(server, client)) {
            assertThat(c.command("EHLO mail.fabrikam.test").code()).isEqualTo(250);
            TlsInfo.ClientCertificate cert = server.handler(0).tls.get(0).clientCertificate().orElseThrow();
            assertThat(cert.verified()).isTrue();
            assertThat(cert.subject()).isEqualTo("CN=mail.fabrikam.test,O=Partner");
            assertThat(cert.commonName()).contains("mail.fabrikam.test");
            assertThat(cert.dnsNames()).containsExactly("mail.fabrikam.test", "mx.fabrikam.test");
        }
    }

    @Test
    void passesACertificateOfAnotherCaAsUnverified() {
        TestPki.Issued stranger = TestPki.client(TestPki.ca("Other CA"), "mail.stranger.test", "mail.stranger.test");
        try (TestServer server = TestServer.startWithTls(withClientCa); RawSmtpClient c = startTls(server, stranger)) {
            assertThat(c.command("EHLO mail.stranger.test").code()).isEqualTo(250);
            TlsInfo.ClientCertificate cert = server.handler(0).tls.get(0).clientCertificate().orElseThrow();
            assertThat(cert.verified()).isFalse();
            assertThat(cert.dnsNames()).containsExactly("mail.stranger.test");
        }
    }

    @Test
    void neverMarksACertificateVerifiedWithoutAClientCa() {
        TestPki.Issued client = TestPki.client(partnerCa, "mail.fabrikam.test", "mail.fabrikam.test");
        try (TestServer server = TestServer.startWithTls(selfSigned); RawSmtpClient c = startTls(server, client)) {
            assertThat(c.command("NOOP").code()).isEqualTo(250);
            TlsInfo.ClientCertificate cert = server.handler(0).tls.get(0).clientCertificate().orElseThrow();
            assertThat(cert.verified()).isFalse();
            assertThat(cert.commonName()).contains("mail.fabrikam.test");
        }
    }

    @Test
    void discardsPlaintextPipelinedAfterStartTls() {
        // CVE-2011-0411: a man in the middle appends a command to the client's plaintext STARTTLS.
        try (TestServer server = TestServer.startWithTls(selfSigned); RawSmtpClient c = server.connectAndEhlo()) {
            c.send("STARTTLS\r\nRSET\r\nMAIL FROM:<injected@example.org>\r\n");
            assertThat(c.reply().code()).isEqualTo(220);
            c.startTls(TestPki.trustAll());
            RawSmtpClient.Reply first = c.command("EHLO client.test");
            assertThat(first.lines().get(0)).isEqualTo("mx.test"); // the EHLO's reply, not a 250 for RSET or MAIL
            assertThat(c.command("NOOP").code()).isEqualTo(250);
            RecordingHandler h = server.handler(0);
            assertThat(h.eventsStartingWith("mail:")).isEmpty();
            assertThat(h.events.subList(h.events.indexOf("tls:" + h.tls.get(0).protocol()), h.events.size()))
                    .containsExactly("tls:" + h.tls.get(0).protocol(), "reset", "ehlo:client.test");
        }
    }

    @Test
    void closesQuietlyWhenTheHandshakeIsGarbageAndKeepsServing() {
        try (TestServer server = TestServer.startWithTls(selfSigned)) {
            try (RawSmtpClient c = server.connectAndEhlo()) {
                assertThat(c.command("STARTTLS").code()).isEqualTo(220);
                c.send("this is not a TLS ClientHello\r\n\r\n");
                assertThat(c.closedByServer(Duration.ofSeconds(5))).isTrue();
            }
            assertThat(server.handler(0).awaitClosed()).isEqualTo("tls-failed");
            try (RawSmtpClient next = startTls(server, null)) {
                assertThat(next.command("EHLO client.test").code()).isEqualTo(250);
            }
        }
    }

    @Test
    void answers502ToStartTlsWhenNoTlsIsConfigured() {
        try (TestServer server = TestServer.start(); RawSmtpClient c = server.connectAndEhlo()) {
            RawSmtpClient.Reply reply = c.command("STARTTLS");
            assertThat(reply.code()).isEqualTo(502);
            assertThat(reply.last()).contains("[ref=");
        }
    }

    @Test
    void refusesStartTlsInsideATransaction() {
        try (TestServer server = TestServer.startWithTls(selfSigned); RawSmtpClient c = server.connectAndEhlo()) {
            c.command("MAIL FROM:<a@example.org>");
            assertThat(c.command("STARTTLS").code()).isEqualTo(503);
            assertThat(c.command("RSET").code()).isEqualTo(250);
            assertThat(c.command("STARTTLS").code()).isEqualTo(220);
            c.startTls(TestPki.trustAll());
            assertThat(c.command("EHLO client.test").lines()).isNotEqualTo(List.of());
        }
    }
}
