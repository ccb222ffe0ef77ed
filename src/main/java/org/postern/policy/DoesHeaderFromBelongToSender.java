package org.postern.policy;

import org.postern.tenant.Tenant;

import java.util.List;

/**
 * DATA (outbound): every From: mailbox must be in the sending tenant's domains, as MAIL FROM must; the header is
 * what the recipient sees and what DMARC aligns with. A message without a usable From is refused as well
 * (RFC 5322 §3.6 requires one).
 */
public final class DoesHeaderFromBelongToSender implements Stage {

    @Override
    public Decision decide(Evidence e) {
        if (e.authentication().isEmpty()) return Decision.Continue.silent();
        Tenant tenant = e.transactionTenant().orElseThrow(() -> new IllegalStateException("outbound DATA without a tenant"));
        List<String> domains = e.authentication().get().headerFromDomains();
        String setting = "tenants." + tenant.id() + ".domains";
        if (domains.isEmpty()) {
            return Decision.Reject.because(new Reason(ReasonCode.HEADER_FROM_NOT_OWNED, "the message has no usable From: header", setting));
        }
        for (String d : domains) {
            if (!tenant.ownsDomain(d)) {
                return Decision.Reject.because(new Reason(ReasonCode.HEADER_FROM_NOT_OWNED,
                        "From: domain " + d + " is not a domain of tenant " + tenant.id(), setting));
            }
        }
        return Decision.Continue.silent();
    }
}
