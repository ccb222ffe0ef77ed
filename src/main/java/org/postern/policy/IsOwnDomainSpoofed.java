package org.postern.policy;

import org.postern.auth.SenderAuthentication;
import org.postern.auth.dkim.DkimOutcome;
import org.postern.auth.dmarc.OrganizationalDomain;
import org.postern.auth.spf.SpfOutcome;
import org.postern.tenant.Domains;
import org.postern.tenant.Tenant;
import org.postern.tenant.TenantDocument;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * DATA: mail claiming to come from one of the tenant's own domains (MAIL FROM or header From) must prove it: an
 * authenticated session, the tenant's on-premises connector, SPF pass for an aligned MAIL FROM, or an aligned DKIM
 * signature. Anything else is the
 * classic CEO-fraud spoof. The tenant may allow known (domain, infrastructure) pairs, as spoof intelligence does.
 */
public final class IsOwnDomainSpoofed implements Stage {

    @Override
    public Decision decide(Evidence e) {
        if (e.authentication().isEmpty() || e.transactionTenant().isEmpty() || e.authUser().isPresent()) return Decision.Continue.silent();
        // The tenant's own servers (its on-premises connector) legitimately send as its domains.
        if (e.connector().filter(c -> c.onPremises() && c.tenant().equals(e.transactionTenant().get().id())).isPresent()) {
            return Decision.Continue.silent();
        }
        SenderAuthentication a = e.authentication().get();
        Tenant tenant = e.transactionTenant().get();
        OrganizationalDomain org = AuthenticationVerdict.ORGANIZATIONAL_DOMAINS;
        for (String domain : claimedOwnDomains(a, tenant)) {
            if (a.alignedSpfPass(domain, org) || a.alignedDkimPass(domain, org)) continue;
            Optional<TenantDocument.AllowedSpoofedSender> allowed = allowedPair(e, tenant, domain);
            if (allowed.isPresent()) {
                return Decision.Continue.because(new Reason(ReasonCode.SPOOF_ALLOWED,
                        domain + " from " + e.clientIp().getHostAddress() + " allowed as infrastructure " + allowed.get().infrastructure(),
                        "tenants." + tenant.id() + ".anti-spoofing.allowed-spoofed-senders"));
            }
            String evidence = domain + " (one of the tenant's domains) from " + e.clientIp().getHostAddress()
                    + " without authentication: " + a.summary();
            if (mightAuthenticateWithAnswer(a, domain, org)) {
                return Decision.TempFail.because(Reason.of(ReasonCode.DNS_TEMPORARY_FAILURE, evidence));
            }
            return Decision.Reject.because(new Reason(ReasonCode.OWN_DOMAIN_SPOOFED, evidence, "tenants." + tenant.id() + ".domains"));
        }
        return Decision.Continue.silent();
    }

    /** The tenant's domains (or their subdomains) the message claims as its sender, MAIL FROM first. */
    private static Set<String> claimedOwnDomains(SenderAuthentication a, Tenant tenant) {
        List<String> claimed = new ArrayList<>();
        claimed.add(a.mailFromDomain());
        claimed.addAll(a.headerFromDomains());
        Set<String> own = new LinkedHashSet<>();
        for (String d : claimed) {
            if (d.isEmpty()) continue;
            String normalized;
            try {
                normalized = Domains.normalize(d);
            } catch (IllegalArgumentException ex) {
                continue;
            }
            for (String mine : tenant.domains()) {
                if (normalized.equals(mine) || normalized.endsWith("." + mine)) own.add(normalized);
            }
        }
        return own;
    }

    private static boolean mightAuthenticateWithAnswer(SenderAuthentication a, String domain, OrganizationalDomain org) {
        boolean spfMightPass = a.spf().result() == SpfOutcome.TEMPERROR && !a.mailFromDomain().isEmpty()
                && org.sameOrganization(a.mailFromDomain(), domain);
        return spfMightPass || a.dkim().stream().anyMatch(r -> r.result() == DkimOutcome.TEMPERROR && org.sameOrganization(r.domain(), domain));
    }

    private static Optional<TenantDocument.AllowedSpoofedSender> allowedPair(Evidence e, Tenant tenant, String domain) {
        var pairs = tenant.document().antiSpoofing().map(TenantDocument.AntiSpoofing::allowedSpoofedSenders).orElse(List.of());
        for (var pair : pairs) {
            if (!Domains.normalize(pair.domain()).equals(domain) && !domain.endsWith("." + Domains.normalize(pair.domain()))) continue;
            String infra = pair.infrastructure().strip().toLowerCase(Locale.ROOT);
            boolean matches = pair.infrastructureIsNetwork()
                    ? Cidr.parse(infra).contains(e.clientIp())
                    : e.clientName().map(n -> n.toLowerCase(Locale.ROOT)).filter(n -> n.equals(infra) || n.endsWith("." + infra)).isPresent();
            if (matches) return Optional.of(pair);
        }
        return Optional.empty();
    }
}
