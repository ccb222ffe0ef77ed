package org.postern.auth.arc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postern.dns.DnsjavaResolver;
import org.postern.dns.InProcessDnsServer;

/** RFC 8617 §5.2 behaviour beyond the ValiMail suite, on chains built by {@link TestSealer}. */
class ArcValidatorTest {

    private static final String MESSAGE = """
            From: Alice <alice@example.com>\r
            To: list@lists.example.org\r
            Subject: hello\r
            \r
            Hi all.\r
            """;
    private static final String DMARC_PASS = "lists.example.org; spf=pass smtp.mailfrom=example.com;"
            + " dkim=pass (2048-bit key) header.d=example.com; dmarc=pass (p=reject) header.from=example.com";

    private final InProcessDnsServer dns = InProcessDnsServer.start();
    /** Generated once: RSA key generation dominates the run time otherwise. */
    private static final TestSealer list = new TestSealer("lists.example.org", "arc", 2048);
    private static final TestSealer forwarder = new TestSealer("forward.example.net", "seal", 2048);

    private Clock clock = Clock.fixed(Instant.parse("2024-01-01T00:00:00Z"), ZoneOffset.UTC);

    @AfterEach
    void stop() {
        dns.close();
    }

    private ArcResult validate(String message) {
        return new ArcValidator(new DnsjavaResolver(List.of(dns.address()), Duration.ofMillis(500)), clock)
                .validate(message.getBytes(StandardCharsets.ISO_8859_1));
    }

    private void publish(TestSealer... sealers) {
        for (TestSealer s : sealers) dns.addTxt(s.keyName(), s.keyRecord());
    }

    @Test
    void messageWithoutArcHeaderFieldsIsNone() {
        ArcResult r = validate(MESSAGE);
        assertThat(r.status()).isEqualTo(ChainStatus.NONE);
        assertThat(r.instanceCount()).isZero();
        assertThat(dns.queryCount()).isZero();
    }

    @Test
    void twoSealersPassAndAreListedOldestFirst() {
        publish(list, forwarder);
        String once = list.seal(MESSAGE, 1, "none", DMARC_PASS);
        String twice = forwarder.seal(once, 2, "pass", "forward.example.net; arc=pass; dmarc=fail");
        ArcResult r = validate(twice);
        assertThat(r.status()).isEqualTo(ChainStatus.PASS);
        assertThat(r.instanceCount()).isEqualTo(2);
        assertThat(r.sets()).extracting(ArcSealer::sealerDomain)
                .containsExactly("lists.example.org", "forward.example.net");
        assertThat(r.sets()).extracting(ArcSealer::chainValidation).containsExactly("none", "pass");
        assertThat(r.oldestPass()).hasValue(0);
        assertThat(r.latest().orElseThrow().sealSelector()).isEqualTo("seal");
        assertThat(r.latestAuthenticationResults().orElseThrow().resultOf("dmarc")).contains("fail");
    }

    @Test
    void trustedSealerVouchingForDmarcPassCanRescue() {
        publish(list);
        ArcResult r = validate(list.seal(MESSAGE, 1, "none", DMARC_PASS));
        assertThat(r.trustedSealerVouchingFor("dmarc", Set.of("Lists.Example.org")))
                .contains("lists.example.org");
        assertThat(r.trustedSealerVouchingFor("dmarc", Set.of("example.org"))).isEmpty();
        assertThat(r.trustedSealerVouchingFor("spf", Set.of("lists.example.org"))).isPresent();
    }

    @Test
    void onlyTheNewestSealerCounts() {
        publish(list, forwarder);
        String once = list.seal(MESSAGE, 1, "none", DMARC_PASS);
        ArcResult r = validate(forwarder.seal(once, 2, "pass", "forward.example.net; dmarc=fail"));
        assertThat(r.trustedSealerVouchingFor("dmarc", Set.of("lists.example.org"))).isEmpty();
    }

    @Test
    void brokenChainVouchesForNothing() {
        publish(list);
        String sealed = list.seal(MESSAGE, 1, "none", DMARC_PASS).replace("Hi all.", "Buy now.");
        ArcResult r = validate(sealed);
        assertThat(r.status()).isEqualTo(ChainStatus.FAIL);
        assertThat(r.problem()).contains(ArcProblem.MESSAGE_SIGNATURE_INVALID);
        assertThat(r.detail()).contains("body hash mismatch");
        assertThat(r.trustedSealerVouchingFor("dmarc", Set.of("lists.example.org"))).isEmpty();
    }

    @Test
    void modifiedBodyAfterTheFirstSealLowersOldestPassButThePassStands() {
        publish(list, forwarder);
        String once = list.seal(MESSAGE, 1, "none", DMARC_PASS).replace("Hi all.", "Hi all. [list footer]");
        ArcResult r = validate(forwarder.seal(once, 2, "pass", "forward.example.net; arc=pass"));
        assertThat(r.status()).isEqualTo(ChainStatus.PASS);
        assertThat(r.oldestPass()).hasValue(2);
    }

