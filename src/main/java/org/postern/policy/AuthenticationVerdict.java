package org.postern.policy;

import org.postern.auth.CompositeAuth;
import org.postern.auth.SenderAuthentication;
import org.postern.auth.dkim.DkimOutcome;
import org.postern.auth.dmarc.DmarcOutcome;
import org.postern.auth.dmarc.DmarcResult;
import org.postern.auth.dmarc.OrganizationalDomain;
import org.postern.auth.dmarc.PolicyOverride;
import org.postern.auth.spf.SpfOutcome;
import org.postern.tenant.Tenant;
import org.postern.tenant.TenantDocument;

import java.util.List;
import java.util.Optional;

/**
 * What the recipient's tenant makes of the sender's authentication: the domain owner's DMARC policy as the tenant
 * honours it ({@code anti-spoofing.honor-dmarc}), a rescue by an ARC sealer the tenant trusts, and the composite
 * verdict. One computation shared by the DATA stages and the Authentication-Results header, so they never disagree.
 *
 * @param effective DMARC after the tenant's overrides
 * @param rescuedBy the trusted ARC sealer that vouched for a failing message
 */
public record AuthenticationVerdict(DmarcAction action, DmarcResult effective, Optional<String> rescuedBy,
                                    CompositeAuth compauth, String setting) {

    /** What DMARC asks of this message, after the tenant's choice. */
    public enum DmarcAction {
        /** Passed, not applicable, asked nothing, or rescued. */
        NONE,
        REJECT,
        QUARANTINE,
        /** The owner asked for reject or quarantine; the tenant only reports. */
        REPORT_ONLY,
        /** The verdict depends on a DNS answer that did not come: 451 4.4.3, never a permanent refusal. */
        RETRY
    }

    public static final OrganizationalDomain ORGANIZATIONAL_DOMAINS = OrganizationalDomain.bundled();

    public static Optional<AuthenticationVerdict> of(Evidence e) {
        if (e.authentication().isEmpty() || e.transactionTenant().isEmpty()) return Optional.empty();
        return Optional.of(of(e.authentication().get(), e.transactionTenant().get()));
    }

    /**
     * Whether the header From domain is authenticated: compauth=pass, which DMARC passing gives, an aligned SPF or DKIM
     * pass without a DMARC record, or a trusted ARC sealer vouching for a failure.
     */
    public static boolean fromDomainAuthenticated(Evidence e) {
        return of(e).map(v -> v.compauth().result().equals("pass")).orElse(false);
    }

    static AuthenticationVerdict of(SenderAuthentication a, Tenant tenant) {
        var antiSpoofing = tenant.document().antiSpoofing();
        String honor = antiSpoofing.flatMap(TenantDocument.AntiSpoofing::honorDmarc).orElse("reject");
        List<String> sealers = antiSpoofing.map(TenantDocument.AntiSpoofing::trustedArcSealers).orElse(List.of());
        String setting = "tenants." + tenant.id() + ".anti-spoofing.honor-dmarc";
        DmarcResult dmarc = a.dmarc();
        OrganizationalDomain org = ORGANIZATIONAL_DOMAINS;

        if (dmarc.outcome() == DmarcOutcome.TEMPERROR) {
            boolean alignedPass = a.headerFromDomain().filter(d -> a.alignedDkimPass(d, org) || a.alignedSpfPass(d, org)).isPresent();
            DmarcAction action = alignedPass ? DmarcAction.NONE : DmarcAction.RETRY;
            return new AuthenticationVerdict(action, dmarc, Optional.empty(), CompositeAuth.of(a, dmarc, Optional.empty(), org), setting);
        }
        if (!dmarc.rejectRequested() && !dmarc.quarantineRequested()) {
            return new AuthenticationVerdict(DmarcAction.NONE, dmarc, Optional.empty(), CompositeAuth.of(a, dmarc, Optional.empty(), org), setting);
        }
        Optional<String> sealer = a.arc().trustedSealerVouchingFor("dmarc", sealers);
        if (sealer.isPresent()) {
            DmarcResult rescued = dmarc.withOverride(new PolicyOverride(PolicyOverride.Type.TRUSTED_FORWARDER,
                    "ARC chain sealed by trusted " + sealer.get() + " saw dmarc=pass"));
            return new AuthenticationVerdict(DmarcAction.NONE, rescued, sealer, CompositeAuth.of(a, rescued, sealer, org),
                    "tenants." + tenant.id() + ".anti-spoofing.trusted-arc-sealers");
        }
        CompositeAuth compauth = CompositeAuth.of(a, dmarc, Optional.empty(), org);
        if (couldPassWithAnswer(a)) return new AuthenticationVerdict(DmarcAction.RETRY, dmarc, Optional.empty(), compauth, setting);
        DmarcAction action = switch (honor) {
            case "report-only" -> DmarcAction.REPORT_ONLY;
            case "quarantine" -> DmarcAction.QUARANTINE;
            default -> dmarc.rejectRequested() ? DmarcAction.REJECT : DmarcAction.QUARANTINE;
        };
        return new AuthenticationVerdict(action, dmarc, Optional.empty(), compauth, setting);
    }

    /**
     * A failure that an unanswered lookup may have caused: SPF for an aligned MAIL FROM, or an aligned signature's
     * key, did not resolve. Refusing permanently then would punish the sender for our DNS.
     */
    static boolean couldPassWithAnswer(SenderAuthentication a) {
        Optional<String> from = a.headerFromDomain();
        if (from.isEmpty()) return false;
        OrganizationalDomain org = ORGANIZATIONAL_DOMAINS;
        boolean spfAligned = !a.spfHelo() && !a.mailFromDomain().isEmpty() && org.sameOrganization(a.mailFromDomain(), from.get());
        if (spfAligned && a.spf().result() == SpfOutcome.TEMPERROR) return true;
        return a.dkim().stream().anyMatch(r -> r.result() == DkimOutcome.TEMPERROR && org.sameOrganization(r.domain(), from.get()));
    }
}
