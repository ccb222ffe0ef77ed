package org.postern.policy;

/**
 * MAIL (outbound): a user an outbound limit restricted sends nothing until an admin lifts the restriction
 * ({@code postern user unrestrict}, or the API). Checked at every MAIL so that a restriction made on another
 * connection, or another node, applies at once.
 */
public final class IsSubmitterRestricted implements Stage {

    private final SubmitterRestrictions restrictions;

    public IsSubmitterRestricted(SubmitterRestrictions restrictions) {
        this.restrictions = restrictions;
    }

    @Override
    public Decision decide(Evidence e) {
        if (e.authUser().isEmpty()) return Decision.Continue.silent();
        String user = e.authUser().get();
        String tenant = e.transactionTenant().map(t -> t.id()).orElse("");
        return restrictions.isRestricted(user)
                ? Decision.Reject.because(new Reason(ReasonCode.SUBMITTER_RESTRICTED,
                        user + " is restricted from sending after reaching an outbound limit; an admin must lift it",
                        "tenants." + tenant + ".outbound.on-limit"))
                : Decision.Continue.silent();
    }
}
