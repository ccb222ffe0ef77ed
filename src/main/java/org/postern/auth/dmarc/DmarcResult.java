package org.postern.auth.dmarc;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * DMARC for one message: the outcome, the policy found and requested, the disposition left after {@code pct}
 * sampling and any override, the alignment that decided, and a human-readable {@code detail} for the trace.
 *
 * @param organizationalDomain of the From domain, when there was exactly one
 * @param policy               present when discovery found a usable record (outcomes PASS and FAIL)
 * @param disposition          what the domain owner's policy asks for this message: {@code NONE} unless FAIL
 * @param overrides            why {@code disposition} is lower than {@code policy.requested()}
 * @param alignment            present when a record was found
 */
public record DmarcResult(
        DmarcOutcome outcome,
        Optional<String> headerFromDomain,
        Optional<String> organizationalDomain,
        Optional<AppliedPolicy> policy,
        DmarcDisposition disposition,
        List<PolicyOverride> overrides,
        Optional<Alignment> alignment,
        String detail,
        DmarcInput input) {

    public DmarcResult {
        overrides = List.copyOf(overrides);
    }

    /** Failed and, after sampling and overrides, the owner asks for rejection. */
    public boolean rejectRequested() {
        return outcome == DmarcOutcome.FAIL && disposition == DmarcDisposition.REJECT;
    }

    /** Failed and, after sampling and overrides, the owner asks for quarantine. */
    public boolean quarantineRequested() {
        return outcome == DmarcOutcome.FAIL && disposition == DmarcDisposition.QUARANTINE;
    }

    /**
     * The same result with the disposition lowered to none for a local reason, e.g. a trusted ARC sealer vouching
     * for the message ({@link PolicyOverride.Type#TRUSTED_FORWARDER}). The outcome stays FAIL: the override is a
     * separate, visible fact in the trace and the aggregate report.
     */
    public DmarcResult withOverride(PolicyOverride override) {
        List<PolicyOverride> all = new ArrayList<>(overrides);
        all.add(override);
        return new DmarcResult(outcome, headerFromDomain, organizationalDomain, policy, DmarcDisposition.NONE, all,
                alignment, detail + "; overridden: " + override.type().keyword() + " (" + override.comment() + ")",
                input);
    }

    /** The aggregate-report row, when a record was found (no record means nobody to report to). */
    public Optional<DmarcReportRow> reportRow() {
        if (policy.isEmpty() || headerFromDomain.isEmpty() || alignment.isEmpty()) return Optional.empty();
        AppliedPolicy p = policy.get();
        return Optional.of(new DmarcReportRow(input.sourceIp(), headerFromDomain.get(), p.policyDomain(),
                DmarcReportRow.PolicyPublished.of(p.policyDomain(), p.record()), disposition,
                alignment.get().dkimAligned(), alignment.get().spfAligned(), overrides, input.dkim(), input.spf()));
    }
}
