package org.postern.policy;

import org.postern.malware.MalwareVerdict;
import org.postern.rules.RuleOutcome;

/**
 * DATA (outbound), last: malware is refused whatever the tenant's inbound malware action (nothing is held for the
 * sender's own admin to release to the internet); a spam verdict (SCL at or over the tenant's junk threshold) goes
 * out through the high-risk pool, or is refused, as the operator chose ({@code outbound.spam}); the rest is
 * delivered. Outbound mail is never quarantined or junked: the recipient is someone else's user (a transport rule's
 * {@code quarantine} is named in the trace but not applied; its {@code delete} is, before the spam question).
 */
public final class WhatToDoWithOutboundMessage implements Stage {

    /** The operator's choice for outbound spam. */
    public enum SpamAction { HIGH_RISK_POOL, REJECT }

    private final SpamAction spamAction;

    public WhatToDoWithOutboundMessage(SpamAction spamAction) {
        this.spamAction = spamAction;
    }

    @Override
    public Decision decide(Evidence e) {
        if (e.malware().orElse(null) instanceof MalwareVerdict.Detected d) {
            return Decision.Reject.because(new Reason(ReasonCode.MALWARE_DETECTED, d.detectionName() + " (" + d.partName() + ", outbound)", "outbound.malware"));
        }
        var rules = e.rules().filter(RuleOutcome::delete);
        if (rules.isPresent()) {
            return new Decision.Accept(new Disposition.Drop(), java.util.List.of(WhatDoTransportRulesSay.enforced(e, rules.get(),
                    ReasonCode.TRANSPORT_RULE_DELETE, "deletes the message (outbound)")));
        }
        var confidence = SpamConfidence.of(e);
        if (confidence.isPresent() && confidence.get().scl() >= confidence.get().policy().junkAt()) {
            int scl = confidence.get().scl();
            String setting = "outbound.spam";
            return spamAction == SpamAction.REJECT
                    ? Decision.Reject.because(new Reason(ReasonCode.OUTBOUND_SPAM_REFUSED, "SCL " + scl, setting))
                    : new Decision.Accept(new Disposition.Deliver(), java.util.List.of(new Reason(ReasonCode.OUTBOUND_HIGH_RISK,
                            "SCL " + scl + ": sent from the high-risk delivery pool", setting)));
        }
        return new Decision.Accept(new Disposition.Deliver(), java.util.List.of(Reason.of(ReasonCode.OUTBOUND_ACCEPTED,
                "queued for internet delivery" + confidence.map(c -> " (SCL " + c.scl() + ")").orElse(""))));
    }
}
