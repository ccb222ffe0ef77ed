package org.postern.auth;

import org.postern.auth.arc.ArcResult;
import org.postern.auth.arc.ChainStatus;
import org.postern.auth.dkim.DkimOutcome;
import org.postern.auth.dkim.DkimResult;
import org.postern.auth.dmarc.DmarcOutcome;
import org.postern.auth.dmarc.DmarcResult;
import org.postern.auth.dmarc.OrganizationalDomain;
import org.postern.auth.spf.SpfOutcome;
import org.postern.auth.spf.SpfResult;

import java.util.List;
import java.util.Optional;

/**
 * What sender authentication found for one message: the evidence DATA-phase policy judges, the source of the
 * Authentication-Results header and of the trace's account. Facts only; what a tenant does with them is policy's.
 *
 * @param spf               SPF for MAIL FROM, or for HELO when the reverse-path was null ({@code spfHelo} then)
 * @param spfHelo           whether {@code spf} checked the HELO identity
 * @param mailFromDomain    the MAIL FROM domain ("" for the null sender)
 * @param dkim              every signature's result, in header order
 * @param dmarc             DMARC as the domain owner's policy asks it (no tenant override applied)
 * @param arc               ARC chain validation
 * @param headerFromDomains the domain of each RFC5322.From mailbox, lower-case
 */
public record SenderAuthentication(SpfResult spf, boolean spfHelo, String mailFromDomain, List<DkimResult> dkim,
                                   DmarcResult dmarc, ArcResult arc, List<String> headerFromDomains) {

    public SenderAuthentication {
        dkim = List.copyOf(dkim);
        headerFromDomains = List.copyOf(headerFromDomains);
    }

    /** The one From domain, when the message names exactly one. */
    public Optional<String> headerFromDomain() {
        List<String> distinct = headerFromDomains.stream().distinct().toList();
        return distinct.size() == 1 ? Optional.of(distinct.get(0)) : Optional.empty();
    }

    /** A DKIM pass later stages may rely on, by a domain of {@code domain}'s organization (relaxed alignment). */
    public boolean alignedDkimPass(String domain, OrganizationalDomain org) {
        return dkim.stream().anyMatch(r -> r.isStrongPass() && org.sameOrganization(r.domain(), domain));
    }

    /** An SPF pass for MAIL FROM whose domain belongs to {@code domain}'s organization (relaxed alignment). */
    public boolean alignedSpfPass(String domain, OrganizationalDomain org) {
        return spf.result() == SpfOutcome.PASS && !spfHelo && !mailFromDomain.isEmpty()
                && org.sameOrganization(mailFromDomain, domain);
    }

    /** Some check could not be completed because DNS did not answer: a retry may change the verdict. */
    public boolean dnsTemporarilyFailed() {
        return spf.result() == SpfOutcome.TEMPERROR || dmarc.outcome() == DmarcOutcome.TEMPERROR
                || dkim.stream().anyMatch(r -> r.result() == DkimOutcome.TEMPERROR) || arc.temporaryFailure();
    }

    /** One line for the trace and explain: each result with the record or signature it rests on. */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append("spf=").append(spf.result().keyword()).append(" (").append(spfHelo ? "helo=" : "smtp.mailfrom=")
                .append(spf.domain().isEmpty() ? "-" : spf.domain());
        spf.mechanism().ifPresent(m -> sb.append(", matched ").append(m));
        spf.record().ifPresent(r -> sb.append(", record \"").append(r).append('"'));
        if (!spf.problem().isEmpty()) sb.append(", ").append(spf.problem());
        sb.append(')');
        if (dkim.isEmpty()) sb.append("; dkim=none");
        for (DkimResult r : dkim) {
            sb.append("; dkim=").append(r.result().keyword()).append(" (d=").append(r.domain()).append(" s=")
                    .append(r.selector()).append(" a=").append(r.algorithm());
            if (r.testing()) sb.append(", testing");
            if (r.bodyLengthLimited()) sb.append(", l= partial body");
            if (!r.problem().isEmpty()) sb.append(", ").append(r.problem());
            sb.append(')');
        }
        sb.append("; dmarc=").append(dmarc.outcome().keyword()).append(" (").append(dmarc.detail());
        dmarc.policy().ifPresent(p -> sb.append(", record at ").append(p.policyDomain()));
        sb.append(')');
        if (arc.status() != ChainStatus.NONE) {
            sb.append("; arc=").append(arc.status().keyword()).append(" (").append(arc.detail()).append(')');
        }
        return sb.toString();
    }
}
