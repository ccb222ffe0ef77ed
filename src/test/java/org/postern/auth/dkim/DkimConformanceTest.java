package org.postern.auth.dkim;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The shared DKIM vectors ({@code ../shared/conformance/dkim/}, README there): stalwart mail-auth's signed
 * messages with their DNS, and dkimpy's test data (RFC 8463 keys and example, Exim's ed25519 message, a Gmail
 * message with degenerate folding, good and broken key records). Every key reaches the verifier over the DNS
 * wire protocol from an in-process server.
 */
class DkimConformanceTest {

    /** mail-auth's README: every signature passes when evaluated at this Unix time (2022-11-07 17:54:24Z)... */
    private static final long README_TIME = 1667843664;
    /**
     * ...except that 004's t= (1667862801) is 5.3 hours after it, and we refuse timestamps more than
     * {@link DkimVerifier#CLOCK_SKEW_SECONDS} ahead (as OpenDKIM's ClockDrift does). So we evaluate a little after
     * 004's t=, still long before 005's x= (1667930064).
     */
    private static final Clock MAIL_AUTH_TIME = Clock.fixed(Instant.ofEpochSecond(1667862801 + 60), ZoneOffset.UTC);
    /** Well after every dkimpy vector's t=; none of them has x=. */
    private static final Clock LATER = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    private static final String BRISBANE = "brisbane._domainkey.football.example.com";
    private static final String FOOTBALL_TEST = "test._domainkey.football.example.com";

    private final KeyServer keys = new KeyServer();

    @AfterEach
    void stopDns() {
        keys.close();
    }

    private static byte[] dkimpyMessage(String file) {
        return Vectors.crlf(Vectors.bytes(Vectors.DKIMPY.resolve(file)));
    }

    private static String dkimpyRecord(String file) {
        return Vectors.text(Vectors.DKIMPY.resolve(file));
    }

    private static PrivateKey rfc8463Ed25519() {
        return DkimKeys.ed25519PrivateKey(Vectors.base64File(Vectors.DKIMPY.resolve("rfc8032_7_1.key")));
    }

    private static PrivateKey rfc8463Rsa() {
        return DkimKeys.privateKeyFromPem(dkimpyRecord("test.private"));
    }

    private static byte[] prepend(String field, byte[] message) {
        byte[] f = field.getBytes(StandardCharsets.UTF_8);
        byte[] out = java.util.Arrays.copyOf(f, f.length + message.length);
        System.arraycopy(message, 0, out, f.length, message.length);
        return out;
    }

    // ---- stalwart mail-auth: DNS + signed message per file ----------------------------------------------

    @ParameterizedTest(name = "mail-auth {0}: every signature passes")
    @ValueSource(strings = {"001.txt", "002.txt", "003.txt", "004.txt", "005.txt", "006.txt"})
    void mailAuthVectorPassesAtItsTime(String file) {
        Vectors.MailAuthVector v = Vectors.MailAuthVector.read(Vectors.MAIL_AUTH.resolve(file));
        keys.publishAll(v.dns());
        List<DkimResult> results = keys.verifier(MAIL_AUTH_TIME).verify(v.message());
        int signatures = HeaderSection.parse(v.message()).named("DKIM-Signature").size();
        assertThat(results).hasSize(signatures).isNotEmpty();
        assertThat(results).allSatisfy(r -> assertThat(r.result()).as(r.problem()).isEqualTo(DkimOutcome.PASS));
    }

