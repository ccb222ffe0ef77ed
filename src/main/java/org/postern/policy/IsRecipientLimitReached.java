package org.postern.policy;

/** RCPT: does the transaction already have as many recipients as the operator allows? (452, RFC 5321 §4.5.3.1.10) */
public final class IsRecipientLimitReached implements Stage {

    private final int max;

    public IsRecipientLimitReached(int max) {
        this.max = max;
    }

    @Override
    public Decision decide(Evidence e) {
        if (e.acceptedRecipients() >= max) {
            return Decision.TempFail.because(new Reason(ReasonCode.TOO_MANY_RECIPIENTS,
                    e.acceptedRecipients() + " recipients accepted, limit " + max, "limits.max-recipients"));
        }
        return Decision.Continue.silent();
    }
}
