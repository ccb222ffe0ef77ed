package org.postern.policy;

/**
 * RCPT: which tenant owns the recipient's domain? None, and the client has not authenticated: relay denied.
 * The owner was looked up when the candidate was observed; this stage only judges it.
 *
 * <p>A tenant domain is not enough: a local part holding {@code %}, {@code !} or {@code @} (the percent hack
 * {@code user%other.test@tenant.test}, a UUCP bang path, a quoted {@code "user@other.test"@tenant.test}) asks the
 * next hop to route the mail on to somewhere else — the classic open-relay tricks. The tenant's own server might
 * honour them, so they are refused here, before any tenant setting is read.</p>
 */
public final class WhichTenantOwnsRecipient implements Stage {

    @Override
    public Decision decide(Evidence e) {
        var candidate = e.recipient().orElseThrow(() -> new IllegalStateException("no recipient at RCPT"));
        String address = candidate.address();
        int at = address.lastIndexOf('@');
        String localPart = at < 0 ? address : address.substring(0, at);
        if (candidate.owner().isPresent() && localPart.chars().anyMatch(c -> c == '%' || c == '!' || c == '@')) {
            return Decision.Reject.because(new Reason(ReasonCode.RELAY_TRICK,
                    "local part of " + address + " routes onward (%, ! or @)", ""));
        }
        return candidate.owner()
                .<Decision>map(t -> Decision.Continue.because(new Reason(ReasonCode.TENANT_ATTRIBUTED,
                        candidate.domain() + " -> " + t.id(), "tenants." + t.id() + ".domains")))
                .orElseGet(() -> Decision.Reject.because(new Reason(ReasonCode.RELAY_DENIED,
                        (candidate.domain().isEmpty() ? address : candidate.domain()) + " is served by no tenant", "")));
    }
}
