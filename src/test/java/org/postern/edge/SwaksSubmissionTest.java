package org.postern.edge;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.testsupport.Downstreams;
import org.postern.testsupport.TestGateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real mail client against the submission listeners: swaks (Debian {@code swaks}) with STARTTLS and AUTH PLAIN,
 * AUTH LOGIN, and implicit TLS — another implementation of RFC 4954 than our own test client.
 */
class SwaksSubmissionTest {

    @TempDir static Path dir;
    static TestGateway gw;
    static Path swaks;

    @BeforeAll
    static void start() {
        swaks = Downstreams.requireBinary("swaks", Optional.of(Path.of("/usr/bin/swaks")).filter(Files::isExecutable));
        gw = new TestGateway(dir, "mx.swaks.postern.test", """
                outbound: { helo: mx.swaks.postern.test, mx-port: 1 }
                tenants:
                  - { id: contoso, domains: [contoso.test], delivery: "maildir:%s/mail" }
                """.formatted(dir), Clock.systemUTC(), true);
        gw.dns.addMx("example.net", 10, "mx.example.net").addA("mx.example.net", "127.0.0.1");
        SubmissionTest.cliWith(gw, "s3cret pass\n", "user", "add", "--tenant", "contoso", "--email", "alice@contoso.test", "--password-stdin");
    }

    @AfterAll
    static void stop() {
        if (gw != null) gw.close();
    }

    @Test
    void swaksSubmitsWithStartTlsAndPlain() throws Exception {
        String out = swaks(gw.gateway.submissionPort("submission").orElseThrow(), "--tls", "--auth", "PLAIN");
        assertThat(out).contains("<~  235 2.7.0").contains("<~  250 2.0.0 Ok: queued as");
    }

    @Test
    void swaksSubmitsWithStartTlsAndLogin() throws Exception {
        String out = swaks(gw.gateway.submissionPort("submission").orElseThrow(), "--tls", "--auth", "LOGIN");
        assertThat(out).contains("<~  235 2.7.0").contains("<~  250 2.0.0 Ok: queued as");
    }

    @Test
    void swaksSubmitsOverImplicitTls() throws Exception {
        String out = swaks(gw.gateway.submissionPort("submissions").orElseThrow(), "--tlsc", "--auth", "PLAIN");
        assertThat(out).contains("<~  235 2.7.0").contains("<~  250 2.0.0 Ok: queued as");
    }

    @Test
    void swaksWithoutTlsIsToldToStartTls() throws Exception {
        String out = swaks(gw.gateway.submissionPort("submission").orElseThrow(), "--auth", "PLAIN", "--auth-plaintext");
        // swaks does not even try: AUTH is not advertised before TLS.
        assertThat(out).doesNotContain("235 2.7.0").doesNotContain("Ok: queued");
    }

    private static String swaks(int port, String... extra) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(swaks.toString(), "--server", "127.0.0.1", "--port", String.valueOf(port),
                "--ehlo", "laptop.contoso.test", "--from", "alice@contoso.test", "--to", "carol@example.net",
                "--auth-user", "alice@contoso.test", "--auth-password", "s3cret pass",
                "--header", "Subject: swaks test", "--body", "Hello from swaks", "--timeout", "20"));
        cmd.addAll(List.of(extra));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out;
    }
}
