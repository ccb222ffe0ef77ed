package org.postern.auth.dkim;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;

import java.io.IOException;
import java.io.StringReader;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * Key material for DKIM: private keys from PEM or an Ed25519 seed, public keys from a key record's {@code p=},
 * and the key record to publish for a private key.
 */
public final class DkimKeys {

    /** DER SubjectPublicKeyInfo prefix for an Ed25519 key (RFC 8410); the 32 raw octets follow. */
    private static final byte[] ED25519_SPKI_PREFIX = hex("302a300506032b6570032100");
    /** DER PKCS#8 prefix for an Ed25519 private key (RFC 8410); the 32-octet seed follows. */
    private static final byte[] ED25519_PKCS8_PREFIX = hex("302e020100300506032b657004220420");

    private DkimKeys() {
    }

    /**
     * A private key from PEM: PKCS#8 ({@code BEGIN PRIVATE KEY}, RSA or Ed25519) or PKCS#1
     * ({@code BEGIN RSA PRIVATE KEY}). Encrypted keys are not supported.
     */
    public static PrivateKey privateKeyFromPem(String pem) {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object o = parser.readObject();
            PrivateKeyInfo info = switch (o) {
                case PEMKeyPair pair -> pair.getPrivateKeyInfo();
                case PrivateKeyInfo pki -> pki;
                case null -> throw new IllegalArgumentException("no PEM object found");
                default -> throw new IllegalArgumentException("not an unencrypted private key: "
                        + o.getClass().getSimpleName());
            };
            ASN1ObjectIdentifier oid = info.getPrivateKeyAlgorithm().getAlgorithm();
            String algorithm;
            if (oid.equals(PKCSObjectIdentifiers.rsaEncryption)) {
                algorithm = "RSA";
            } else if (oid.equals(EdECObjectIdentifiers.id_Ed25519)) {
                algorithm = "Ed25519";
            } else {
                throw new IllegalArgumentException("unsupported key algorithm " + oid);
            }
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("unreadable private key: " + e.getMessage(), e);
        }
    }

    /** An Ed25519 private key from its 32-octet seed (RFC 8032 §5.1.5), the form dkimpy and RFC 8463 use. */
    public static PrivateKey ed25519PrivateKey(byte[] seed) {
        if (seed.length != 32) throw new IllegalArgumentException("an Ed25519 seed is 32 octets, not " + seed.length);
        try {
            return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(concat(ED25519_PKCS8_PREFIX, seed)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK lacks Ed25519", e);
        }
    }

    /** An Ed25519 public key from its 32 raw octets, as a key record's {@code p=} holds it (RFC 8463 §4). */
    public static PublicKey ed25519PublicKey(byte[] raw) throws GeneralSecurityException {
        if (raw.length != 32) throw new java.security.spec.InvalidKeySpecException("an Ed25519 key is 32 octets");
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(concat(ED25519_SPKI_PREFIX, raw)));
    }

    /**
     * An RSA public key from DER: SubjectPublicKeyInfo as RFC 6376 §3.6.1 says, or a bare PKCS#1 RSAPublicKey,
     * which some publishers use and dkimpy accepts.
     */
    public static PublicKey rsaPublicKey(byte[] der) throws GeneralSecurityException {
        KeyFactory rsa = KeyFactory.getInstance("RSA");
        try {
            return rsa.generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException spkiFailed) {
            try {
                RSAPublicKey pkcs1 = RSAPublicKey.getInstance(der);
                return rsa.generatePublic(new RSAPublicKeySpec(pkcs1.getModulus(), pkcs1.getPublicExponent()));
            } catch (RuntimeException notPkcs1) {
                throw spkiFailed;
            }
        }
    }

    /** The public half of a private key (RSA with CRT parameters, or Ed25519). */
    public static PublicKey publicKeyOf(PrivateKey key) {
        try {
            if (key instanceof RSAPrivateCrtKey rsa) {
                return KeyFactory.getInstance("RSA").generatePublic(
                        new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
            }
            if (key instanceof EdECPrivateKey ed) {
                byte[] seed = ed.getBytes().orElseThrow(() -> new IllegalArgumentException("Ed25519 key hides its seed"));
                return ed25519PublicKey(new Ed25519PrivateKeyParameters(seed, 0).generatePublicKey().getEncoded());
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot derive the public key: " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("unsupported private key " + key.getAlgorithm());
    }

    /** The TXT record to publish at {@code selector._domainkey.domain} for this public key. */
    public static String keyRecord(PublicKey key) {
        if (key instanceof EdECPublicKey) {
            return "v=DKIM1; k=ed25519; p=" + Base64.getEncoder().encodeToString(rawEd25519(key));
        }
        if (key instanceof java.security.interfaces.RSAPublicKey) {
            return "v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(key.getEncoded());
        }
        throw new IllegalArgumentException("unsupported public key " + key.getAlgorithm());
    }

    static byte[] rawEd25519(PublicKey key) {
        byte[] spki = key.getEncoded();
        return Arrays.copyOfRange(spki, spki.length - 32, spki.length);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] hex(String s) {
        return java.util.HexFormat.of().parseHex(s);
    }
}
