package org.postern.auth.arc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postern.dns.DnsjavaResolver;
import org.postern.dns.InProcessDnsServer;

/**
 * Real ARC-sealed messages with pinned DNS ({@code ../shared/conformance/arc/mail-auth/}): DNS lines, a blank line,
 * then the message with LF line ends. Both chains must pass: 001 is sealed by Google (rsa-sha256), 002 by two
 * sealers, the first with ed25519-sha256 (RFC 8463).
 */
class MailAuthArcMessagesTest {

    @ParameterizedTest
    @ValueSource(strings = {"001.txt", "002.txt"})
    void realWorldChainPasses(String file) throws Exception {
        String text = Files.readString(ArcSuite.dir().resolveSibling("mail-auth").resolve(file),
                StandardCharsets.ISO_8859_1);
        int split = text.indexOf("\n\n");
        try (InProcessDnsServer dns = InProcessDnsServer.start()) {
            for (String line : text.substring(0, split).split("\n")) {
                int space = line.indexOf(' ');
                dns.addTxtBytes(line.substring(0, space),
                        List.of(line.substring(space + 1).getBytes(StandardCharsets.ISO_8859_1)));
            }
            ArcValidator validator = new ArcValidator(
                    new DnsjavaResolver(List.of(dns.address()), Duration.ofSeconds(2)),
                    Clock.fixed(Instant.parse("2022-11-08T00:00:00Z"), ZoneOffset.UTC));
            byte[] message = text.substring(split + 2).replace("\n", "\r\n").getBytes(StandardCharsets.ISO_8859_1);
            ArcResult r = validator.validate(message);
            assertThat(r.status()).as(r.detail()).isEqualTo(ChainStatus.PASS);
            assertThat(r.latestAuthenticationResults()).isPresent();
        }
    }
}
