package org.postern.auth.dmarc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.postern.auth.dmarc.SpfIdentifier.Scope;

/** Inputs and random sources shared by the DMARC tests. */
final class DmarcTesting {

    private DmarcTesting() {
    }

    /** For pct=100, pct=0 and passing mail, which must not consume randomness. */
    static final RandomGenerator NEVER_DRAWN = () -> {
        throw new AssertionError("pct sampling drew a random number");
    };

    /** A source whose {@code nextInt(100)} is always {@code value}. */
    static RandomGenerator draws(int value) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                throw new AssertionError("unexpected nextLong");
            }

            @Override
            public int nextInt(int bound) {
                assertThat(bound).isEqualTo(100);
                return value;
            }
        };
    }

    static Optional<SpfIdentifier> spfPass(String domain) {
        return Optional.of(new SpfIdentifier(domain, Scope.MFROM, AuthOutcome.PASS));
    }

    static DkimIdentifier dkimPass(String domain) {
        return new DkimIdentifier(domain, "sel", AuthOutcome.PASS);
    }

    static DmarcInput from(String fromDomain, Optional<SpfIdentifier> spf, DkimIdentifier... dkim) {
        return DmarcInput.of(fromDomain, spf, List.of(dkim), Optional.empty());
    }
}
