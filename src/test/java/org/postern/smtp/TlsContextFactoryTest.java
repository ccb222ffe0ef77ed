package org.postern.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading TLS material from PEM files, and the self-signed fallback. */
class TlsContextFactoryTest {

    private static TestPki.Issued ca;
    private static KeyPair rsa;
    private static X509Certificate rsaCert;

    @TempDir
    Path dir;

    @BeforeAll
    static void makeKeys() {
        ca = TestPki.ca("Test Server CA");
        rsa = TestPki.rsaKeys();
        rsaCert = TestPki.server(ca, rsa, "mx1.example");
    }

    @Test
    void loadsAPkcs8KeyAndACertificateChain() throws Exception {
        Path cert = TestPki.writePem(dir.resolve("mx.pem"), rsaCert, ca.certificate());
        Path key = TestPki.writePem(dir.resolve("mx.key"), new JcaPKCS8Generator(rsa.getPrivate(), null));
        assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");
        ServerTls tls = TlsContextFactory.create(TlsSettings.pem(cert, key), "ignored.example");
        assertThat(tls.certificate()).isEqualTo(rsaCert);
    }

    @Test
    void loadsAPkcs1RsaKeyFromTheSameFileAsTheCertificate() throws Exception {
        Path both = TestPki.writePem(dir.resolve("combined.pem"), rsaCert, rsa.getPrivate());
        assertThat(Files.readString(both)).contains("-----BEGIN RSA PRIVATE KEY-----");
        assertThat(TlsContextFactory.create(TlsSettings.pem(both, both), "x").certificate()).isEqualTo(rsaCert);
    }

    @Test
    void loadsASec1EcKey() throws Exception {
        // BouncyCastle's own keys encode the curve inside the SEC1 structure, as openssl does; the JDK's do not.
        java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("EC",
                new org.bouncycastle.jce.provider.BouncyCastleProvider());
        generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
        KeyPair ec = generator.generateKeyPair();
        X509Certificate ecCert = TestPki.server(ca, ec, "mx2.example");
        Path cert = TestPki.writePem(dir.resolve("ec.pem"), ecCert);
        Path key = TestPki.writePem(dir.resolve("ec.key"), ec.getPrivate());
        assertThat(Files.readString(key)).contains("-----BEGIN EC PRIVATE KEY-----");
        assertThat(TlsContextFactory.create(TlsSettings.pem(cert, key), "x").certificate()).isEqualTo(ecCert);
    }

    @Test
    void refusesAKeyThatDoesNotMatchTheCertificate() {
        Path cert = TestPki.writePem(dir.resolve("mx.pem"), rsaCert);
        Path key = TestPki.writePem(dir.resolve("other.key"), TestPki.rsaKeys().getPrivate());
        assertThatThrownBy(() -> TlsContextFactory.create(TlsSettings.pem(cert, key), "x"))
                .isInstanceOf(TlsConfigurationException.class).hasMessageContaining("does not match");
    }

    @Test
    void refusesAnEncryptedKeyWithAHint() throws Exception {
        OutputEncryptor encryptor = new JceOpenSSLPKCS8EncryptorBuilder(PKCSObjectIdentifiers.pbeWithSHAAnd3_KeyTripleDES_CBC)
                .setPassword("secret".toCharArray()).build();
        Path cert = TestPki.writePem(dir.resolve("mx.pem"), rsaCert);
        Path key = TestPki.writePem(dir.resolve("enc.key"), new JcaPKCS8Generator(rsa.getPrivate(), encryptor));
        assertThatThrownBy(() -> TlsContextFactory.create(TlsSettings.pem(cert, key), "x"))
                .isInstanceOf(TlsConfigurationException.class).hasMessageContaining("encrypted");
    }

    @Test
    void namesTheFileThatIsMissingOrEmpty() throws Exception {
        Path missing = dir.resolve("missing.pem");
        assertThatThrownBy(() -> TlsContextFactory.create(TlsSettings.pem(missing, missing), "x"))
                .isInstanceOf(TlsConfigurationException.class).hasMessageContaining("missing.pem");
        Path cert = TestPki.writePem(dir.resolve("only-cert.pem"), rsaCert);
        assertThatThrownBy(() -> TlsContextFactory.create(TlsSettings.pem(cert, cert), "x"))
                .isInstanceOf(TlsConfigurationException.class).hasMessageContaining("no private key");
        Path empty = Files.writeString(dir.resolve("empty-ca.pem"), "");
        assertThatThrownBy(() -> TlsContextFactory.create(TlsSettings.selfSigned().withClientCa(empty), "x"))
                .isInstanceOf(TlsConfigurationException.class).hasMessageContaining("empty-ca.pem");
    }

    @Test
    void makesASelfSignedCertificateForTheHostname() throws Exception {
        X509Certificate cert = TlsContextFactory.create(TlsSettings.selfSigned(), "mx9.example").certificate();
        cert.checkValidity();
        cert.verify(cert.getPublicKey());
        assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=mx9.example");
        Collection<List<?>> sans = cert.getSubjectAlternativeNames();
        assertThat(sans).containsExactly(List.of(2, "mx9.example"));
        assertThat(cert.getPublicKey().getAlgorithm()).isEqualTo("RSA");
    }

    @Test
    void requiresCertificateAndKeyTogether() {
        assertThatThrownBy(() -> new TlsSettings(java.util.Optional.of(dir), java.util.Optional.empty(),
                java.util.Optional.empty())).isInstanceOf(IllegalArgumentException.class);
    }
}
