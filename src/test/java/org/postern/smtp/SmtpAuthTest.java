package org.postern.smtp;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SMTP AUTH (RFC 4954) in the protocol layer: offered and taken only under TLS, PLAIN (RFC 4616) and LOGIN decoded
 * and handed to the handler, the exchange's error replies. Whether credentials are good is the handler's business.
 */
class SmtpAuthTest {

    private static ServerTls tls;

    @BeforeAll
    static void certificate() throws Exception {
        tls = TlsContextFactory.create(TlsSettings.selfSigned(), TestServer.HOSTNAME);
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static RawSmtpClient secured(TestServer server) {
        RawSmtpClient c = server.connectAndEhlo();
        assertThat(c.command("STARTTLS").code()).isEqualTo(220);
        c.startTls(TestPki.trustAll());
        assertThat(c.command("EHLO client.test").lines()).contains("AUTH PLAIN LOGIN");
        return c;
    }

    @Test
    void refusesAuthBeforeTlsWith530AndNeverSeesThePassword() {
        try (TestServer server = TestServer.startWithTls(tls, h -> h.offersAuth = true); RawSmtpClient c = server.connectAndEhlo()) {
            var reply = c.command("AUTH PLAIN " + b64("\0alice\0secret"));
            assertThat(reply.code()).isEqualTo(530);
            assertThat(reply.text()).startsWith("5.7.0 Must issue a STARTTLS command first");
            assertThat(server.handler(0).credentials).isEmpty();
        }
    }

    @Test
    void plainWithAndWithoutInitialResponse() {
        try (TestServer server = TestServer.startWithTls(tls, h -> h.offersAuth = true); RawSmtpClient c = secured(server)) {
            assertThat(c.command("AUTH PLAIN " + b64("\0alice\0wrong")).code()).isEqualTo(535);
            var challenge = c.command("AUTH PLAIN");
            assertThat(challenge.code()).isEqualTo(334);
            assertThat(c.command(b64("alice\0alice\0secret")).code()).isEqualTo(235);
            assertThat(c.command("EHLO client.test").lines()).noneMatch(l -> l.startsWith("AUTH"));
            assertThat(server.handler(0).credentials).containsExactly("PLAIN alice wrong", "PLAIN alice secret");
        }
    }

    @Test
    void loginAsksForNameThenPassword() {
        try (TestServer server = TestServer.startWithTls(tls, h -> h.offersAuth = true); RawSmtpClient c = secured(server)) {
            var user = c.command("AUTH LOGIN");
            assertThat(user.code()).isEqualTo(334);
            assertThat(user.text()).isEqualTo(b64("Username:"));
            var password = c.command(b64("bob"));
            assertThat(password.text()).isEqualTo(b64("Password:"));
            assertThat(c.command(b64("secret")).code()).isEqualTo(235);
            assertThat(server.handler(0).credentials).containsExactly("LOGIN bob secret");
        }
    }

    @Test
    void errorsOfTheExchangeAreRefusedWithoutAskingTheHandler() {
        try (TestServer server = TestServer.startWithTls(tls, h -> h.offersAuth = true); RawSmtpClient c = secured(server)) {
            assertThat(c.command("AUTH PLAIN").code()).isEqualTo(334);
            assertThat(c.command("*").text()).startsWith("5.0.0 Authentication cancelled");
            assertThat(c.command("AUTH PLAIN %%%").code()).isEqualTo(501);
            assertThat(c.command("AUTH PLAIN " + b64("no-separators")).code()).isEqualTo(501);
            // An authorization identity other than the user: we act for no one else.
            assertThat(c.command("AUTH PLAIN " + b64("admin\0alice\0secret")).code()).isEqualTo(535);
            assertThat(c.command("AUTH DIGEST-MD5").code()).isEqualTo(504);
            assertThat(c.command("AUTH").code()).isEqualTo(501);
            assertThat(c.command("AUTH LOGIN").code()).isEqualTo(334);
            assertThat(c.command("x".repeat(13_000)).code()).isEqualTo(500);
            assertThat(c.command("MAIL FROM:<a@example.org>").code()).isEqualTo(250);
            assertThat(c.command("AUTH PLAIN " + b64("\0alice\0secret")).code()).isEqualTo(503);
            assertThat(server.handler(0).credentials).isEmpty();
        }
    }

    @Test
    void mailsAuthParameterIsTakenWhereAuthIsOfferedAndRefused555Elsewhere() {
        try (TestServer server = TestServer.startWithTls(tls, h -> h.offersAuth = true); RawSmtpClient c = secured(server)) {
            assertThat(c.command("AUTH PLAIN " + b64("\0alice\0secret")).code()).isEqualTo(235);
            // RFC 4954 §5: a relaying client (Postfix with SASL) sends AUTH=<> on MAIL.
            assertThat(c.command("MAIL FROM:<alice@example.org> AUTH=<>").code()).isEqualTo(250);
        }
        try (TestServer server = TestServer.startWithTls(tls); RawSmtpClient c = server.connectAndEhlo()) {
            var refused = c.command("MAIL FROM:<a@example.org> AUTH=<>");
            assertThat(refused.code()).isEqualTo(555);
            assertThat(refused.text()).startsWith("5.5.4 Unsupported parameter AUTH");
        }
    }

    @Test
    void aListenerThatOffersNoAuthAnswers502EvenUnderTls() {
        try (TestServer server = TestServer.startWithTls(tls); RawSmtpClient c = server.connectAndEhlo()) {
            assertThat(c.command("STARTTLS").code()).isEqualTo(220);
            c.startTls(TestPki.trustAll());
            assertThat(c.command("EHLO client.test").lines()).noneMatch(l -> l.startsWith("AUTH"));
            assertThat(c.command("AUTH PLAIN " + b64("\0alice\0secret")).code()).isEqualTo(502);
        }
    }
}
