package org.postern.auth.dkim;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Sign with {@link DkimSigner}, publish the key in DNS, verify: each behaviour of the verifier in turn. */
class DkimVerifierTest {

    private static final Instant SIGNED_AT = Instant.parse("2026-03-04T10:00:00Z");
    private static final Clock SIGNING_CLOCK = Clock.fixed(SIGNED_AT, ZoneOffset.UTC);
    private static final Clock AN_HOUR_LATER = Clock.fixed(SIGNED_AT.plusSeconds(3600), ZoneOffset.UTC);

    private static final String MESSAGE = """
            Received: from client.example.org by mx.example.org; Wed, 4 Mar 2026 10:00:00 +0000
            From: Alice <alice@example.org>
            To: Bob <bob@postern.test>
            Subject: Quarterly   numbers
            Date: Wed, 4 Mar 2026 10:00:00 +0000
            Message-ID: <q1@example.org>

            Hello Bob,
              the numbers are attached.\t
            Alice

            """;

    private static KeyPair rsa;
    private static KeyPair ed25519;

    private final KeyServer keys = new KeyServer();

    @BeforeAll
    static void makeKeys() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        rsa = g.generateKeyPair();
        ed25519 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    }

    @AfterEach
    void stopDns() {
        keys.close();
    }

    private static byte[] message() {
        return Vectors.crlf(MESSAGE);
    }

    private static DkimSigner.Builder signer(String selector, PrivateKey key) {
        return DkimSigner.builder("example.org", selector, key).clock(SIGNING_CLOCK);
    }

    private static byte[] prepend(String field, byte[] message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(field.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(message);
        return out.toByteArray();
    }

    private static byte[] signed(DkimSigner.Builder signer, byte[] message) {
        return prepend(signer.build().sign(message), message);
    }

    private static byte[] replace(byte[] message, String from, String to) {
        String s = new String(message, StandardCharsets.UTF_8);
        assertThat(s).contains(from);
        return s.replace(from, to).getBytes(StandardCharsets.UTF_8);
    }

    private List<DkimResult> verify(byte[] message) {
        return keys.verifier(AN_HOUR_LATER).verify(message);
    }

    private void publishBoth() {
        keys.publish("rsa", "example.org", rsa.getPublic()).publish("ed", "example.org", ed25519.getPublic());
    }

    @Test
    void rsa2048SignatureVerifies() {
        publishBoth();
        List<DkimResult> results = verify(signed(signer("rsa", rsa.getPrivate()), message()));
        assertThat(results).singleElement().satisfies(r -> {
            assertThat(r.result()).isEqualTo(DkimOutcome.PASS);
            assertThat(r.domain()).isEqualTo("example.org");
            assertThat(r.selector()).isEqualTo("rsa");
            assertThat(r.algorithm()).isEqualTo("rsa-sha256");
            assertThat(r.identity()).isEmpty();
            assertThat(r.problem()).isEmpty();
            assertThat(r.isStrongPass()).isTrue();
            assertThat(r.headerB()).hasSize(8);
        });
    }

    @Test
    void ed25519SignatureVerifies() {
        publishBoth();
        List<DkimResult> results = verify(signed(signer("ed", ed25519.getPrivate()).identity("alice@mail.example.org"),
                message()));
        assertThat(results).singleElement().satisfies(r -> {
            assertThat(r.result()).isEqualTo(DkimOutcome.PASS);
            assertThat(r.algorithm()).isEqualTo("ed25519-sha256");
            assertThat(r.identity()).contains("alice@mail.example.org");
        });
    }

    @Test
    void dualSignedMessageGivesOnePassPerSignatureTopFirst() {
        publishBoth();
        byte[] once = signed(signer("ed", ed25519.getPrivate()), message());
        byte[] twice = signed(signer("rsa", rsa.getPrivate()), once);
        assertThat(verify(twice)).extracting(DkimResult::selector, DkimResult::result)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("rsa", DkimOutcome.PASS),
                        org.assertj.core.groups.Tuple.tuple("ed", DkimOutcome.PASS));
    }

    @Test
    void sharedKeyIsLookedUpOnce() {
        publishBoth();
        byte[] once = signed(signer("ed", ed25519.getPrivate()), message());
        byte[] twice = signed(signer("ed", ed25519.getPrivate()).canonicalization(Canonicalization.SIMPLE,
                Canonicalization.SIMPLE), once);
        assertThat(verify(twice)).extracting(DkimResult::result).containsExactly(DkimOutcome.PASS, DkimOutcome.PASS);
        assertThat(keys.dns.queryCount("ed._domainkey.example.org", org.xbill.DNS.Type.TXT)).isEqualTo(1);
    }

    @Test
    void changedBodyFailsOnTheBodyHash() {
        publishBoth();
        byte[] tampered = replace(signed(signer("ed", ed25519.getPrivate()), message()), "attached", "deleted");
        assertThat(verify(tampered)).singleElement().satisfies(r -> {
            assertThat(r.result()).isEqualTo(DkimOutcome.FAIL);
            assertThat(r.problem()).contains("body hash");
        });
    }

    @Test
    void changedSignedHeaderFailsOnTheSignature() {
        publishBoth();
        byte[] tampered = replace(signed(signer("rsa", rsa.getPrivate()), message()), "Subject: Quarterly", "Subject: Urgent");
        assertThat(verify(tampered)).singleElement().satisfies(r -> {
            assertThat(r.result()).isEqualTo(DkimOutcome.FAIL);
            assertThat(r.problem()).contains("signature did not verify");
        });
    }

    @Test
    void fromAddedAboveAnOverSignedFromBreaksTheSignature() {
        publishBoth();
        byte[] signed = signed(signer("ed", ed25519.getPrivate()), message());
        byte[] added = replace(signed, "Received:", "From: Mallory <ceo@example.org>\r\nReceived:");
        assertThat(verify(added)).extracting(DkimResult::result).containsExactly(DkimOutcome.FAIL);
    }

    @Test
    void unsignedHeaderAddedInTransitDoesNotMatter() {
        publishBoth();
        byte[] signed = signed(signer("ed", ed25519.getPrivate()), message());
        byte[] relayed = prepend("Received: from relay.example.net by mx.postern.test\r\n", signed);
        assertThat(verify(relayed)).extracting(DkimResult::result).containsExactly(DkimOutcome.PASS);
    }

    @Test
    void relaxedSurvivesRewhitespacingWhereSimpleDoesNot() {
        publishBoth();
        byte[] relaxed = signed(signer("ed", ed25519.getPrivate()), message());
        byte[] simple = signed(signer("ed", ed25519.getPrivate())
                .canonicalization(Canonicalization.SIMPLE, Canonicalization.SIMPLE), message());
        String from = "Subject: Quarterly   numbers\r\n";
        String to = "Subject:   Quarterly\r\n\t numbers \r\n";
        assertThat(verify(replace(replace(relaxed, from, to), "Alice\r\n", "Alice  \r\n\r\n\r\n")))
                .extracting(DkimResult::result).containsExactly(DkimOutcome.PASS);
        assertThat(verify(replace(simple, from, to))).extracting(DkimResult::result).containsExactly(DkimOutcome.FAIL);
    }

    @Test
    void unixLineEndsVerifyLikeCrlf() {
        publishBoth();
        byte[] signed = signed(signer("rsa", rsa.getPrivate()), message());
        byte[] unix = new String(signed, StandardCharsets.UTF_8).replace("\r\n", "\n").getBytes(StandardCharsets.UTF_8);
        assertThat(verify(unix)).extracting(DkimResult::result).containsExactly(DkimOutcome.PASS);
    }

    @Test
    void expiredSignatureFails() {
        publishBoth();
        byte[] signed = signed(signer("ed", ed25519.getPrivate()).expiry(Duration.ofMinutes(30)), message());
        assertThat(verify(signed)).singleElement().satisfies(r -> {
            assertThat(r.result()).isEqualTo(DkimOutcome.FAIL);
            assertThat(r.problem()).contains("expired");
        });
        assertThat(keys.verifier(SIGNING_CLOCK).verify(signed)).extracting(DkimResult::result)
                .containsExactly(DkimOutcome.PASS);
    }

    @Test
    void timestampBeyondClockSkewIsPolicyAndWithinIsAccepted() {
        publishBoth();
        byte[] signed = signed(signer("ed", ed25519.getPrivate()), message());
        Clock early = Clock.fixed(SIGNED_AT.minusSeconds(DkimVerifier.CLOCK_SKEW_SECONDS + 1), ZoneOffset.UTC);
        Clock slightlyEarly = Clock.fixed(SIGNED_AT.minusSeconds(60), ZoneOffset.UTC);
        assertThat(keys.verifier(early).verify(signed)).singleElement().satisfies(r -> {
            assertThat(r.result()).isEqualTo(DkimOutcome.POLICY);
            assertThat(r.problem()).contains("future");
        });
        assertThat(keys.verifier(slightlyEarly).verify(signed)).extracting(DkimResult::result)
                .containsExactly(DkimOutcome.PASS);
    }

    @Test
    void keyLookupTimeoutIsTemperrorNeverFail() {
        keys.dns.timeout("ed._domainkey.example.org");
        byte[] signed = signed(signer("ed", ed25519.getPrivate()), message());
        List<DkimResult> results = keys.verifier(AN_HOUR_LATER, Duration.ofMillis(300)).verify(signed);
        assertThat(results).singleElement().satisfies(r -> {
            assertThat(r.result()).isEqualTo(DkimOutcome.TEMPERROR);
            assertThat(r.problem()).contains("temporarily");
        });
    }

    @Test
    void servfailIsTemperrorEvenWhenTheBodyWasChanged() {
        keys.dns.servfail("ed._domainkey.example.org");
        byte[] tampered = replace(signed(signer("ed", ed25519.getPrivate()), message()), "attached", "deleted");
        assertThat(verify(tampered)).extracting(DkimResult::result).containsExactly(DkimOutcome.TEMPERROR);
    }

    @Test
    void missingKeyRecordIsPermerror() {
        byte[] signed = signed(signer("ed", ed25519.getPrivate()), message());
        assertThat(verify(signed)).singleElement().satisfies(r -> {
            assertThat(r.result()).isEqualTo(DkimOutcome.PERMERROR);
            assertThat(r.problem()).contains("no key record");
        });
    }

    @Test
    void revokedKeyFails() {
        keys.publish("ed._domainkey.example.org", "v=DKIM1; k=ed25519; p=");
        byte[] signed = signed(signer("ed", ed25519.getPrivate()), message());
        assertThat(verify(signed)).singleElement().satisfies(r -> {
            assertThat(r.result()).isEqualTo(DkimOutcome.FAIL);
            assertThat(r.problem()).contains("revoked");
        });
    }

    @Test
    void testingKeyIsFlaggedAndNotAStrongPass() {
        keys.publish("ed._domainkey.example.org", DkimKeys.keyRecord(ed25519.getPublic()).replace("k=ed25519;", "k=ed25519; t=y;"));
        byte[] signed = signed(signer("ed", ed25519.getPrivate()), message());
        assertThat(verify(signed)).singleElement().satisfies(r -> {
            assertThat(r.result()).isEqualTo(DkimOutcome.PASS);
            assertThat(r.testing()).isTrue();
            assertThat(r.isStrongPass()).isFalse();
        });
    }

    @Test
    void strictKeyRefusesAnIdentityInASubdomain() {
        keys.publish("ed._domainkey.example.org", DkimKeys.keyRecord(ed25519.getPublic()) + "; t=s");
        byte[] sub = signed(signer("ed", ed25519.getPrivate()).identity("alice@mail.example.org"), message());
        byte[] same = signed(signer("ed", ed25519.getPrivate()).identity("alice@example.org"), message());
        assertThat(verify(sub)).extracting(DkimResult::result).containsExactly(DkimOutcome.PERMERROR);
        assertThat(verify(same)).extracting(DkimResult::result).containsExactly(DkimOutcome.PASS);
    }

    @Test
    void keyOfTheWrongTypeIsPermerror() {
        keys.publish("ed", "example.org", rsa.getPublic());
        byte[] signed = signed(signer("ed", ed25519.getPrivate()), message());
        assertThat(verify(signed)).singleElement().satisfies(r -> {
            assertThat(r.result()).isEqualTo(DkimOutcome.PERMERROR);
            assertThat(r.problem()).contains("k=rsa");
        });
    }

    @Test
    void keyOfAnotherSignerFails() throws Exception {
        keys.publish("ed", "example.org", KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic());
        byte[] signed = signed(signer("ed", ed25519.getPrivate()), message());
        assertThat(verify(signed)).extracting(DkimResult::result).containsExactly(DkimOutcome.FAIL);
    }

    @Test
    void rsaKeyAnswerLargerThan512OctetsComesOverTcp() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(3072);
        KeyPair big = g.generateKeyPair();
        keys.publish("big", "example.org", big.getPublic());
        keys.dns.maxUdpPayload(512); // dnsjava offers EDNS 1232; force the truncation a plain resolver would see
        byte[] signed = signed(signer("big", big.getPrivate()), message());
        assertThat(verify(signed)).extracting(DkimResult::result).containsExactly(DkimOutcome.PASS);
        assertThat(keys.dns.queries()).anyMatch(q -> q.tcp());
    }

    @Test
    void noSignatureGivesNoResults() {
        assertThat(verify(message())).isEmpty();
    }

    @Test
    void brokenSignatureIsPermerrorWithWhateverLabelsItHas() {
        byte[] message = prepend("DKIM-Signature: v=1; a=rsa-sha256; d=example.org; s=x; bh=AAAA; b=QUJDREVGR0hJSg==\r\n",
                message());
        assertThat(verify(message)).singleElement().satisfies(r -> {
            assertThat(r.result()).isEqualTo(DkimOutcome.PERMERROR);
            assertThat(r.problem()).contains("h=");
            assertThat(r.domain()).isEqualTo("example.org");
            assertThat(r.selector()).isEqualTo("x");
            assertThat(r.headerB()).isEqualTo("QUJDREVG");
        });
    }

    @Test
    void keysBeyondTheLookupLimitAreNotFetchedButBrokenSignaturesDoNotCount() {
        publishBoth();
        byte[] m = signed(signer("ed", ed25519.getPrivate()), message());
        for (int i = 0; i < DkimVerifier.MAX_KEY_LOOKUPS; i++) {
            m = prepend("DKIM-Signature: v=1; a=rsa-sha256; d=example.org; s=junk" + i + "; h=to; bh=AA==; b=AA==\r\n", m);
        }
        assertThat(verify(m)).extracting(DkimResult::result).last().isEqualTo(DkimOutcome.PASS);

        for (int i = 0; i < DkimVerifier.MAX_KEY_LOOKUPS; i++) {
            m = signed(signer("other" + i, ed25519.getPrivate()), m);
        }
        List<DkimResult> results = verify(m);
        assertThat(results.subList(0, DkimVerifier.MAX_KEY_LOOKUPS)).extracting(DkimResult::result)
                .containsOnly(DkimOutcome.PERMERROR); // no key published for other0..9
        assertThat(results.getLast()).satisfies(r -> {
            assertThat(r.result()).isEqualTo(DkimOutcome.POLICY);
            assertThat(r.problem()).contains("not evaluated");
        });
        assertThat(keys.dns.queryCount()).isLessThanOrEqualTo(1 + 2 * DkimVerifier.MAX_KEY_LOOKUPS);
    }

    @Test
    void bodyLengthIsHonouredReportedAndCannotExceedTheBody() throws Exception {
        publishBoth();
        byte[] message = message();
        byte[] withLength = signWithTags(message, "l=20; ", 20);
        byte[] appended = prepend("", concat(withLength, "P.S. click here\r\n"));
        assertThat(verify(appended)).singleElement().satisfies(r -> {
            assertThat(r.result()).isEqualTo(DkimOutcome.PASS);
            assertThat(r.bodyLengthLimited()).isTrue();
            assertThat(r.isStrongPass()).isFalse();
            assertThat(r.problem()).contains("only the first 20");
        });
        byte[] tooLong = signWithTags(message, "l=100000; ", 100000);
        assertThat(verify(tooLong)).singleElement().satisfies(r -> {
            assertThat(r.result()).isEqualTo(DkimOutcome.FAIL);
            assertThat(r.problem()).contains("longer than");
        });
    }

    @Test
    void verifiesFromAFileAndFromAStreamLargerThanMemoryWouldLike() throws Exception {
        publishBoth();
        Path file = Files.createTempFile("dkim", ".eml");
        try {
            Files.write(file, signed(signer("ed", ed25519.getPrivate()), message()));
            assertThat(keys.verifier(AN_HOUR_LATER).verify(file)).extracting(DkimResult::result)
                    .containsExactly(DkimOutcome.PASS);
        } finally {
            Files.delete(file);
        }
        long size = 64L << 20;
        byte[] headers = "From: alice@example.org\r\nSubject: big\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        String field;
        try (InputStream in = new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(headers), new Body(size))) {
            field = signer("ed", ed25519.getPrivate()).build().sign(in);
        }
        try (InputStream in = new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(
                prepend(field, headers)), new Body(size))) {
            assertThat(keys.verifier(AN_HOUR_LATER).verify(in)).extracting(DkimResult::result)
                    .containsExactly(DkimOutcome.PASS);
        }
    }

    /** A signature with extra tags (e.g. l=), made with the package's own pieces since the signer never writes l=. */
    private static byte[] signWithTags(byte[] message, String extraTags, long limit) throws Exception {
        HeaderSection headers = HeaderSection.parse(message);
        int bodyStart = new String(message, StandardCharsets.ISO_8859_1).indexOf("\r\n\r\n") + 4;
        BodyHasher h = new BodyHasher(Canonicalization.RELAXED, MessageDigest.getInstance("SHA-256"), limit);
        h.write(message, bodyStart, message.length - bodyStart);
        String field = "DKIM-Signature: v=1; a=ed25519-sha256; c=relaxed/relaxed; d=example.org; s=ed; "
                + extraTags + "h=from:to:subject; bh=" + Base64.getEncoder().encodeToString(h.finish()) + "; b=";
        byte[] b = signer("ed", ed25519.getPrivate()).build()
                .signatureFor(headers, field.getBytes(StandardCharsets.US_ASCII), List.of("from", "to", "subject"));
        return prepend(field + Base64.getEncoder().encodeToString(b) + "\r\n", message);
    }

    private static byte[] concat(byte[] a, String b) {
        return (new String(a, StandardCharsets.UTF_8) + b).getBytes(StandardCharsets.UTF_8);
    }

    /** A body of {@code size} octets made on the fly: lines of text, never held in memory. */
    private static final class Body extends InputStream {
        private static final byte[] LINE = "The quick brown fox jumps over the lazy dog.  \r\n".getBytes(StandardCharsets.US_ASCII);
        private long left;
        private int at;

        Body(long size) {
            this.left = size;
        }

        @Override
        public int read() {
            if (left == 0) return -1;
            left--;
            byte b = LINE[at];
            at = (at + 1) % LINE.length;
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) {
            if (left == 0) return -1;
            int n = (int) Math.min(len, left);
            for (int i = 0; i < n; i++) buf[off + i] = (byte) read();
            return n;
        }
    }
}
