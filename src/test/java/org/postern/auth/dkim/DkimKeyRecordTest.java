package org.postern.auth.dkim;

import org.junit.jupiter.api.Test;

import java.security.interfaces.RSAPublicKey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Key records, including dkimpy's good and broken ones from the shared conformance data. */
class DkimKeyRecordTest {

    private static DkimKeyRecord dkimpy(String file) throws DkimProblem {
        return DkimKeyRecord.parse(Vectors.text(Vectors.DKIMPY.resolve(file)));
    }

    @Test
    void readsRfc8463RsaRecord() throws Exception {
        DkimKeyRecord k = dkimpy("test.txt");
        assertThat(k.keyType()).isEqualTo("rsa");
        assertThat(k.key()).get().isInstanceOf(RSAPublicKey.class);
        assertThat(((RSAPublicKey) k.key().orElseThrow()).getModulus().bitLength()).isEqualTo(1024);
        k.checkUsableFor(DkimAlgorithm.RSA_SHA256);
    }

    @Test
    void keyTypeDefaultsToRsa() throws Exception {
        assertThat(dkimpy("test2.txt").keyType()).isEqualTo("rsa");
    }

    @Test
    void readsEd25519RecordWithoutVersion() throws Exception {
        DkimKeyRecord k = dkimpy("ed25519test.dns");
        assertThat(k.keyType()).isEqualTo("ed25519");
        k.checkUsableFor(DkimAlgorithm.ED25519_SHA256);
        assertThatThrownBy(() -> k.checkUsableFor(DkimAlgorithm.RSA_SHA256)).isInstanceOf(DkimProblem.class);
    }

    @Test
    void unknownKeyTypeIsPermerror() {
        assertThatThrownBy(() -> dkimpy("badk.txt")).isInstanceOf(DkimProblem.class).hasMessageContaining("key type");
    }

    @Test
    void malformedVersionIsPermerror() {
        assertThatThrownBy(() -> dkimpy("badversion.txt")).isInstanceOf(DkimProblem.class).hasMessageContaining("v=");
    }

    @Test
    void versionMustComeFirst() {
        assertThatThrownBy(() -> DkimKeyRecord.parse("k=rsa; v=DKIM1; p=")).isInstanceOf(DkimProblem.class);
    }

    @Test
    void corruptedRsaKeyIsPermerror() {
        assertThatThrownBy(() -> dkimpy("test_bad.txt")).isInstanceOf(DkimProblem.class).hasMessageContaining("p=");
    }

    @Test
    void keyForAnotherServiceIsNotUsableForMail() throws Exception {
        DkimKeyRecord k = dkimpy("test_tlsrpt.txt");
        assertThatThrownBy(() -> k.checkUsableFor(DkimAlgorithm.RSA_SHA256))
                .isInstanceOf(DkimProblem.class).hasMessageContaining("not for email");
    }

    @Test
    void emptyPublicKeyMeansRevoked() throws Exception {
        assertThat(DkimKeyRecord.parse("v=DKIM1; p=").key()).isEmpty();
    }

    @Test
    void hashListMustAdmitTheSignaturesHash() throws Exception {
        String p = Vectors.text(Vectors.DKIMPY.resolve("test.txt")).replaceAll(".*p=", "");
        DkimKeyRecord k = DkimKeyRecord.parse("v=DKIM1; h=sha1; p=" + p);
        assertThatThrownBy(() -> k.checkUsableFor(DkimAlgorithm.RSA_SHA256)).isInstanceOf(DkimProblem.class)
                .hasMessageContaining("h=");
        DkimKeyRecord.parse("v=DKIM1; h=sha1:sha256; p=" + p).checkUsableFor(DkimAlgorithm.RSA_SHA256);
    }

    @Test
    void flagsAndMissingPublicKey() throws Exception {
        String p = Vectors.text(Vectors.DKIMPY.resolve("test.txt")).replaceAll(".*p=", "");
        DkimKeyRecord k = DkimKeyRecord.parse("v=DKIM1; t=y:s; p=" + p);
        assertThat(k.testing()).isTrue();
        assertThat(k.strict()).isTrue();
        assertThatThrownBy(() -> DkimKeyRecord.parse("v=DKIM1; k=rsa")).isInstanceOf(DkimProblem.class);
    }

    @Test
    void acceptsBarePkcs1RsaPublicKey() throws Exception {
        // stalwart mail-auth 002 publishes an RSAPublicKey, not a SubjectPublicKeyInfo
        String record = Vectors.MailAuthVector.read(Vectors.MAIL_AUTH.resolve("002.txt")).dns()
                .get("newengland._domainkey.example.com");
        assertThat(DkimKeyRecord.parse(record).key()).get().isInstanceOf(RSAPublicKey.class);
    }

    @Test
    void ed25519KeyMustBe32Octets() {
        assertThatThrownBy(() -> DkimKeyRecord.parse("k=ed25519; p=AAAA")).isInstanceOf(DkimProblem.class);
    }
}
