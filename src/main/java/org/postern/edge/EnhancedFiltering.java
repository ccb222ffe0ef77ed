package org.postern.edge;

import org.postern.dnsbl.DnsLists;
import org.postern.policy.Evidence;
import org.postern.policy.TenantTrust;
import org.postern.policy.TenantTrusts;
import org.postern.tenant.Tenant;

import java.util.List;

/**
 * End of data, enhanced filtering: when the connecting client is a hop the transaction's tenant named in
 * {@code enhanced-filtering.skip-ips}, the original client is taken from the Received chain and the DNS lists are
 * asked about it, so the DATA phase can judge it as RCPT judges a direct client. The Received chain exists only after
 * DATA, which is why this is a DATA-phase decision.
 */
final class EnhancedFiltering {

    private EnhancedFiltering() { }

    static Evidence withOriginalClient(TenantTrusts trusts, DnsLists lists, Evidence e, Tenant tenant, List<String> received) {
        TenantTrust trust = trusts.of(tenant);
        if (!trust.isSkippedHop(e.clientIp())) return e;
        return ReceivedChain.originalClient(received, trust::isSkippedHop)
                .map(f -> e.withOriginalClient(new Evidence.OriginalClient(f.ip(),
                        "Received field " + f.field() + " (the chain above it was written by hops in skip-ips)",
                        lists.lookup(f.ip()).await())))
                .orElse(e);
    }
}
