package org.postern.policy;

/** RCPT: when the tenant lists its recipients, is this one of them? (550 5.1.1 otherwise) */
public final class IsRecipientKnown implements Stage {

    @Override
    public Decision decide(Evidence e) {
        var candidate = e.recipient().orElseThrow(() -> new IllegalStateException("no recipient at RCPT"));
        var tenant = candidate.owner().orElseThrow(() -> new IllegalStateException("recipient without tenant"));
        if (!tenant.knowsRecipient(candidate.address())) {
            return Decision.Reject.because(new Reason(ReasonCode.UNKNOWN_RECIPIENT,
                    candidate.address() + " is not a recipient of " + tenant.id(), "tenants." + tenant.id() + ".recipients"));
        }
        return Decision.Continue.silent();
    }
}
