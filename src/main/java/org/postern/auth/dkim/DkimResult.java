package org.postern.auth.dkim;

import java.util.Objects;
import java.util.Optional;

/**
 * The verdict on one DKIM-Signature header.
 *
 * @param result            the outcome
 * @param domain            the signing domain ({@code d=}), lower-case; empty if the signature had none
 * @param selector          {@code s=}; empty if absent
 * @param algorithm         {@code a=} as written (e.g. {@code ed25519-sha256}); empty if absent
 * @param identity          the agent or user identifier ({@code i=}) when the signature states one
 * @param problem           why the result is not a plain pass, for people (empty on a plain pass); not a stable
 *                          code, do not match on it
 * @param testing           the key record says {@code t=y}: RFC 6376 §3.6.1 says such signatures must not make
 *                          the message be treated differently from unsigned mail, so later stages should not give
 *                          it weight even on pass
 * @param bodyLengthLimited the signature has {@code l=}: only the first {@code l} octets of the canonicalized body
 *                          are signed. Anything after them (an appended part, a changed footer) is unsigned, so
 *                          later stages must not trust body content on the strength of this pass (RFC 6376 §8.2)
 * @param headerB           the first 8 characters of {@code b=}, for {@code header.b} (RFC 6008); empty if absent
 */
public record DkimResult(
        DkimOutcome result,
        String domain,
        String selector,
        String algorithm,
        Optional<String> identity,
        String problem,
        boolean testing,
        boolean bodyLengthLimited,
        String headerB) {

    public DkimResult {
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(selector, "selector");
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(problem, "problem");
        Objects.requireNonNull(headerB, "headerB");
    }

    /** True for a pass that later stages may rely on: not testing mode, and the whole body signed. */
    public boolean isStrongPass() {
        return result == DkimOutcome.PASS && !testing && !bodyLengthLimited;
    }
}
