package org.postern.policy;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * RCPT: does the recipient's tenant let this client in? The tenant's own trust decides, in this order (the first
 * rule that applies wins; documented in the README): a connector that identifies the client (its requirements can
 * also refuse), the tenant's ip-allow, its ip-block, then the operator's DNS lists. Only the recipient's tenant's
 * settings are read, so another tenant's lists or connectors can never change this answer.
 */
public final class DoesTenantTrustClient implements Stage {

    private final TenantTrusts trusts;
    private final Clock clock;

    public DoesTenantTrustClient(TenantTrusts trusts, Clock clock) {
        this.trusts = trusts;
        this.clock = clock;
    }

    @Override
    public Decision decide(Evidence e) {
        var tenant = e.recipient().flatMap(Evidence.RecipientCandidate::owner)
                .orElseThrow(() -> new IllegalStateException("recipient without tenant"));
        TenantTrust t = trusts.of(tenant);
        var listings = e.trust().listings();
        if (t.isEmpty() && listings.hits().isEmpty() && listings.failures().isEmpty()) return Decision.Continue.silent();
        List<Reason> chain = new ArrayList<>();
        TenantTrust.ConnectorVerdict connectors = t.connectors(e);
        if (connectors.matched().isEmpty() && connectors.violated().isPresent()) {
            var v = connectors.violated().get();
            return Decision.Reject.because(new Reason(ReasonCode.CONNECTOR_REQUIREMENT_NOT_MET, v.requirement(), v.setting()));
        }
        if (connectors.matched().isPresent()) {
            MatchedConnector c = connectors.matched().get();
            chain.add(new Reason(ReasonCode.CONNECTOR_MATCHED, c.name() + " (" + c.kind() + (c.bypassesIpFiltering()
                    ? ", trust: bypass-ip-filtering" : "") + ") identified by " + c.identifiedBy(), c.setting()));
            if (c.bypassesIpFiltering()) return IpFiltering.bypassed(t, c, e.clientIp(), listings, clock.instant(), chain);
        }
        if (t.isSkippedHop(e.clientIp())) {
            chain.add(new Reason(ReasonCode.ENHANCED_FILTERING_HOP, e.clientIp().getHostAddress()
                    + " is a hop in front of us: the original client is judged at end of data", "tenants." + t.tenant() + ".enhanced-filtering.skip-ips"));
            return new Decision.Continue(chain);
        }
        return IpFiltering.judge(t, e.clientIp(), listings, clock.instant(), chain);
    }
}
