package org.postern.policy;

import java.util.List;

/**
 * DATA: the final disposition, once every stage before it let the message through. A failing DMARC check whose
 * owner asked for quarantine (and a tenant that honours it) quarantines; everything else is delivered. Content
 * verdicts (malware, SCL, rules) join here as they are built.
 */
public final class WhatToDoWithMessage implements Stage {

    @Override
    public Decision decide(Evidence e) {
        String tenant = e.transactionTenant().map(t -> t.id()).orElse("");
        var auth = AuthenticationVerdict.of(e);
        if (auth.isPresent() && auth.get().action() == AuthenticationVerdict.DmarcAction.QUARANTINE) {
            return new Decision.Accept(new Disposition.Quarantine(), List.of(new Reason(ReasonCode.DMARC_QUARANTINE,
                    "header.from=" + auth.get().effective().headerFromDomain().orElse("(none)") + " failed DMARC; its owner asks for quarantine",
                    auth.get().setting())));
        }
        return new Decision.Accept(new Disposition.Deliver(), List.of(new Reason(ReasonCode.ACCEPTED_FOR_DELIVERY,
                "no filter objected", tenant.isEmpty() ? "" : "tenants." + tenant + ".delivery")));
    }
}
