package org.postern.auth.dmarc;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Identifier alignment (RFC 7489 §3.1): which passing SPF and DKIM identifiers align with the From domain under the
 * record's {@code aspf} and {@code adkim} modes. Strict means the same name; relaxed, the same organizational domain.
 *
 * @param aligned every aligned identifier, DKIM signatures first in input order, then SPF
 */
public record Alignment(AlignmentMode dkimMode, AlignmentMode spfMode, List<AlignedIdentifier> aligned) {

    public Alignment {
        aligned = List.copyOf(aligned);
    }

    public boolean dkimAligned() {
        return aligned.stream().anyMatch(a -> a.mechanism() == AlignedIdentifier.Mechanism.DKIM);
    }

    public boolean spfAligned() {
        return aligned.stream().anyMatch(a -> a.mechanism() == AlignedIdentifier.Mechanism.SPF);
    }

    public boolean any() {
        return !aligned.isEmpty();
    }

    static Alignment of(String fromDomain, DmarcInput input, AlignmentMode dkimMode, AlignmentMode spfMode,
                        OrganizationalDomain org) {
        List<AlignedIdentifier> aligned = new ArrayList<>();
        for (DkimIdentifier dkim : input.dkim()) {
            if (dkim.outcome() == AuthOutcome.PASS && aligns(dkim.domain(), fromDomain, dkimMode, org)) {
                aligned.add(new AlignedIdentifier(AlignedIdentifier.Mechanism.DKIM, dkim.domain(), dkimMode,
                        Optional.of(dkim.selector())));
            }
        }
        input.spf().filter(spf -> spf.outcome() == AuthOutcome.PASS)
                .filter(spf -> aligns(spf.domain(), fromDomain, spfMode, org))
                .ifPresent(spf -> aligned.add(new AlignedIdentifier(AlignedIdentifier.Mechanism.SPF, spf.domain(),
                        spfMode, Optional.empty())));
        return new Alignment(dkimMode, spfMode, aligned);
    }

    private static boolean aligns(String identifier, String fromDomain, AlignmentMode mode, OrganizationalDomain org) {
        return switch (mode) {
            case STRICT -> identifier.equals(fromDomain);
            case RELAXED -> org.sameOrganization(identifier, fromDomain);
        };
    }
}
