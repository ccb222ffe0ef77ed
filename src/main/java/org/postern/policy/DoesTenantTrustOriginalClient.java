package org.postern.policy;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * DATA (enhanced filtering, "skip listing"): when the client is a hop the tenant named in
 * {@code enhanced-filtering.skip-ips}, the client that really sent the message is known only from the Received chain,
 * so at end of data. The edge finds it and asks the DNS lists about it; here it meets the same ip-allow, ip-block and
 * DNS-list rules the connecting client meets at RCPT. A connector that bypasses IP filtering still bypasses them.
 */
public final class DoesTenantTrustOriginalClient implements Stage {

    private final TenantTrusts trusts;
    private final Clock clock;

    public DoesTenantTrustOriginalClient(TenantTrusts trusts, Clock clock) {
        this.trusts = trusts;
        this.clock = clock;
    }

    @Override
    public Decision decide(Evidence e) {
        if (e.transactionTenant().isEmpty()) return Decision.Continue.silent();
        TenantTrust t = trusts.of(e.transactionTenant().get());
        if (!t.isSkippedHop(e.clientIp())) return Decision.Continue.silent();
        if (e.connector().map(MatchedConnector::bypassesIpFiltering).orElse(false)) return Decision.Continue.silent();
        var original = e.trust().originalClient();
        String setting = "tenants." + t.tenant() + ".enhanced-filtering.skip-ips";
        if (original.isEmpty()) {
            return Decision.Continue.because(new Reason(ReasonCode.ORIGINAL_CLIENT,
                    "no client in front of " + e.clientIp().getHostAddress() + " found in the Received chain; nothing more to judge", setting));
        }
        List<Reason> chain = new ArrayList<>();
        chain.add(new Reason(ReasonCode.ORIGINAL_CLIENT, original.get().ip().getHostAddress() + " from " + original.get().foundIn(), setting));
        return IpFiltering.judge(t, original.get().ip(), original.get().listings(), clock.instant(), chain);
    }
}
