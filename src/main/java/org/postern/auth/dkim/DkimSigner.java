package org.postern.auth.dkim;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Makes the DKIM-Signature header field for a message (RFC 6376 §5), with rsa-sha256 or ed25519-sha256
 * (RFC 8463); the algorithm follows the key. Prepend the returned field to the message unchanged.
 *
 * <p>Which fields are signed: each name of {@link Builder#signedHeaders} once per instance the message has, and
 * each name of {@link Builder#overSignedHeaders} once more (RFC 6376 §8.15), so that an instance added in transit
 * breaks the signature. The default over-signs From. A message must have exactly one From (§5.4; RFC 5322 §3.6).
 * No {@code l=} is ever written: a partial body signature lets anyone append content (§8.2).</p>
 *
 * <p>Immutable and thread-safe. The body is hashed while it streams.</p>
 */
public final class DkimSigner {

    /** Fields signed when present: those a reader sees or that change how the body is read. */
    public static final List<String> DEFAULT_SIGNED_HEADERS = List.of(
            "From", "Reply-To", "Subject", "Date", "To", "Cc", "Message-ID", "In-Reply-To", "References",
            "MIME-Version", "Content-Type", "Content-Transfer-Encoding", "Sender", "List-Id", "List-Unsubscribe",
            "List-Unsubscribe-Post");
    public static final List<String> DEFAULT_OVER_SIGNED_HEADERS = List.of("From");

    private final String domain;
    private final String selector;
    private final PrivateKey key;
    private final DkimAlgorithm algorithm;
    private final Canonicalization headerCanonicalization;
    private final Canonicalization bodyCanonicalization;
    private final List<String> signedHeaders;
    private final List<String> overSignedHeaders;
    private final Clock clock;
    private final Optional<Duration> expiry;
    private final Optional<String> identity;

    private DkimSigner(Builder b) {
        this.domain = b.domain;
        this.selector = b.selector;
        this.key = b.key;
        this.algorithm = b.algorithm;
        this.headerCanonicalization = b.headerCanonicalization;
        this.bodyCanonicalization = b.bodyCanonicalization;
        this.signedHeaders = b.signedHeaders;
        this.overSignedHeaders = b.overSignedHeaders;
        this.clock = b.clock;
        this.expiry = b.expiry;
        this.identity = b.identity;
    }

    /** A signer for {@code domain} ({@code d=}) with the key published at {@code selector._domainkey.domain}. */
    public static Builder builder(String domain, String selector, PrivateKey key) {
        return new Builder(domain, selector, key);
    }

    /** As {@link #builder(String, String, PrivateKey)}, the key as PEM (PKCS#8, or PKCS#1 for RSA). */
    public static Builder builder(String domain, String selector, String privateKeyPem) {
        return new Builder(domain, selector, DkimKeys.privateKeyFromPem(privateKeyPem));
    }

    /** {@code rsa-sha256} or {@code ed25519-sha256}. */
    public String algorithm() {
        return algorithm.tag();
    }

    /** The DKIM-Signature field, folded, ending in CRLF. */
    public String sign(byte[] message) {
        try {
            return sign(new ByteArrayInputStream(message));
        } catch (IOException e) {
            throw new UncheckedIOException("in-memory stream failed", e);
        }
    }

    /** Reads the whole message; does not close the stream. */
    public String sign(InputStream message) throws IOException {
        BufferedInputStream in = new BufferedInputStream(message, 1 << 16);
        HeaderSection headers = HeaderSection.read(in, HeaderSection.DEFAULT_MAX_BYTES);
        if (headers.truncated()) throw new IllegalArgumentException("header section too large to sign");
        if (headers.named("From").size() != 1) {
            throw new IllegalArgumentException("a message to sign needs exactly one From field, it has "
                    + headers.named("From").size() + " (RFC 6376 §5.4)");
        }
        BodyHasher hasher = new BodyHasher(bodyCanonicalization, algorithm.newDigest(), Long.MAX_VALUE);
        in.transferTo(hasher);
        byte[] bodyHash = hasher.finish();

        List<String> h = headerList(headers);
        String unsigned = unsignedField(h, bodyHash);
        byte[] b = signatureFor(headers, unsigned.getBytes(StandardCharsets.UTF_8), h);
        return unsigned + SignatureFieldLayout.signatureValue(Base64.getEncoder().encodeToString(b)) + "\r\n";
    }

    /**
     * The {@code b=} value for a DKIM-Signature field whose {@code b=} is empty, given its {@code h=} list. This
     * is the signing step alone; tests use it to reproduce published signatures whose field layout differs from
     * ours.
     */
    byte[] signatureFor(HeaderSection headers, byte[] unsignedField, List<String> h) {
        byte[] input = HeaderHashInput.of(headers.select(h), unsignedField, headerCanonicalization);
        try {
            return algorithm.sign(key, input);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing failed: " + e.getMessage(), e);
        }
    }

    private List<String> headerList(HeaderSection headers) {
        List<String> h = new ArrayList<>();
        for (String name : signedHeaders) {
            String lower = name.toLowerCase(Locale.ROOT);
            int present = headers.named(name).size();
            for (int i = 0; i < present; i++) h.add(lower);
            if (overSignedHeaders.stream().anyMatch(name::equalsIgnoreCase)) h.add(lower);
        }
        return h;
    }

    /** The field up to and including {@code b=}, folded by {@link SignatureFieldLayout}. */
    private String unsignedField(List<String> h, byte[] bodyHash) {
        long now = clock.instant().getEpochSecond();
        List<String> tags = new ArrayList<>();
        tags.add("v=1");
        tags.add("a=" + algorithm.tag());
        tags.add("c=" + headerCanonicalization.tag() + "/" + bodyCanonicalization.tag());
        tags.add("d=" + domain);
        tags.add("s=" + selector);
        identity.ifPresent(i -> tags.add("i=" + i));
        tags.add("t=" + now);
        expiry.ifPresent(e -> tags.add("x=" + (now + Math.max(1, e.toSeconds()))));
        tags.add("h=" + String.join(":", h));
        tags.add("bh=" + Base64.getEncoder().encodeToString(bodyHash));
        return SignatureFieldLayout.tags(tags) + "\r\n\tb=";
    }

    /** Settings for a {@link DkimSigner}; defaults are relaxed/relaxed, {@link #DEFAULT_SIGNED_HEADERS}, UTC clock. */
    public static final class Builder {
        private final String domain;
        private final String selector;
        private final PrivateKey key;
        private final DkimAlgorithm algorithm;
        private Canonicalization headerCanonicalization = Canonicalization.RELAXED;
        private Canonicalization bodyCanonicalization = Canonicalization.RELAXED;
        private List<String> signedHeaders = DEFAULT_SIGNED_HEADERS;
        private List<String> overSignedHeaders = DEFAULT_OVER_SIGNED_HEADERS;
        private Clock clock = Clock.systemUTC();
        private Optional<Duration> expiry = Optional.empty();
        private Optional<String> identity = Optional.empty();

        private Builder(String domain, String selector, PrivateKey key) {
            try {
                this.domain = DkimNames.domain("d", Objects.requireNonNull(domain, "domain"));
                this.selector = DkimNames.domain("s", Objects.requireNonNull(selector, "selector"));
            } catch (DkimProblem e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
            this.key = Objects.requireNonNull(key, "key");
            this.algorithm = algorithmFor(key);
        }

        public Builder canonicalization(Canonicalization header, Canonicalization body) {
            this.headerCanonicalization = Objects.requireNonNull(header);
            this.bodyCanonicalization = Objects.requireNonNull(body);
            return this;
        }

        /** Names to sign when present, in h= order; must include From. */
        public Builder signedHeaders(List<String> names) {
            if (names.stream().noneMatch("From"::equalsIgnoreCase)) {
                throw new IllegalArgumentException("the signed headers must include From (RFC 6376 §5.4)");
            }
            this.signedHeaders = List.copyOf(names);
            return this;
        }

        /** Names signed once more than they occur, so none can be added later (RFC 6376 §8.15). */
        public Builder overSignedHeaders(List<String> names) {
            this.overSignedHeaders = List.copyOf(names);
            return this;
        }

        /** The clock for {@code t=} (and {@code x=}). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /** Adds {@code x=} this long after {@code t=}. */
        public Builder expiry(Duration validity) {
            if (validity.isNegative() || validity.isZero()) throw new IllegalArgumentException("expiry must be positive");
            this.expiry = Optional.of(validity);
            return this;
        }

        /** Adds {@code i=}; it must be within the domain. */
        public Builder identity(String agentOrUser) {
            int at = agentOrUser.lastIndexOf('@');
            String iDomain = at < 0 ? "" : agentOrUser.substring(at + 1).toLowerCase(Locale.ROOT);
            boolean plain = agentOrUser.chars().allMatch(c -> c > ' ' && c < 127 && c != ';' && c != '=');
            if (at < 0 || !plain || !DkimNames.isWithin(iDomain, domain)) {
                throw new IllegalArgumentException("i= must be [local]@" + domain + " or a subdomain, in plain ASCII");
            }
            this.identity = Optional.of(agentOrUser);
            return this;
        }

        public DkimSigner build() {
            return new DkimSigner(this);
        }

        private static DkimAlgorithm algorithmFor(PrivateKey key) {
            if (key instanceof RSAPrivateKey rsa) {
                if (rsa.getModulus().bitLength() < DkimVerifier.MIN_RSA_BITS) {
                    throw new IllegalArgumentException("RSA keys under " + DkimVerifier.MIN_RSA_BITS
                            + " bits are refused by verifiers (RFC 8301)");
                }
                return DkimAlgorithm.RSA_SHA256;
            }
            if (key instanceof EdECPrivateKey ed && ed.getParams().getName().equalsIgnoreCase("Ed25519")) {
                return DkimAlgorithm.ED25519_SHA256;
            }
            throw new IllegalArgumentException("unsupported key " + key.getAlgorithm() + "; use RSA or Ed25519");
        }
    }
}
