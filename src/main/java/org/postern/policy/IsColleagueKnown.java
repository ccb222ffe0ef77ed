package org.postern.policy;

import org.postern.tenant.Tenant;

/**
 * RCPT (outbound): a recipient in the sender's own tenant is delivered inside, to the tenant's own mail system
 * (as Exchange Online keeps mail within an organization), so it must be one the tenant knows — and, as inbound, its
 * local part may not route onward ({@code %}, {@code !}, {@code @}). Recipients elsewhere are not this stage's.
 */
public final class IsColleagueKnown implements Stage {

    @Override
    public Decision decide(Evidence e) {
        var candidate = e.recipient().orElseThrow(() -> new IllegalStateException("no recipient at RCPT"));
        Tenant sender = e.transactionTenant().orElseThrow(() -> new IllegalStateException("outbound RCPT without a tenant"));
        if (candidate.owner().filter(o -> o.id().equals(sender.id())).isEmpty()) return Decision.Continue.silent();
        String address = candidate.address();
        String localPart = address.substring(0, Math.max(0, address.lastIndexOf('@')));
        if (localPart.chars().anyMatch(c -> c == '%' || c == '!' || c == '@')) {
            return Decision.Reject.because(new Reason(ReasonCode.RELAY_TRICK, "local part of " + address + " routes onward (%, ! or @)", ""));
        }
        String setting = "tenants." + sender.id() + ".recipients";
        return sender.knowsRecipient(address)
                ? Decision.Continue.because(new Reason(ReasonCode.TENANT_ATTRIBUTED, address + " is inside tenant " + sender.id()
                        + ": delivered to its own mail system", "tenants." + sender.id() + ".delivery"))
                : Decision.Reject.because(new Reason(ReasonCode.UNKNOWN_RECIPIENT, address + " is not a recipient of " + sender.id(), setting));
    }
}
