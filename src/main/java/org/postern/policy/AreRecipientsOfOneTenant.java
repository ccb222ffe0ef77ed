package org.postern.policy;

/**
 * RCPT: would this recipient mix two tenants in one transaction? Each tenant's policy must judge its own
 * message, so the client is told to retry that recipient in a transaction of its own (452 4.5.3).
 */
public final class AreRecipientsOfOneTenant implements Stage {

    @Override
    public Decision decide(Evidence e) {
        var candidate = e.recipient().orElseThrow(() -> new IllegalStateException("no recipient at RCPT"));
        if (e.transactionTenant().isPresent() && candidate.owner().isPresent()
                && !e.transactionTenant().get().id().equals(candidate.owner().get().id())) {
            // Evidence names only the recipient's own tenant: the refusal is traced there and must not reveal the other.
            return Decision.TempFail.because(new Reason(ReasonCode.RECIPIENTS_OF_SEVERAL_TENANTS,
                    candidate.address() + " belongs to another tenant than the recipients before it", ""));
        }
        return Decision.Continue.silent();
    }
}
