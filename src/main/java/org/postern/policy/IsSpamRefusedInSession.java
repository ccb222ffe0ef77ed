package org.postern.policy;

/**
 * DATA: a tenant in reject mode refuses spam at or over its {@code reject-at} in the SMTP session: the sender is
 * told, nothing is quarantined, and no bounce can ever reach a forged sender.
 */
public final class IsSpamRefusedInSession implements Stage {

    @Override
    public Decision decide(Evidence e) {
        var found = SpamConfidence.of(e);
        if (found.isEmpty() || found.get().action() != AntiSpamPolicy.Action.REJECT) return Decision.Continue.silent();
        SpamConfidence c = found.get();
        return Decision.Reject.because(new Reason(ReasonCode.SPAM_REFUSED,
                "SCL " + c.scl() + " at or over reject-at " + c.policy().rejectAt(), c.policy().settingFor(AntiSpamPolicy.Action.REJECT)));
    }
}
