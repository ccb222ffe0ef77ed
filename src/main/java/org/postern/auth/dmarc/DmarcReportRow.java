package org.postern.auth.dmarc;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One message's contribution to an aggregate report for {@code policyDomain} (RFC 7489 §7.2, Appendix C
 * {@code RecordType}): the row identity (source IP, header From, disposition, aligned results, override reasons)
 * and the raw SPF and DKIM results. Rows with equal identity are counted together when the report is built.
 */
public record DmarcReportRow(
        Optional<InetAddress> sourceIp,
        String headerFrom,
        String policyDomain,
        PolicyPublished policyPublished,
        DmarcDisposition disposition,
        boolean dkimAligned,
        boolean spfAligned,
        List<PolicyOverride> overrides,
        List<DkimIdentifier> dkim,
        Optional<SpfIdentifier> spf) {

    public DmarcReportRow {
        overrides = List.copyOf(overrides);
        dkim = List.copyOf(dkim);
    }

    /** The published policy as the report's {@code policy_published} element states it. */
    public record PolicyPublished(String domain, AlignmentMode adkim, AlignmentMode aspf, DmarcPolicy p,
                                  DmarcPolicy sp, int pct, Set<FailureOption> fo) {

        public PolicyPublished {
            fo = Set.copyOf(fo);
        }

        static PolicyPublished of(String domain, DmarcRecord r) {
            return new PolicyPublished(domain, r.dkimAlignment(), r.spfAlignment(), r.policy(),
                    r.effectiveSubdomainPolicy(), r.percent(), r.failureOptions());
        }
    }
}
