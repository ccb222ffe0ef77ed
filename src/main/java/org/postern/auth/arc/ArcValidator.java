package org.postern.auth.arc;

import org.postern.dns.DnsResolver;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * ARC chain validation, RFC 8617 §5.2, in its order: collect and check the structure (steps 1 to 3), verify the
 * newest ARC-Message-Signature (step 4), find the oldest passing AMS (step 5), verify every ARC-Seal newest first
 * (step 6). Older message signatures may fail without failing the chain: intermediaries modify messages, and the
 * seals still vouch for what each saw.
 */
public final class ArcValidator {

    private final DnsResolver dns;
    private final Clock clock;

    public ArcValidator(DnsResolver dns, Clock clock) {
        this.dns = dns;
        this.clock = clock;
    }

    /** The message as received: header section and body (the body is needed for the AMS body hash). */
    public ArcResult validate(byte[] message) {
        MessageSections sections = MessageSections.parse(message);
        return switch (ArcChain.collect(sections.headers())) {
            case ArcChain.Collected.Empty e -> ArcResult.none();
            case ArcChain.Collected.Broken b -> new ArcResult(ChainStatus.FAIL, b.highestInstance(), List.of(),
                    OptionalInt.empty(), Optional.empty(), Optional.of(b.problem()), b.why());
            case ArcChain.Collected.Sets s -> verify(s.sets(), sections);
        };
    }

    private ArcResult verify(List<ArcSet> sets, MessageSections sections) {
        SignatureVerifier verifier = new SignatureVerifier(new KeyLookup(dns), clock.instant());
        int n = sets.size();
        List<ArcSealer> sealers = sealers(sets);
        Optional<AuthenticationResults> latestAar =
                Optional.of(AuthenticationResults.parse(sets.getLast().authenticationResultsPayload()));
        if (verifier.messageSignature(sets.getLast(), sections) instanceof SignatureVerifier.Check.Invalid bad) {
            return failed(n, sealers, OptionalInt.empty(), latestAar, bad, ArcProblem.MESSAGE_SIGNATURE_INVALID);
        }
        int oldestPass = 0;
        for (int i = n - 1; i >= 1; i--) {
            if (verifier.messageSignature(sets.get(i - 1), sections) instanceof SignatureVerifier.Check.Invalid) {
                oldestPass = i + 1;
                break;
            }
        }
        for (int i = n; i >= 1; i--) {
            if (verifier.seal(sets, i) instanceof SignatureVerifier.Check.Invalid bad) {
                return failed(n, sealers, OptionalInt.of(oldestPass), latestAar, bad, ArcProblem.SEAL_INVALID);
            }
        }
        return new ArcResult(ChainStatus.PASS, n, sealers, OptionalInt.of(oldestPass), latestAar, Optional.empty(),
                n + " ARC set(s) verified; newest sealed by " + sets.getLast().sealDomain()
                        + (oldestPass > 1 ? "; message signatures before i=" + oldestPass + " no longer verify" : ""));
    }

    private static ArcResult failed(int n, List<ArcSealer> sealers, OptionalInt oldestPass,
                                    Optional<AuthenticationResults> latestAar, SignatureVerifier.Check.Invalid bad,
                                    ArcProblem problem) {
        return new ArcResult(ChainStatus.FAIL, n, sealers, oldestPass, latestAar,
                Optional.of(bad.temporary() ? ArcProblem.KEY_TEMPORARILY_UNAVAILABLE : problem), bad.why());
    }

    private static List<ArcSealer> sealers(List<ArcSet> sets) {
        List<ArcSealer> sealers = new ArrayList<>();
        for (ArcSet s : sets) {
            sealers.add(new ArcSealer(s.instance(), s.sealDomain(), s.sealSelector(), s.chainValidation(),
                    s.messageSignatureTags().get("d").orElse(""), s.authenticationResultsPayload()));
        }
        return sealers;
    }
}
