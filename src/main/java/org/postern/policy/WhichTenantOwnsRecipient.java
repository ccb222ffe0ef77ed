package org.postern.policy;

/**
 * RCPT: which tenant owns the recipient's domain? None, and the client has not authenticated: relay denied.
 * The owner was looked up when the candidate was observed; this stage only judges it.
 */
public final class WhichTenantOwnsRecipient implements Stage {

    @Override
    public Decision decide(Evidence e) {
        var candidate = e.recipient().orElseThrow(() -> new IllegalStateException("no recipient at RCPT"));
        return candidate.owner()
                .<Decision>map(t -> Decision.Continue.because(new Reason(ReasonCode.TENANT_ATTRIBUTED,
                        candidate.domain() + " -> " + t.id(), "tenants." + t.id() + ".domains")))
                .orElseGet(() -> Decision.Reject.because(new Reason(ReasonCode.RELAY_DENIED,
                        (candidate.domain().isEmpty() ? candidate.address() : candidate.domain()) + " is served by no tenant", "")));
    }
}
