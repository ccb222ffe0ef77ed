package org.postern.smtp;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads certificates and private keys from PEM files with BouncyCastle's PEMParser, which understands the
 * forms operators actually have: PKCS#8 ({@code PRIVATE KEY}), PKCS#1 ({@code RSA PRIVATE KEY}) and SEC1
 * ({@code EC PRIVATE KEY}, with or without its {@code EC PARAMETERS} block). Encrypted keys are refused with a
 * clear message rather than prompting for a password a daemon cannot type.
 */
final class PemMaterial {

    private final List<X509Certificate> certificates = new ArrayList<>();
    private PrivateKey privateKey;

    private PemMaterial() {
    }

    static PemMaterial read(Path... files) throws TlsConfigurationException {
        PemMaterial material = new PemMaterial();
        for (Path file : files) material.readFile(file);
        return material;
    }

    List<X509Certificate> certificates() {
        return List.copyOf(certificates);
    }

    Optional<PrivateKey> privateKey() {
        return Optional.ofNullable(privateKey);
    }

    private void readFile(Path file) throws TlsConfigurationException {
        JcaX509CertificateConverter certs = new JcaX509CertificateConverter();
        JcaPEMKeyConverter keys = new JcaPEMKeyConverter();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(reader)) {
            Object item;
            while ((item = parser.readObject()) != null) {
                switch (item) {
                    case X509CertificateHolder holder -> certificates.add(certs.getCertificate(holder));
                    // The public half is optional in SEC1 keys, so only the private key info is used.
                    case PEMKeyPair pair -> privateKey = keys.getPrivateKey(pair.getPrivateKeyInfo());
                    case PrivateKeyInfo info -> privateKey = keys.getPrivateKey(info);
                    case PKCS8EncryptedPrivateKeyInfo e -> throw encrypted(file);
                    case PEMEncryptedKeyPair e -> throw encrypted(file);
                    default -> { } // EC PARAMETERS and the like carry nothing we need
                }
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new TlsConfigurationException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static TlsConfigurationException encrypted(Path file) {
        return new TlsConfigurationException(file + " holds an encrypted private key; store it unencrypted "
                + "(e.g. openssl pkey -in key.pem -out plain.pem) and protect the file instead");
    }

    /**
     * Proves that the key belongs to the certificate by signing with one and verifying with the other, so a
     * mismatch fails at startup instead of in every handshake.
     */
    static void checkKeyMatches(PrivateKey key, X509Certificate certificate) throws TlsConfigurationException {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> "";
        };
        if (algorithm.isEmpty()) return; // an unusual key type: the handshake will tell
        try {
            byte[] probe = new byte[32];
            new SecureRandom().nextBytes(probe);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            PublicKey publicKey = certificate.getPublicKey();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(probe);
            if (verifier.verify(signature)) return;
        } catch (GeneralSecurityException e) {
            throw new TlsConfigurationException("the private key does not match the certificate "
                    + certificate.getSubjectX500Principal() + ": " + e.getMessage(), e);
        }
        throw new TlsConfigurationException("the private key does not match the certificate "
                + certificate.getSubjectX500Principal());
    }
}
