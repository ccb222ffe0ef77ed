package org.postern.auth.dkim;

import org.postern.dns.DnsResolver;
import org.postern.dns.DnsResolver.Answer;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Verifies every DKIM-Signature of a message (RFC 6376 §6; ed25519-sha256 per RFC 8463; RFC 8301 crypto
 * minimums) and returns one {@link DkimResult} per signature, in header order (top first). A message without
 * signatures gives an empty list: report {@code dkim=none}.
 *
 * <p>Each signature runs the §6.1 steps in order, the first problem deciding its result: tags (§6.1.1) and time
 * ({@code x=} passed → fail; {@code t=} more than {@link #CLOCK_SKEW_SECONDS} ahead → policy), key lookup and
 * key checks (§6.1.2), body hash (§6.1.3), then the signature. Keys are fetched once per verify call for each
 * selector and domain. The body is read once, in blocks, and fed to one hasher per distinct
 * (canonicalization, hash, {@code l=}); memory is the header section plus a few blocks, whatever the body size.</p>
 *
 * <p>Entry points: {@link #verify(byte[])}, {@link #verify(Path)}, {@link #verify(InputStream)} for a whole
 * message, and {@link #verify(HeaderSection, InputStream)} when the header section is already split off.
 * Thread-safe: no state between calls.</p>
 */
public final class DkimVerifier {

    /** How far ahead of our clock a signature's {@code t=} may be before it is refused (clock drift). */
    public static final long CLOCK_SKEW_SECONDS = 300;
    /**
     * Distinct keys fetched per message (RFC 6376 §8.4: bound the work a message can cause). A signature needing one
     * more is {@code policy}. Signatures refused on their tags cost nothing and do not count, so junk signatures
     * added above a real one cannot crowd it out; a known compromise is that ten well-formed ones can.
     */
    public static final int MAX_KEY_LOOKUPS = 10;
    /** RFC 8301 §3.2: RSA keys under 1024 bits MUST NOT be accepted. */
    public static final int MIN_RSA_BITS = 1024;
    /** Larger keys are refused to bound the cost of one verification. */
    public static final int MAX_RSA_BITS = 8192;

    private static final String HEADER = "DKIM-Signature";

    private final DnsResolver dns;
    private final Clock clock;

    private static final int MAX_PARSED_KEYS = 10_000;
    /** Key records as published (TXT text) to their parsed form; a changed record is a new entry. */
    private final java.util.concurrent.ConcurrentHashMap<String, DkimKeyRecord> parsedKeys = new java.util.concurrent.ConcurrentHashMap<>();

    public DkimVerifier(DnsResolver dns, Clock clock) {
        this.dns = Objects.requireNonNull(dns, "dns");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public List<DkimResult> verify(byte[] message) {
        try {
            return verify(new ByteArrayInputStream(message));
        } catch (IOException e) {
            throw new UncheckedIOException("in-memory stream failed", e);
        }
    }

    public List<DkimResult> verify(Path message) throws IOException {
        try (InputStream in = Files.newInputStream(message)) {
            // A buffer no larger than the file: most messages are a few KB.
            return verify(in, (int) Math.max(512, Math.min(1 << 16, Files.size(message) + 1)));
        }
    }

    /** Reads the whole message from {@code message}; does not close it. */
    public List<DkimResult> verify(InputStream message) throws IOException {
        return verify(message, 1 << 16);
    }

    private List<DkimResult> verify(InputStream message, int bufferSize) throws IOException {
        BufferedInputStream in = new BufferedInputStream(message, bufferSize);
        HeaderSection headers = HeaderSection.read(in, HeaderSection.DEFAULT_MAX_BYTES);
        if (headers.truncated()) {
            return List.of(new DkimResult(DkimOutcome.PERMERROR, "", "", "", Optional.empty(),
                    "header section longer than " + HeaderSection.DEFAULT_MAX_BYTES + " octets; not evaluated",
                    false, false, ""));
        }
        return verify(headers, in);
    }

    /** Verifies with a header section already read; {@code body} holds the octets after the empty line. */
    public List<DkimResult> verify(HeaderSection headers, InputStream body) throws IOException {
        List<HeaderField> fields = headers.named(HEADER);
        if (fields.isEmpty()) return List.of();

        Map<String, Answer<String>> keyAnswers = new HashMap<>();
        Map<BodyHasherKey, BodyHasher> hashers = new HashMap<>();
        List<Check> checks = new ArrayList<>(fields.size());
        for (HeaderField field : fields) checks.add(prepare(field, headers, keyAnswers, hashers));
        if (!hashers.isEmpty()) hashBody(body, hashers.values());
        return checks.stream().map(Check::finish).toList();
    }

    /** §6.1.1 and §6.1.2, in header order: everything that can be decided before the body is read. */
    private Check prepare(HeaderField field, HeaderSection headers, Map<String, Answer<String>> keyAnswers,
                          Map<BodyHasherKey, BodyHasher> hashers) {
        Labels labels = Labels.of(field);
        boolean testing = false;
        try {
            DkimSignature sig = DkimSignature.parse(field, TagList.parse(field.value()));
            checkTime(sig);
            if (keyAnswers.size() >= MAX_KEY_LOOKUPS && !keyAnswers.containsKey(keyName(sig))) {
                throw DkimProblem.policy("more than " + MAX_KEY_LOOKUPS + " keys to look up; not evaluated");
            }
            DkimKeyRecord key = fetchKey(sig, keyAnswers);
            testing = key.testing();
            PublicKey publicKey = usableKey(sig, key);
            long limit = sig.bodyLength().orElse(Long.MAX_VALUE);
            BodyHasher hasher = hashers.computeIfAbsent(
                    new BodyHasherKey(sig.bodyCanonicalization(), sig.algorithm().hashName(), limit),
                    k -> new BodyHasher(k.canonicalization(), sig.algorithm().newDigest(), k.limit()));
            byte[] input = HeaderHashInput.of(headers.select(sig.signedHeaders()), field.rawUnsafe(),
                    sig.headerCanonicalization());
            return new Check(labels, testing, Optional.empty(), Optional.of(new Ready(sig, publicKey, hasher, input)));
        } catch (DkimProblem p) {
            return Check.done(labels, p, testing);
        }
    }

    private void checkTime(DkimSignature sig) throws DkimProblem {
        long now = clock.instant().getEpochSecond();
        if (sig.expiry().isPresent() && now > sig.expiry().getAsLong()) {
            throw DkimProblem.fail("signature expired (x=" + sig.expiry().getAsLong() + ")");
        }
        if (sig.timestamp().isPresent() && sig.timestamp().getAsLong() > now + CLOCK_SKEW_SECONDS) {
            throw DkimProblem.policy("signature timestamp t=" + sig.timestamp().getAsLong() + " is in the future");
        }
    }

    /** §6.1.2 steps 1 to 3: query {@code s._domainkey.d} for TXT; a temporary failure is TEMPERROR, never FAIL. */
    private DkimKeyRecord fetchKey(DkimSignature sig, Map<String, Answer<String>> keyAnswers) throws DkimProblem {
        String name = keyName(sig);
        Answer<String> answer = keyAnswers.computeIfAbsent(name, this::lookup);
        return switch (answer) {
            case Answer.TempFail<String> t -> throw DkimProblem.of(DkimOutcome.TEMPERROR,
                    "key lookup for " + name + " failed temporarily: " + t.why());
            case Answer.NotFound<String> n -> throw DkimProblem.permerror("no key record at " + name);
            case Answer.Found<String> found -> firstKeyRecord(name, found.values());
        };
    }

    private static String keyName(DkimSignature sig) {
        return sig.selector() + "._domainkey." + sig.domain();
    }

    /** A resolver that throws has not answered: that is temporary, and must never look like a failed signature. */
    private Answer<String> lookup(String name) {
        try {
            return dns.txt(name);
        } catch (RuntimeException e) {
            return new Answer.TempFail<>("resolver error: " + e);
        }
    }

    /**
     * RFC 6376 §3.6.2.2 leaves several records at one name undefined; we take the first that parses as a key
     * record, so an unrelated TXT record beside the key does not break verification.
     */
    private DkimKeyRecord firstKeyRecord(String name, List<String> records) throws DkimProblem {
        DkimProblem first = null;
        for (String record : records) {
            DkimKeyRecord known = parsedKeys.get(record);
            if (known != null) return known;
            try {
                DkimKeyRecord parsed = DkimKeyRecord.parse(record);
                // Decoding the key (base64, DER, KeyFactory) costs more than the rest of a verification around
                // the signature check; the same few keys sign most mail. Bounded: cleared when full.
                if (parsedKeys.size() >= MAX_PARSED_KEYS) parsedKeys.clear();
                parsedKeys.put(record, parsed);
                return parsed;
            } catch (DkimProblem p) {
                if (first == null) first = p;
            }
        }
        throw first != null ? first : DkimProblem.permerror("no key record at " + name);
    }

    /** §6.1.2 steps 4 to 7 and RFC 8301: is this key acceptable for this signature? */
    private static PublicKey usableKey(DkimSignature sig, DkimKeyRecord key) throws DkimProblem {
        key.checkUsableFor(sig.algorithm());
        if (key.strict()) {
            String iDomain = sig.identity().substring(sig.identity().lastIndexOf('@') + 1);
            if (!iDomain.equals(sig.domain())) {
                throw DkimProblem.permerror("key record has t=s but i= domain " + iDomain + " is not d=" + sig.domain());
            }
        }
        PublicKey publicKey = key.key().orElseThrow(() -> DkimProblem.fail("key revoked (empty p=)"));
        if (publicKey instanceof RSAPublicKey rsa) {
            int bits = rsa.getModulus().bitLength();
            if (bits < MIN_RSA_BITS) {
                throw DkimProblem.policy("RSA key of " + bits + " bits, under " + MIN_RSA_BITS + " (RFC 8301 §3.2)");
            }
            if (bits > MAX_RSA_BITS) {
                throw DkimProblem.policy("RSA key of " + bits + " bits, over " + MAX_RSA_BITS);
            }
        }
        return publicKey;
    }

    private static void hashBody(InputStream body, Iterable<BodyHasher> hashers) throws IOException {
        byte[] block = new byte[1 << 16];
        int n;
        while ((n = body.read(block)) != -1) {
            for (BodyHasher h : hashers) h.write(block, 0, n);
        }
    }

    /** One distinct way of hashing the body; signatures that agree on it share one pass. */
    private record BodyHasherKey(Canonicalization canonicalization, String hash, long limit) { }

    /** What a signature needs once the body has been read. */
    private record Ready(DkimSignature sig, PublicKey key, BodyHasher hasher, byte[] headerHashInput) { }

    /** What is known of a signature's labels even when its tags are broken. */
    private record Labels(String domain, String selector, String algorithm, Optional<String> identity,
                          String headerB, boolean bodyLengthLimited) {

        static Labels of(HeaderField field) {
            TagList tags;
            try {
                tags = TagList.parse(field.value());
            } catch (DkimProblem e) {
                return new Labels("", "", "", Optional.empty(), "", false);
            }
            String b = TagList.base64(tags.get("b").orElse(""));
            return new Labels(
                    tags.get("d").map(TagList::base64).orElse("").toLowerCase(java.util.Locale.ROOT),
                    tags.get("s").map(TagList::base64).orElse(""),
                    tags.get("a").orElse(""),
                    tags.get("i").map(Labels::identity),
                    b.substring(0, Math.min(8, b.length())),
                    tags.get("l").isPresent());
        }

        private static String identity(String i) {
            String clean = TagList.base64(i);
            try {
                return DkimSignature.decodeQuotedPrintable(clean);
            } catch (DkimProblem e) {
                return clean;
            }
        }
    }

    /** A signature's check: finished early with a problem, or ready for the body hash and the signature. */
    private record Check(Labels labels, boolean testing, Optional<DkimProblem> problem, Optional<Ready> ready) {

        static Check done(Labels labels, DkimProblem problem, boolean testing) {
            return new Check(labels, testing, Optional.of(problem), Optional.empty());
        }

        /** §6.1.3 and the signature itself. */
        DkimResult finish() {
            if (problem.isPresent()) return result(problem.get().outcome(), problem.get().getMessage());
            Ready r = ready.orElseThrow();
            DkimSignature sig = r.sig();
            byte[] bodyHash = r.hasher().finish();
            long canonicalLength = r.hasher().canonicalLength();
            if (sig.bodyLength().isPresent() && sig.bodyLength().getAsLong() > canonicalLength) {
                return result(DkimOutcome.FAIL, "l=" + sig.bodyLength().getAsLong()
                        + " is longer than the canonicalized body (" + canonicalLength + " octets)");
            }
            if (!MessageDigest.isEqual(bodyHash, sig.bodyHash())) {
                return result(DkimOutcome.FAIL, "body hash did not verify");
            }
            boolean valid;
            try {
                valid = sig.algorithm().verify(r.key(), r.headerHashInput(), sig.signature());
            } catch (InvalidKeyException e) {
                return result(DkimOutcome.PERMERROR, "key unusable: " + e.getMessage());
            }
            if (!valid) return result(DkimOutcome.FAIL, "signature did not verify");
            String note = "";
            if (sig.bodyLength().isPresent() && sig.bodyLength().getAsLong() < canonicalLength) {
                note = "only the first " + sig.bodyLength().getAsLong() + " of " + canonicalLength
                        + " canonicalized body octets are signed (l=)";
            }
            return result(DkimOutcome.PASS, note);
        }

        private DkimResult result(DkimOutcome outcome, String problem) {
            return new DkimResult(outcome, labels.domain(), labels.selector(), labels.algorithm(),
                    labels.identity(), problem, testing, labels.bodyLengthLimited(), labels.headerB());
        }
    }
}
