package org.postern.auth.arc;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * ARC validation of one message (RFC 8617 §5.2).
 *
 * @param status                       none (no ARC header fields), pass or fail
 * @param instanceCount                the highest instance seen, N (0 when none)
 * @param sets                         the sets, oldest first, when the structure was sound (empty otherwise)
 * @param oldestPass                   RFC 8617 §5.2 step 5, when the newest AMS verified: 0 when every AMS verified,
 *                                     otherwise the lowest instance of the unbroken run of verifying AMS ending at N
 * @param latestAuthenticationResults  the newest set's ARC-Authentication-Results, when the structure was sound
 * @param problem                      why the chain failed
 * @param detail                       a human-readable account for the trace
 */
public record ArcResult(
        ChainStatus status,
        int instanceCount,
        List<ArcSealer> sets,
        OptionalInt oldestPass,
        Optional<AuthenticationResults> latestAuthenticationResults,
        Optional<ArcProblem> problem,
        String detail) {

    public ArcResult {
        sets = List.copyOf(sets);
    }

    static ArcResult none() {
        return new ArcResult(ChainStatus.NONE, 0, List.of(), OptionalInt.empty(), Optional.empty(),
                Optional.empty(), "no ARC header fields");
    }

    /** The newest set, whose sealer handed the message to us. */
    public Optional<ArcSealer> latest() {
        return sets.isEmpty() ? Optional.empty() : Optional.of(sets.getLast());
    }

    /** The chain failed only because DNS did not answer for a key; a retry may pass. */
    public boolean temporaryFailure() {
        return problem.filter(p -> p == ArcProblem.KEY_TEMPORARILY_UNAVAILABLE).isPresent();
    }

    /**
     * The newest sealer's domain when the chain passes, that sealer is one of {@code trustedSealers} (exact domain,
     * case-insensitive), and its ARC-Authentication-Results record {@code method=pass} — e.g. a trusted mailing list
     * that saw {@code dmarc=pass} before it modified the message.
     */
    public Optional<String> trustedSealerVouchingFor(String method, Collection<String> trustedSealers) {
        if (status != ChainStatus.PASS || latest().isEmpty() || latestAuthenticationResults.isEmpty()) {
            return Optional.empty();
        }
        String sealer = latest().get().sealerDomain().toLowerCase(Locale.ROOT);
        boolean trusted = trustedSealers.stream().anyMatch(t -> t.strip().equalsIgnoreCase(sealer));
        boolean vouches = latestAuthenticationResults.get().resultOf(method).filter("pass"::equals).isPresent();
        return trusted && vouches ? Optional.of(sealer) : Optional.empty();
    }
}