    @Test
    void keyLookupFailureIsATemporaryFailure() {
        dns.servfail(list.keyName());
        ArcResult r = validate(list.seal(MESSAGE, 1, "none", DMARC_PASS));
        assertThat(r.status()).isEqualTo(ChainStatus.FAIL);
        assertThat(r.problem()).contains(ArcProblem.KEY_TEMPORARILY_UNAVAILABLE);
        assertThat(r.temporaryFailure()).isTrue();
    }

    @Test
    void revokedKeyFails() {
        dns.addTxt(list.keyName(), "v=DKIM1; k=rsa; p=");
        ArcResult r = validate(list.seal(MESSAGE, 1, "none", DMARC_PASS));
        assertThat(r.status()).isEqualTo(ChainStatus.FAIL);
        assertThat(r.detail()).contains("revoked");
        assertThat(r.temporaryFailure()).isFalse();
    }

    @Test
    void sealWithHeaderListFailsEvenWhenCorrectlySigned() {
        publish(list);
        ArcResult r = validate(list.seal(MESSAGE, 1, "none", DMARC_PASS, "", "; h=from"));
        assertThat(r.status()).isEqualTo(ChainStatus.FAIL);
        assertThat(r.problem()).contains(ArcProblem.SEAL_INVALID);
        assertThat(r.detail()).contains("h=");
    }

    @Test
    void sealWithMalformedTimestampFails() {
        publish(list);
        assertThat(validate(list.seal(MESSAGE, 1, "none", DMARC_PASS, "", "; t=-123.4")).status())
                .isEqualTo(ChainStatus.FAIL);
    }

    @Test
    void expiredMessageSignatureFails() {
        publish(list);
        String sealed = list.seal(MESSAGE, 1, "none", DMARC_PASS, "; x=1700000100", "");
        assertThat(validate(sealed).status()).isEqualTo(ChainStatus.FAIL);
        clock = Clock.fixed(Instant.ofEpochSecond(1700000050), ZoneOffset.UTC);
        assertThat(validate(sealed).status()).isEqualTo(ChainStatus.PASS);
    }

    @Test
    void keyShorterThan1024BitsFails() {
        TestSealer weak = new TestSealer("weak.example", "s", 512);
        publish(weak);
        ArcResult r = validate(weak.seal(MESSAGE, 1, "none", DMARC_PASS));
        assertThat(r.status()).isEqualTo(ChainStatus.FAIL);
        assertThat(r.detail()).contains("512 bits");
    }

    @Test
    void newestSealSayingFailEndsTheChainBeforeAnyLookup() {
        publish(list, forwarder);
        String once = list.seal(MESSAGE, 1, "none", DMARC_PASS);
        ArcResult r = validate(forwarder.seal(once, 2, "fail", "forward.example.net; arc=fail"));
        assertThat(r.status()).isEqualTo(ChainStatus.FAIL);
        assertThat(r.problem()).contains(ArcProblem.CHAIN_MARKED_FAILED);
        assertThat(dns.queryCount()).isZero();
    }

    @Test
    void moreThanFiftySetsFail() {
        String fields = "ARC-Seal: i=51; a=rsa-sha256; cv=pass; d=x.example; s=s; b=AAAA\r\n"
                + "ARC-Message-Signature: i=51; a=rsa-sha256; d=x.example; s=s; h=from; bh=AAAA; b=AAAA\r\n"
                + "ARC-Authentication-Results: i=51; x.example; arc=pass\r\n";
        ArcResult r = validate(fields + MESSAGE);
        assertThat(r.status()).isEqualTo(ChainStatus.FAIL);
        assertThat(r.problem()).contains(ArcProblem.TOO_MANY_SETS);
        assertThat(r.instanceCount()).isEqualTo(51);
    }

    @Test
    void gapInInstancesFails() {
        publish(list, forwarder);
        String once = list.seal(MESSAGE, 1, "none", DMARC_PASS);
        ArcResult r = validate(forwarder.seal(once, 3, "pass", "forward.example.net; arc=pass"));
        assertThat(r.status()).isEqualTo(ChainStatus.FAIL);
        assertThat(r.problem()).contains(ArcProblem.BROKEN_STRUCTURE);
    }

    @Test
    void bareLineFeedsAreReadAsCrlf() {
        publish(list);
        String sealed = list.seal(MESSAGE, 1, "none", DMARC_PASS);
        assertThat(validate(sealed.replace("\r\n", "\n")).status()).isEqualTo(ChainStatus.PASS);
    }
}
