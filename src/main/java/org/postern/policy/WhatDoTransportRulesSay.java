package org.postern.policy;

import org.postern.rules.RuleHit;
import org.postern.rules.RuleOutcome;

import java.util.ArrayList;
import java.util.List;

/**
 * DATA: the tenant's transport rules, after the content filter (they may raise or lower the SCL). Every rule that
 * matched is named in the trace, audit-mode rules with what they would have done; a rule's reject uses the
 * tenant's own text. Quarantine, delete and the SCL a rule sets are taken by {@link WhatToDoWithMessage} and
 * {@link SpamConfidence}; recipient and header changes by the edge.
 */
public final class WhatDoTransportRulesSay implements Stage {

    @Override
    public Decision decide(Evidence e) {
        if (e.rules().isEmpty() || e.rules().get().hits().isEmpty()) return Decision.Continue.silent();
        RuleOutcome o = e.rules().get();
        String tenant = e.transactionTenant().map(t -> t.id()).orElse("");
        List<Reason> reasons = new ArrayList<>();
        for (RuleHit hit : o.hits()) reasons.add(new Reason(ReasonCode.TRANSPORT_RULE, hit.describe(), setting(tenant, hit.rule())));
        if (o.reject().isPresent()) {
            String rule = o.hits().stream().filter(h -> !h.audit()).reduce((a, b) -> b).map(RuleHit::rule).orElse("");
            reasons.addFirst(new Reason(ReasonCode.TRANSPORT_RULE_REJECT, o.reject().get(), setting(tenant, rule)));
            return new Decision.Reject(reasons);
        }
        return new Decision.Continue(reasons);
    }

    /** The reason a rule's delete or quarantine gives, naming the last enforced rule and its setting. */
    static Reason enforced(Evidence e, RuleOutcome o, ReasonCode code, String what) {
        String rule = o.enforcedRules().isEmpty() ? "" : o.enforcedRules().getLast();
        String tenant = e.transactionTenant().map(t -> t.id()).orElse("");
        return new Reason(code, "rule '" + rule + "' " + what, setting(tenant, rule));
    }

    static String setting(String tenant, String rule) {
        return "tenants." + tenant + ".transport-rules." + rule;
    }
}
