package org.postern.auth.dkim;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.util.Optional;

/**
 * The signing algorithms ({@code a=}) we know. rsa-sha1 is known only so that it can be refused by name
 * (RFC 8301 §3.1: verifiers MUST NOT consider rsa-sha1 signatures valid).
 */
enum DkimAlgorithm {
    /** RFC 6376 §3.3.1: RSASSA-PKCS1-v1_5 over the header hash input, with SHA-256. */
    RSA_SHA256("rsa-sha256", "rsa", "sha256", "SHA-256"),
    /**
     * RFC 8463 §3: PureEdDSA (Ed25519, RFC 8032) over the SHA-256 <em>hash</em> of the header hash input, not over
     * the input itself.
     */
    ED25519_SHA256("ed25519-sha256", "ed25519", "sha256", "SHA-256"),
    RSA_SHA1("rsa-sha1", "rsa", "sha1", "SHA-1");

    private final String tag;
    private final String keyType;
    private final String hashName;
    private final String jcaDigest;

    DkimAlgorithm(String tag, String keyType, String hashName, String jcaDigest) {
        this.tag = tag;
        this.keyType = keyType;
        this.hashName = hashName;
        this.jcaDigest = jcaDigest;
    }

    static Optional<DkimAlgorithm> fromTag(String tag) {
        for (DkimAlgorithm a : values()) {
            if (a.tag.equalsIgnoreCase(tag)) return Optional.of(a);
        }
        return Optional.empty();
    }

    /** As written in {@code a=}. */
    String tag() {
        return tag;
    }

    /** The key record's {@code k=} this algorithm needs. */
    String keyType() {
        return keyType;
    }

    /** The name in a key record's {@code h=} list. */
    String hashName() {
        return hashName;
    }

    MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance(jcaDigest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK lacks " + jcaDigest, e);
        }
    }

    byte[] sign(PrivateKey key, byte[] headerHashInput) throws GeneralSecurityException {
        if (this == ED25519_SHA256) return Ed25519.sign(key, newDigest().digest(headerHashInput));
        Signature s = signature();
        s.initSign(key);
        s.update(headerHashInput);
        return s.sign();
    }

    boolean verify(PublicKey key, byte[] headerHashInput, byte[] signature) throws InvalidKeyException {
        if (this == ED25519_SHA256) return Ed25519.verify(key, newDigest().digest(headerHashInput), signature);
        Signature s = signature();
        s.initVerify(key);
        try {
            s.update(headerHashInput);
            return s.verify(signature);
        } catch (SignatureException e) {
            return false; // malformed signature bytes: a mismatch, not an error of ours
        }
    }

    private Signature signature() {
        try {
            return Signature.getInstance(switch (this) {
                case RSA_SHA256 -> "SHA256withRSA";
                case RSA_SHA1 -> "SHA1withRSA";
                case ED25519_SHA256 -> throw new IllegalStateException("Ed25519 goes through BouncyCastle");
            });
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK lacks the signature algorithm for " + tag, e);
        }
    }

    /**
     * Ed25519 with BouncyCastle's implementation rather than the JDK's: the same RFC 8032 algorithm (signatures
     * are identical, see the RFC 8463 reproduction test), about ten times faster to verify, which matters at
     * one verification per signed message. Keys stay JDK key objects in the API.
     */
    private static final class Ed25519 {

        static byte[] sign(PrivateKey key, byte[] message) throws InvalidKeyException {
            if (!(key instanceof java.security.interfaces.EdECPrivateKey ed)) throw new InvalidKeyException("not Ed25519");
            byte[] seed = ed.getBytes().orElseThrow(() -> new InvalidKeyException("Ed25519 key hides its seed"));
            Ed25519Signer signer = new Ed25519Signer();
            signer.init(true, new Ed25519PrivateKeyParameters(seed, 0));
            signer.update(message, 0, message.length);
            return signer.generateSignature();
        }

        static boolean verify(PublicKey key, byte[] message, byte[] signature) throws InvalidKeyException {
            if (!(key instanceof java.security.interfaces.EdECPublicKey)) throw new InvalidKeyException("not Ed25519");
            if (signature.length != Ed25519PrivateKeyParameters.SIGNATURE_SIZE) return false;
            Ed25519Signer verifier = new Ed25519Signer();
            verifier.init(false, new Ed25519PublicKeyParameters(DkimKeys.rawEd25519(key), 0));
            verifier.update(message, 0, message.length);
            return verifier.verifySignature(signature);
        }
    }
}
