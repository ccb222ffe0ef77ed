package org.postern.auth.dmarc;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A parsed DMARC policy record (RFC 7489 §6.3), defaults filled in.
 *
 * @param policy              {@code p}; {@link DmarcPolicy#NONE} when implied by a valid {@code rua} (see
 *                            {@code policyImpliedByRua})
 * @param subdomainPolicy     {@code sp} as published; {@link #effectiveSubdomainPolicy()} applies the default
 * @param percent             {@code pct}, 0 to 100 (default 100)
 * @param policyImpliedByRua  true when {@code p} (or {@code sp}) was missing or invalid but a valid {@code rua} was
 *                            present, so the record is read as {@code p=none} (RFC 7489 §6.6.3 step 6.1)
 * @param warnings            syntax errors that were discarded in favour of defaults (§6.3: "Syntax errors in the
 *                            remainder of the record SHOULD be discarded in favor of default values")
 */
public record DmarcRecord(
        DmarcPolicy policy,
        Optional<DmarcPolicy> subdomainPolicy,
        int percent,
        AlignmentMode dkimAlignment,
        AlignmentMode spfAlignment,
        List<ReportUri> aggregateReportUris,
        List<ReportUri> failureReportUris,
        Set<FailureOption> failureOptions,
        List<String> reportFormats,
        long reportIntervalSeconds,
        boolean policyImpliedByRua,
        List<String> warnings) {

    public DmarcRecord {
        aggregateReportUris = List.copyOf(aggregateReportUris);
        failureReportUris = List.copyOf(failureReportUris);
        failureOptions = Set.copyOf(failureOptions);
        reportFormats = List.copyOf(reportFormats);
        warnings = List.copyOf(warnings);
    }

    /** {@code sp}, or {@code p} when absent: "If absent, the policy specified by the p tag MUST be applied". */
    public DmarcPolicy effectiveSubdomainPolicy() {
        return subdomainPolicy.orElse(policy);
    }

    /** Parses one TXT record; see {@link DmarcRecordParser}. */
    public static DmarcRecordParser.Parsed parse(String txt) {
        return DmarcRecordParser.parse(txt);
    }
}
