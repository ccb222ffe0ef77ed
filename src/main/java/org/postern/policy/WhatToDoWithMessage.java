package org.postern.policy;

/**
 * DATA: the final disposition. Until content filtering exists every message that reached here is delivered;
 * later stages (malware, SCL, rules) come before this one and may end the phase first.
 */
public final class WhatToDoWithMessage implements Stage {

    @Override
    public Decision decide(Evidence e) {
        String tenant = e.transactionTenant().map(t -> t.id()).orElse("");
        return new Decision.Accept(new Disposition.Deliver(), java.util.List.of(new Reason(ReasonCode.ACCEPTED_FOR_DELIVERY,
                "no filter objected", tenant.isEmpty() ? "" : "tenants." + tenant + ".delivery")));
    }
}
