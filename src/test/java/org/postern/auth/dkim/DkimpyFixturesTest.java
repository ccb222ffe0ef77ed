package org.postern.auth.dkim;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Messages signed by real dkimpy (RSA 2048, Ed25519, both, l=, rsa-sha1, a 512-bit key, tampered copies), as
 * committed under {@code src/test/resources/auth/dkim/dkimpy/} (README there): each signature must give the result
 * that {@code expected.txt} lists for it.
 */
class DkimpyFixturesTest {

    private final KeyServer keys = new KeyServer().publishAll(Vectors.zone(Vectors.FIXTURES.resolve("keys.zone")));

    @AfterEach
    void stopDns() {
        keys.close();
    }

    /** {@code # verify-at:} in expected.txt: a day after the fixtures were signed. */
    private static Clock verifyAt() {
        String text = Vectors.text(Vectors.FIXTURES.resolve("expected.txt"));
        String at = text.lines().filter(l -> l.startsWith("# verify-at:")).findFirst().orElseThrow()
                .substring("# verify-at:".length()).strip();
        return Clock.fixed(Instant.ofEpochSecond(Long.parseLong(at)), ZoneOffset.UTC);
    }

    static Stream<Arguments> fixtures() {
        return Vectors.manifest(Vectors.FIXTURES.resolve("expected.txt")).stream()
                .map(line -> Arguments.of(line.getFirst(), line.subList(1, line.size())));
    }

    private List<DkimResult> verify(String file) {
        return keys.verifier(verifyAt()).verify(Vectors.bytes(Vectors.FIXTURES.resolve(file)));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("fixtures")
    void dkimpySignedMessageGivesTheListedResults(String file, List<String> expected) {
        List<DkimResult> results = verify(file);
        assertThat(results).extracting(r -> r.result().keyword()).as(results.toString())
                .containsExactlyElementsOf(expected.stream().map(s -> s.toLowerCase(Locale.ROOT)).toList());
    }

    @Test
    void lengthLimitedSignatureIsReportedAsSuch() {
        assertThat(verify("rsa-length-then-appended.eml")).singleElement().satisfies(r -> {
            assertThat(r.result()).isEqualTo(DkimOutcome.PASS);
            assertThat(r.bodyLengthLimited()).isTrue();
            assertThat(r.isStrongPass()).isFalse();
            assertThat(r.problem()).contains("l=");
        });
    }

    @Test
    void policyRefusalsSayWhy() {
        assertThat(verify("rsa-sha1.eml")).singleElement().satisfies(r -> assertThat(r.problem()).contains("RFC 8301"));
        assertThat(verify("rsa512-weak-key.eml")).singleElement().satisfies(r -> assertThat(r.problem()).contains("512 bits"));
    }

    @Test
    void identityInASubdomainIsReported() {
        assertThat(verify("ed25519-identity-subdomain.eml")).singleElement()
                .satisfies(r -> assertThat(r.identity()).contains("alice@mail.dkimpy.example"));
    }
}