    @Test
    void mailAuth001IsTheRfc8463ExampleWithBothAlgorithms() {
        Vectors.MailAuthVector v = Vectors.MailAuthVector.read(Vectors.MAIL_AUTH.resolve("001.txt"));
        keys.publishAll(v.dns());
        assertThat(keys.verifier(MAIL_AUTH_TIME).verify(v.message()))
                .extracting(DkimResult::algorithm, DkimResult::result, DkimResult::headerB)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("ed25519-sha256", DkimOutcome.PASS, "/gCrinpc"),
                        org.assertj.core.groups.Tuple.tuple("rsa-sha256", DkimOutcome.PASS, "F45dVWDf"));
    }

    @Test
    void mailAuth004AtTheReadmeTimeIsFromTheFuture() {
        Vectors.MailAuthVector v = Vectors.MailAuthVector.read(Vectors.MAIL_AUTH.resolve("004.txt"));
        keys.publishAll(v.dns());
        Clock readme = Clock.fixed(Instant.ofEpochSecond(README_TIME), ZoneOffset.UTC);
        assertThat(keys.verifier(readme).verify(v.message())).singleElement().satisfies(r -> {
            assertThat(r.result()).isEqualTo(DkimOutcome.POLICY);
            assertThat(r.problem()).contains("future");
        });
    }

    @Test
    void mailAuth005HasExpiredByToday() {
        Vectors.MailAuthVector v = Vectors.MailAuthVector.read(Vectors.MAIL_AUTH.resolve("005.txt"));
        keys.publishAll(v.dns());
        assertThat(keys.verifier(LATER).verify(v.message())).singleElement().satisfies(r -> {
            assertThat(r.result()).isEqualTo(DkimOutcome.FAIL);
            assertThat(r.problem()).contains("expired");
        });
    }

    @Test
    void mailAuthVectorFailsOnceItsBodyIsChanged() {
        Vectors.MailAuthVector v = Vectors.MailAuthVector.read(Vectors.MAIL_AUTH.resolve("002.txt"));
        keys.publishAll(v.dns());
        byte[] changed = new String(v.message(), StandardCharsets.UTF_8).replace("hungry", "thirsty")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(keys.verifier(MAIL_AUTH_TIME).verify(changed)).extracting(DkimResult::result)
                .containsExactly(DkimOutcome.FAIL);
    }

    // ---- dkimpy: signed messages -------------------------------------------------------------------------

    @Test
    void dkimpySignedRfc6376ExampleVerifiesWithBothRfc8463Keys() {
        keys.publish(BRISBANE, DkimKeys.keyRecord(DkimKeys.publicKeyOf(rfc8463Ed25519())))
                .publish(FOOTBALL_TEST, dkimpyRecord("test.txt"));
        assertThat(keys.verifier(LATER).verify(dkimpyMessage("rfc6376.signed.msg")))
                .extracting(DkimResult::selector, DkimResult::result)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("brisbane", DkimOutcome.PASS),
                        org.assertj.core.groups.Tuple.tuple("test", DkimOutcome.PASS));
    }

    @Test
    void eximSignedEd25519MessageVerifies() {
        keys.publish("sed._domainkey.test.ex", dkimpyRecord("eximtest.dns"));
        assertThat(keys.verifier(LATER).verify(dkimpyMessage("ed25519test2.msg"))).singleElement()
                .satisfies(r -> assertThat(r.result()).as(r.problem()).isEqualTo(DkimOutcome.PASS));
    }

    /** test2.message's key is no longer published; dkimpy's tests carry it, our copy is in test resources. */
    @Test
    void gmailMessageWithDegenerateFoldingVerifies() {
        keys.publish("20120113._domainkey.gmail.com",
                Vectors.text(Path.of("src/test/resources/auth/dkim/extra/20120113._domainkey.gmail.com.txt")));
        assertThat(keys.verifier(LATER).verify(dkimpyMessage("test2.message"))).singleElement()
                .satisfies(r -> assertThat(r.result()).as(r.problem()).isEqualTo(DkimOutcome.PASS));
    }

    // ---- dkimpy: keys and key records, through our signer ------------------------------------------------

    /** test.message signed with the RFC 8463 RSA key, checked against each of dkimpy's key records. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "test.txt, PASS",
        "test2.txt, PASS",
        "badk.txt, PERMERROR",
        "badversion.txt, PERMERROR",
        "test_bad.txt, PERMERROR",
        "test_tlsrpt.txt, PERMERROR",
    })
    void rsaSignatureAgainstDkimpyKeyRecords(String record, DkimOutcome expected) {
        keys.publish("test._domainkey.example.com", dkimpyRecord(record));
        byte[] message = dkimpyMessage("test.message");
        String field = DkimSigner.builder("example.com", "test", rfc8463Rsa()).clock(LATER).build().sign(message);
        assertThat(keys.verifier(LATER).verify(prepend(field, message))).singleElement()
                .satisfies(r -> assertThat(r.result()).as(r.problem()).isEqualTo(expected));
    }

    @Test
    void ed25519TestKeySignsAndItsRecordVerifies() {
        keys.publish("test._domainkey.example.com", dkimpyRecord("ed25519test.dns"));
        PrivateKey key = DkimKeys.ed25519PrivateKey(Vectors.base64File(Vectors.DKIMPY.resolve("ed25519test.key")));
        byte[] message = dkimpyMessage("ed25519test.msg");
        String field = DkimSigner.builder("example.com", "test", key).clock(LATER).build().sign(message);
        assertThat(keys.verifier(LATER).verify(prepend(field, message))).extracting(DkimResult::result)
                .containsExactly(DkimOutcome.PASS);
    }

    @Test
    void rfc8463KeysSignTheExampleAndBothVerify() {
        keys.publish(BRISBANE, "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=")
                .publish(FOOTBALL_TEST, dkimpyRecord("test.txt"));
        byte[] message = dkimpyMessage("rfc6376.msg");
        String ed = DkimSigner.builder("football.example.com", "brisbane", rfc8463Ed25519()).clock(LATER).build()
                .sign(message);
        String rsa = DkimSigner.builder("football.example.com", "test", rfc8463Rsa()).clock(LATER).build().sign(message);
        assertThat(keys.verifier(LATER).verify(prepend(rsa, prepend(ed, message)))).extracting(DkimResult::result)
                .containsExactly(DkimOutcome.PASS, DkimOutcome.PASS);
    }

    @Test
    void extraReceivedFieldAddedAfterSigningDoesNotMatter() {
        keys.publish("test._domainkey.example.com", dkimpyRecord("test.txt"));
        String field = DkimSigner.builder("example.com", "test", rfc8463Rsa()).clock(LATER).build()
                .sign(dkimpyMessage("test.message"));
        assertThat(keys.verifier(LATER).verify(prepend(field, dkimpyMessage("test_extra.message"))))
                .extracting(DkimResult::result).containsExactly(DkimOutcome.PASS);
    }

    @Test
    void realMessageWithAForeignSignatureGetsOneResultPerSignature() {
        keys.publish("test._domainkey.example.com", dkimpyRecord("test.txt"));
        byte[] message = dkimpyMessage("message.mbox");
        String field = DkimSigner.builder("example.com", "test", rfc8463Rsa()).clock(LATER).build().sign(message);
        assertThat(keys.verifier(LATER).verify(prepend(field, message)))
                .extracting(DkimResult::domain, DkimResult::result)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("example.com", DkimOutcome.PASS),
                        org.assertj.core.groups.Tuple.tuple("kitterman.com", DkimOutcome.PERMERROR));
    }

    @Test
    void messageWithoutFromIsNotSigned() {
        DkimSigner signer = DkimSigner.builder("example.com", "test", rfc8463Rsa()).build();
        assertThatThrownBy(() -> signer.sign(dkimpyMessage("test_nofrom.message")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("From");
    }

    // ---- byte-for-byte reproduction ----------------------------------------------------------------------

    /**
     * RFC 8463 Appendix A.3 (mail-auth 001) and dkimpy's simple/simple signing of the same message: Ed25519 and
     * RSA PKCS#1 v1.5 are both deterministic, so signing each published field (b= emptied) with its key must
     * give its b= exactly.
     */
    @ParameterizedTest(name = "{0} signature #{1}")
    @CsvSource({
        "mail-auth/001.txt, 0, brisbane",
        "mail-auth/001.txt, 1, test",
        "dkimpy/rfc6376.signed.msg, 0, brisbane",
        "dkimpy/rfc6376.signed.msg, 1, test",
    })
    void signerReproducesPublishedSignatures(String file, int index, String selector) throws Exception {
        byte[] message = file.startsWith("mail-auth")
                ? Vectors.MailAuthVector.read(Vectors.SHARED.resolve(file)).message()
                : Vectors.crlf(Vectors.bytes(Vectors.SHARED.resolve(file)));
        HeaderSection headers = HeaderSection.parse(message);
        HeaderField field = headers.named("DKIM-Signature").get(index);
        DkimSignature published = DkimSignature.parse(field, TagList.parse(field.value()));
        PrivateKey key = selector.equals("brisbane") ? rfc8463Ed25519() : rfc8463Rsa();
        DkimSigner signer = DkimSigner.builder("football.example.com", selector, key)
                .canonicalization(published.headerCanonicalization(), published.bodyCanonicalization())
                .build();
        byte[] b = signer.signatureFor(headers, HeaderHashInput.withoutSignatureValue(field.rawUnsafe()),
                published.signedHeaders());
        assertThat(Base64.getEncoder().encodeToString(b))
                .isEqualTo(Base64.getEncoder().encodeToString(published.signature()));
    }

    @Test
    void signerGivesTheRfc8463BodyHashAndTimestamp() {
        Clock at = Clock.fixed(Instant.ofEpochSecond(1528637909), ZoneOffset.UTC);
        String field = DkimSigner.builder("football.example.com", "brisbane", rfc8463Ed25519()).clock(at).build()
                .sign(dkimpyMessage("rfc6376.msg"));
        assertThat(field.replace("\r\n\t", " "))
                .contains("t=1528637909;", "bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=;");
    }
}
