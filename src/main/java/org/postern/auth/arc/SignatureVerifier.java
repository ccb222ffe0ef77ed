package org.postern.auth.arc;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Verifies ARC-Message-Signatures (RFC 8617 §4.1.2: DKIM-Signature semantics, RFC 6376 §3.7 and §6.1) and ARC-Seals
 * (RFC 8617 §4.1.3, §5.1.1). Algorithms: {@code rsa-sha256}, and {@code ed25519-sha256} from the DKIM algorithm
 * registry (RFC 8463), which sealers such as Stalwart use; {@code rsa-sha1} is refused (RFC 8301 §3.1).
 */
final class SignatureVerifier {

    /** The {@code a=} values accepted, with the key type each needs. */
    private static final java.util.Map<String, KeyLookup.KeyType> ALGORITHMS = java.util.Map.of(
            "rsa-sha256", KeyLookup.KeyType.RSA,
            "ed25519-sha256", KeyLookup.KeyType.ED25519);

    /** The verdict on one signature. */
    sealed interface Check {
        record Valid() implements Check { }

        record Invalid(String why, boolean temporary) implements Check { }
    }

    private static final Pattern DOMAIN =
            Pattern.compile("(?i)[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*");
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,12}");

    private final KeyLookup keys;
    private final Instant now;

    SignatureVerifier(KeyLookup keys, Instant now) {
        this.keys = keys;
        this.now = now;
    }

    Check messageSignature(ArcSet set, MessageSections message) {
        TagList tags = set.messageSignatureTags();
        String where = "ARC-Message-Signature i=" + set.instance();
        Optional<String> missing = firstMissing(tags, "a", "b", "bh", "d", "h", "s");
        if (missing.isPresent()) return invalid(where + " has no " + missing.get() + "=");
        Optional<String> common = commonTagProblem(tags);
        if (common.isPresent()) return invalid(where + ": " + common.get());
        List<String> signed = List.of(KeyLookup.stripFws(tags.get("h").orElseThrow()).split(":", -1));
        if (signed.stream().anyMatch(h -> h.equalsIgnoreCase(ArcChain.SEAL))) {
            return invalid(where + " signs ARC-Seal, which RFC 8617 §4.1.2 forbids");
        }
        Optional<String> timing = timingProblem(tags);
        if (timing.isPresent()) return invalid(where + ": " + timing.get());
        List<Canonicalization[]> candidates = canonicalizations(tags.get("c"));
        if (candidates.isEmpty()) return invalid(where + " has an invalid c=" + tags.get("c").orElse(""));
        Optional<byte[]> bodyHash = base64(tags.get("bh").orElseThrow());
        if (bodyHash.isEmpty()) return invalid(where + " has an invalid bh=");
        Check first = messageSignature(set, message, where, signed, candidates.getFirst(), bodyHash.get());
        for (Canonicalization[] c : candidates.subList(1, candidates.size())) {
            if (first instanceof Check.Valid) break;
            Check alternative = messageSignature(set, message, where, signed, c, bodyHash.get());
            if (alternative instanceof Check.Valid) return alternative;
        }
        return first;
    }

    private Check messageSignature(ArcSet set, MessageSections message, String where, List<String> signed,
                                   Canonicalization[] c, byte[] bodyHash) {
        TagList tags = set.messageSignatureTags();
        Optional<byte[]> computed = bodyHash(message.body(), c[1], tags.get("l"));
        if (computed.isEmpty()) return invalid(where + " has an l= longer than the body or invalid");
        if (!MessageDigest.isEqual(bodyHash, computed.get())) return invalid(where + ": body hash mismatch");
        StringBuilder input = new StringBuilder();
        Set<HeaderField> used = Collections.newSetFromMap(new IdentityHashMap<>());
        List<HeaderField> headers = message.headers();
        for (String name : signed) {
            for (int i = headers.size() - 1; i >= 0; i--) {
                HeaderField h = headers.get(i);
                if (!name.isEmpty() && h.isNamed(name) && h != set.messageSignature() && used.add(h)) {
                    input.append(c[0].header(h));
                    break;
                }
            }
        }
        HeaderField self = set.messageSignature();
        String selfRaw = self.raw().substring(0, self.raw().indexOf(':') + 1) + tags.withEmptyValue("b");
        String selfCanonical = c[0].header(self.name(), selfRaw);
        input.append(selfCanonical, 0, selfCanonical.length() - 2);
        return verify(where, tags, input.toString());
    }

    /** Seal {@code instance} covers every set from 1 to {@code instance} (RFC 8617 §5.1.1). */
    Check seal(List<ArcSet> sets, int instance) {
        ArcSet set = sets.get(instance - 1);
        TagList tags = set.sealTags();
        String where = "ARC-Seal i=" + instance;
        Optional<String> missing = firstMissing(tags, "a", "b", "cv", "d", "s");
        if (missing.isPresent()) return invalid(where + " has no " + missing.get() + "=");
        if (tags.has("h")) return invalid(where + " has an h= tag, which RFC 8617 §4.1.3 forbids");
        Optional<String> common = commonTagProblem(tags);
        if (common.isPresent()) return invalid(where + ": " + common.get());
        StringBuilder input = new StringBuilder();
        for (ArcSet s : sets.subList(0, instance)) {
            input.append(Canonicalization.RELAXED.header(s.authenticationResults()));
            input.append(Canonicalization.RELAXED.header(s.messageSignature()));
            if (s.instance() < instance) input.append(Canonicalization.RELAXED.header(s.seal()));
        }
        HeaderField self = set.seal();
        String selfRaw = self.raw().substring(0, self.raw().indexOf(':') + 1) + tags.withEmptyValue("b");
        String selfCanonical = Canonicalization.RELAXED.header(self.name(), selfRaw);
        input.append(selfCanonical, 0, selfCanonical.length() - 2);
        return verify(where, tags, input.toString());
    }

    private Check verify(String where, TagList tags, String input) {
        Optional<byte[]> signature = base64(tags.get("b").orElseThrow());
        if (signature.isEmpty()) return invalid(where + " has an invalid b=");
        String domain = tags.get("d").orElseThrow();
        String selector = tags.get("s").orElseThrow();
        return switch (keys.key(selector, domain)) {
            case KeyLookup.Result.Failure f -> new Check.Invalid(where + ": " + f.why(), f.temporary());
            case KeyLookup.Result.Key k when k.type() != ALGORITHMS.get(tags.get("a").orElseThrow()) ->
                    invalid(where + ": a=" + tags.get("a").orElseThrow() + " with a " + k.type() + " key");
            case KeyLookup.Result.Key k -> check(where, k, input.getBytes(StandardCharsets.ISO_8859_1),
                    signature.get());
        };
    }

    /** RSASSA-PKCS1-v1_5 with SHA-256; or PureEdDSA over the SHA-256 digest of the input (RFC 8463 §3). */
    private static Check check(String where, KeyLookup.Result.Key key, byte[] input, byte[] signature) {
        try {
            Signature verifier = switch (key.type()) {
                case RSA -> Signature.getInstance("SHA256withRSA");
                case ED25519 -> Signature.getInstance("Ed25519");
            };
            verifier.initVerify(key.key());
            verifier.update(key.type() == KeyLookup.KeyType.RSA ? input : sha256(input));
            return verifier.verify(signature) ? new Check.Valid() : invalid(where + ": signature does not verify");
        } catch (GeneralSecurityException e) {
            return invalid(where + ": signature does not verify (" + e.getMessage() + ")");
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    /** a=, d=, s=, t= as both header fields use them. */
    private static Optional<String> commonTagProblem(TagList tags) {
        String a = tags.get("a").orElseThrow();
        if (!ALGORITHMS.containsKey(a)) return Optional.of("unsupported a=" + a);
        String d = tags.get("d").orElseThrow();
        if (!DOMAIN.matcher(d).matches()) return Optional.of("invalid d=" + d);
        String s = tags.get("s").orElseThrow();
        if (!DOMAIN.matcher(s).matches()) return Optional.of("invalid s=" + s);
        if (tags.get("t").filter(t -> !DIGITS.matcher(t).matches()).isPresent()) {
            return Optional.of("invalid t=" + tags.get("t").get());
        }
        return Optional.empty();
    }

    /** DKIM's x= (§3.5): the signature expires; x= must not precede t=. */
    private Optional<String> timingProblem(TagList tags) {
        Optional<String> x = tags.get("x");
        if (x.isEmpty()) return Optional.empty();
        if (!DIGITS.matcher(x.get()).matches()) return Optional.of("invalid x=" + x.get());
        long expiry = Long.parseLong(x.get());
        if (tags.get("t").map(Long::parseLong).filter(t -> t > expiry).isPresent()) {
            return Optional.of("x= precedes t=");
        }
        return expiry < now.getEpochSecond() ? Optional.of("signature expired at x=" + expiry) : Optional.empty();
    }

    private static Optional<byte[]> bodyHash(String body, Canonicalization canon, Optional<String> length) {
        String canonical = canon.body(body);
        if (length.isPresent()) {
            if (!DIGITS.matcher(length.get()).matches()) return Optional.empty();
            long l = Long.parseLong(length.get());
            if (l > canonical.length()) return Optional.empty();
            canonical = canonical.substring(0, (int) l);
        }
        return Optional.of(sha256(canonical.getBytes(StandardCharsets.ISO_8859_1)));
    }

    /**
     * The canonicalizations to try, {@code {header, body}}; empty when {@code c=} is invalid. A missing body part
     * means simple (RFC 6376 §3.5). A missing {@code c=} means simple/simple by RFC 6376, but the ValiMail suite's
     * signer treats it as relaxed header canonicalization ({@code ams_fields_c_na}); both are tried, simple first.
     * Accepting relaxed header canonicalization too gives a forger nothing: it still needs the private key, and
     * relaxed is what every sealer in practice declares explicitly.
     */
    private static List<Canonicalization[]> canonicalizations(Optional<String> c) {
        if (c.isEmpty()) {
            return List.of(new Canonicalization[] {Canonicalization.SIMPLE, Canonicalization.SIMPLE},
                    new Canonicalization[] {Canonicalization.RELAXED, Canonicalization.SIMPLE});
        }
        String[] parts = c.get().split("/", -1);
        if (parts.length > 2) return List.of();
        Optional<Canonicalization> header = canonicalization(parts[0]);
        Optional<Canonicalization> body = parts.length == 2 ? canonicalization(parts[1])
                : Optional.of(Canonicalization.SIMPLE);
        if (header.isEmpty() || body.isEmpty()) return List.of();
        return List.<Canonicalization[]>of(new Canonicalization[] {header.get(), body.get()});
    }

    private static Optional<Canonicalization> canonicalization(String name) {
        return switch (name) {
            case "simple" -> Optional.of(Canonicalization.SIMPLE);
            case "relaxed" -> Optional.of(Canonicalization.RELAXED);
            default -> Optional.empty();
        };
    }

    private static Optional<byte[]> base64(String value) {
        String compact = KeyLookup.stripFws(value);
        if (compact.isEmpty()) return Optional.empty();
        try {
            return Optional.of(Base64.getDecoder().decode(compact));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> firstMissing(TagList tags, String... names) {
        for (String n : names) {
            if (!tags.has(n)) return Optional.of(n);
        }
        return Optional.empty();
    }

    private static Check invalid(String why) {
        return new Check.Invalid(why, false);
    }
}
