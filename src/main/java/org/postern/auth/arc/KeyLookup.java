package org.postern.auth.arc;

import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.postern.dns.DnsResolver;
import org.postern.dns.DnsResolver.Answer;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.RSAKey;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Public keys for ARC signatures: the DKIM key record at {@code <s>._domainkey.<d>} (RFC 6376 §3.6.1, §3.6.2.2):
 * RSA of at least 1024 bits (RFC 8301 §3.2), or Ed25519 (RFC 8463 §4). One instance serves one validation, so a key
 * shared by the seal and the message signature is fetched once.
 */
final class KeyLookup {

    static final int MINIMUM_RSA_BITS = 1024;

    /** The {@code k=} of a key record. */
    enum KeyType { RSA, ED25519 }

    /** DER SubjectPublicKeyInfo prefix of an Ed25519 key (RFC 8410): the record holds only the 32 key bytes. */
    private static final byte[] ED25519_SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    /** The key, or why there is none; {@code temporary} marks a DNS failure rather than a bad or missing record. */
    sealed interface Result {
        record Key(PublicKey key, KeyType type) implements Result { }

        record Failure(String why, boolean temporary) implements Result { }
    }

    private final DnsResolver dns;
    private final Map<String, Result> cache = new HashMap<>();

    KeyLookup(DnsResolver dns) {
        this.dns = dns;
    }

    Result key(String selector, String domain) {
        String name = selector + "._domainkey." + domain;
        return cache.computeIfAbsent(name.toLowerCase(java.util.Locale.ROOT), n -> fetch(name));
    }

    private Result fetch(String name) {
        return switch (dns.txt(name)) {
            case Answer.TempFail<String> t -> new Result.Failure("DNS lookup of " + name + " failed: " + t.why(), true);
            case Answer.NotFound<String> n -> new Result.Failure("no key record at " + name, false);
            case Answer.Found<String> found -> firstUsable(name, found.values());
        };
    }

    private static Result firstUsable(String name, List<String> records) {
        Result last = new Result.Failure("no key record at " + name, false);
        for (String txt : records) {
            last = parse(name, txt);
            if (last instanceof Result.Key) return last;
        }
        return last;
    }

    static Result parse(String name, String txt) {
        Optional<TagList> parsed = TagList.parse(txt);
        if (parsed.isEmpty()) return new Result.Failure("malformed key record at " + name, false);
        TagList tags = parsed.get();
        if (tags.get("v").filter(v -> !v.equals("DKIM1")).isPresent()) {
            return new Result.Failure("key record at " + name + " has v other than DKIM1", false);
        }
        String k = tags.get("k").orElse("rsa");
        if (!k.equals("rsa") && !k.equals("ed25519")) {
            return new Result.Failure("key record at " + name + " has unknown k=" + k, false);
        }
        if (tags.get("h").filter(h -> !List.of(stripFws(h).split(":")).contains("sha256")).isPresent()) {
            return new Result.Failure("key record at " + name + " does not allow sha256", false);
        }
        if (tags.get("s").filter(s -> !List.of(stripFws(s).split(":")).stream()
                .anyMatch(x -> x.equals("*") || x.equals("email"))).isPresent()) {
            return new Result.Failure("key record at " + name + " is not for email", false);
        }
        String p = stripFws(tags.get("p").orElse(""));
        if (p.isEmpty()) return new Result.Failure("key at " + name + " is revoked or missing (empty p=)", false);
        try {
            if (k.equals("ed25519")) return ed25519(name, Base64.getDecoder().decode(p));
            PublicKey key = rsaKey(Base64.getDecoder().decode(p));
            int bits = ((RSAKey) key).getModulus().bitLength();
            if (bits < MINIMUM_RSA_BITS) {
                return new Result.Failure("key at " + name + " has " + bits + " bits, fewer than "
                        + MINIMUM_RSA_BITS, false);
            }
            return new Result.Key(key, KeyType.RSA);
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return new Result.Failure("key at " + name + " is not a valid " + k + " public key", false);
        }
    }

    private static Result ed25519(String name, byte[] raw) throws GeneralSecurityException {
        if (raw.length != 32) return new Result.Failure("Ed25519 key at " + name + " is not 32 bytes", false);
        byte[] spki = new byte[ED25519_SPKI_PREFIX.length + raw.length];
        System.arraycopy(ED25519_SPKI_PREFIX, 0, spki, 0, ED25519_SPKI_PREFIX.length);
        System.arraycopy(raw, 0, spki, ED25519_SPKI_PREFIX.length, raw.length);
        return new Result.Key(KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki)),
                KeyType.ED25519);
    }

    /** SubjectPublicKeyInfo as RFC 6376 specifies; a bare PKCS#1 RSAPublicKey as some publishers use. */
    private static PublicKey rsaKey(byte[] der) throws GeneralSecurityException {
        KeyFactory rsa = KeyFactory.getInstance("RSA");
        try {
            return rsa.generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            try {
                RSAPublicKey pkcs1 = RSAPublicKey.getInstance(der);
                return rsa.generatePublic(new RSAPublicKeySpec(pkcs1.getModulus(), pkcs1.getPublicExponent()));
            } catch (RuntimeException notPkcs1) {
                throw e;
            }
        }
    }

    static String stripFws(String s) {
        return s.replaceAll("[ \t\r\n]", "");
    }
}
