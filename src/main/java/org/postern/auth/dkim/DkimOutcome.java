package org.postern.auth.dkim;

/**
 * The result of checking one DKIM signature, in the vocabulary of RFC 8601 §2.7.1 ({@code dkim=} in
 * Authentication-Results).
 *
 * <p>How RFC 6376's SUCCESS / PERMFAIL / TEMPFAIL map here:</p>
 * <ul>
 *   <li>{@link #PASS}: the body hash and the signature verify (SUCCESS).</li>
 *   <li>{@link #FAIL}: the signature was usable and is wrong: body hash mismatch, signature mismatch, key revoked
 *       (empty {@code p=}), signature expired ({@code x=}), {@code l=} longer than the body.</li>
 *   <li>{@link #POLICY}: verifiable in principle but refused here: rsa-sha1 (RFC 8301), an RSA key under 1024 bits,
 *       a timestamp in the future, a signature needing more key lookups than one message may cause.</li>
 *   <li>{@link #NEUTRAL}: a signature we cannot process: unknown {@code a=} or {@code c=} algorithm.</li>
 *   <li>{@link #TEMPERROR}: the key lookup failed temporarily; a later attempt may succeed. Never a FAIL.</li>
 *   <li>{@link #PERMERROR}: the signature or its key record is unusable: syntax, missing or invalid tags,
 *       {@code h=} without From, {@code i=} outside {@code d=}, no key record, a key unsuitable for the algorithm,
 *       hash or service.</li>
 *   <li>{@link #NONE}: the message has no signature. {@link DkimVerifier} returns an empty list then; this value is
 *       for callers that summarise.</li>
 * </ul>
 */
public enum DkimOutcome {
    PASS("pass"),
    FAIL("fail"),
    NEUTRAL("neutral"),
    POLICY("policy"),
    TEMPERROR("temperror"),
    PERMERROR("permerror"),
    NONE("none");

    private final String keyword;

    DkimOutcome(String keyword) {
        this.keyword = keyword;
    }

    /** The RFC 8601 result keyword, e.g. {@code pass}. */
    public String keyword() {
        return keyword;
    }
}
