package org.postern.policy;

import org.postern.tenant.Domains;
import org.postern.tenant.Tenant;

/**
 * MAIL (outbound): the envelope sender must be an address of the sending tenant — one of its domains. A user of
 * one tenant may not send as another tenant's domain, nor as anyone on the internet (that is how shared IP
 * addresses end up on blocklists). The null sender is refused too: a user agent never sends bounces.
 */
public final class DoesSenderOwnAddress implements Stage {

    @Override
    public Decision decide(Evidence e) {
        Tenant tenant = e.transactionTenant().orElseThrow(() -> new IllegalStateException("outbound MAIL without a tenant"));
        String sender = e.mailFrom().orElse("");
        String domain = Domains.ofAddress(sender);
        String setting = "tenants." + tenant.id() + ".domains";
        if (!domain.isEmpty() && tenant.ownsDomain(domain)) {
            return Decision.Continue.because(new Reason(ReasonCode.TENANT_ATTRIBUTED, sender + " is an address of " + tenant.id(), setting));
        }
        return Decision.Reject.because(new Reason(ReasonCode.SENDER_NOT_OWNED,
                (sender.isEmpty() ? "the null sender <>" : sender) + " is not an address of tenant " + tenant.id(), setting));
    }
}
