package org.postern.policy;

import org.postern.auth.spf.SpfOutcome;
import org.postern.content.SclResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The SCL that counts for the recipient's tenant: the content filter's, unless the tenant's own lists say otherwise.
 * Senders are the MAIL FROM address and the header From domains. An allowed sender counts only when it
 * authenticated (SPF pass for the envelope sender it names, or a composite pass for the From domain), or anyone could
 * claim to be on the list; a blocked sender counts always (claiming to be a blocked sender gains nothing).
 *
 * @param reason why the SCL is what it is, for the trace
 */
public record SpamConfidence(int scl, Reason reason, AntiSpamPolicy policy) {

    public static Optional<SpamConfidence> of(Evidence e) {
        if (e.content().isEmpty() || e.transactionTenant().isEmpty()) return Optional.empty();
        SclResult content = e.content().get();
        AntiSpamPolicy policy = AntiSpamPolicy.of(e.transactionTenant().get());
        List<String> senders = new ArrayList<>();
        e.mailFrom().ifPresent(senders::add);
        e.authentication().ifPresent(a -> a.headerFromDomains().forEach(d -> senders.add("@" + d)));
        String base = "tenants." + policy.tenant() + ".anti-spam.";

        // A transport rule the tenant's admin wrote has the last word on the SCL (Exchange Online's order).
        var ruleScl = e.rules().filter(o -> o.scl().isPresent());
        if (ruleScl.isPresent()) {
            int scl = ruleScl.get().scl().getAsInt();
            var hit = ruleScl.get().hits().stream().filter(h -> !h.audit()).reduce((a, b) -> b);
            return Optional.of(new SpamConfidence(scl, new Reason(ReasonCode.SPAM_CONFIDENCE,
                    "SCL " + scl + " set by " + hit.map(h -> "rule '" + h.rule() + "'").orElse("a transport rule")
                            + "; content said SCL " + content.scl(),
                    WhatDoTransportRulesSay.setting(policy.tenant(), hit.map(h -> h.rule()).orElse(""))), policy));
        }
        Optional<String> blocked = policy.blockedEntry(senders);
        if (blocked.isPresent()) {
            return Optional.of(new SpamConfidence(9, new Reason(ReasonCode.SPAM_CONFIDENCE,
                    "SCL 9: sender on the tenant's blocked list (" + blocked.get() + ")", base + "blocked-senders"), policy));
        }
        Optional<String> allowed = policy.allowedEntry(senders);
        if (allowed.isPresent() && authenticated(e, policy, allowed.get())) {
            return Optional.of(new SpamConfidence(-1, new Reason(ReasonCode.SPAM_CONFIDENCE,
                    "SCL -1: authenticated sender on the tenant's allowed list (" + allowed.get() + "); content said SCL "
                            + content.scl(), base + "allowed-senders"), policy));
        }
        String why = allowed.isPresent() ? "; allowed-senders entry " + allowed.get() + " ignored: sender not authenticated" : "";
        return Optional.of(new SpamConfidence(content.scl(), new Reason(ReasonCode.SPAM_CONFIDENCE,
                "SCL " + content.scl() + " BCL " + content.bcl() + String.format(java.util.Locale.ROOT, " p=%.3f", content.spamProbability())
                        + ": " + String.join(", ", content.reasons().stream().limit(6).map(Object::toString).toList()) + why,
                ""), policy));
    }

    public AntiSpamPolicy.Action action() {
        return policy.actionFor(scl);
    }

    /**
     * The entry names an authenticated identity: the envelope sender with SPF pass, or the header From domain with
     * a composite pass (aligned SPF or DKIM).
     */
    private static boolean authenticated(Evidence e, AntiSpamPolicy policy, String entry) {
        boolean envelopeNamed = e.mailFrom().filter(m -> policy.allowedEntry(List.of(m)).filter(entry::equals).isPresent()).isPresent();
        boolean spfPass = e.authentication().filter(a -> !a.spfHelo() && a.spf().result() == SpfOutcome.PASS).isPresent();
        if (envelopeNamed && spfPass) return true;
        return AuthenticationVerdict.fromDomainAuthenticated(e);
    }
}
