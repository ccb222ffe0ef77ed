package org.postern.policy;

import java.util.List;

/**
 * DATA: the final disposition, once every stage before it let the message through: malware the tenant holds for
 * an administrator is quarantined; a failing DMARC check whose
 * owner asked for quarantine (and a tenant that honours it) quarantines; otherwise the SCL decides by the tenant's
 * thresholds (quarantine, junk into the junk folder, or deliver).
 */
public final class WhatToDoWithMessage implements Stage {

    @Override
    public Decision decide(Evidence e) {
        String tenant = e.transactionTenant().map(t -> t.id()).orElse("");
        var malware = IsMalwareDetected.quarantined(e);
        if (malware.isPresent()) {
            return new Decision.Accept(new Disposition.Quarantine(), List.of(malware.get()));
        }
        var rules = e.rules().filter(o -> o.delete() || o.quarantine());
        if (rules.isPresent()) {
            return rules.get().delete()
                    ? new Decision.Accept(new Disposition.Drop(), List.of(WhatDoTransportRulesSay.enforced(e, rules.get(), ReasonCode.TRANSPORT_RULE_DELETE, "deletes the message")))
                    : new Decision.Accept(new Disposition.Quarantine(), List.of(WhatDoTransportRulesSay.enforced(e, rules.get(), ReasonCode.TRANSPORT_RULE_QUARANTINE, "quarantines the message")));
        }
        var auth = AuthenticationVerdict.of(e);
        if (auth.isPresent() && auth.get().action() == AuthenticationVerdict.DmarcAction.QUARANTINE) {
            return new Decision.Accept(new Disposition.Quarantine(), List.of(new Reason(ReasonCode.DMARC_QUARANTINE,
                    "header.from=" + auth.get().effective().headerFromDomain().orElse("(none)") + " failed DMARC; its owner asks for quarantine",
                    auth.get().setting())));
        }
        var spam = SpamConfidence.of(e);
        if (spam.isPresent()) {
            SpamConfidence c = spam.get();
            String setting = c.policy().settingFor(c.action());
            switch (c.action()) {
                case QUARANTINE -> {
                    return new Decision.Accept(new Disposition.Quarantine(), List.of(new Reason(ReasonCode.SPAM_QUARANTINED,
                            "SCL " + c.scl() + " at or over quarantine-at " + c.policy().quarantineAt(), setting)));
                }
                case JUNK -> {
                    return new Decision.Accept(new Disposition.Junk(), List.of(new Reason(ReasonCode.SPAM_JUNKED,
                            "SCL " + c.scl() + " at or over junk-at " + c.policy().junkAt(), setting)));
                }
                case DELIVER, REJECT -> { }
            }
        }
        return new Decision.Accept(new Disposition.Deliver(), List.of(new Reason(ReasonCode.ACCEPTED_FOR_DELIVERY,
                "no filter objected", tenant.isEmpty() ? "" : "tenants." + tenant + ".delivery")));
    }
}
