package org.postern.policy;

import org.postern.tenant.Tenant;
import org.postern.tenant.TenantDocument;

import java.time.Duration;
import java.util.Optional;

/**
 * RCPT (outbound): the tenant's {@code outbound: { recipients-per-hour, recipients-per-day }}, counted per user and
 * per tenant. The recipient past a user's limit is refused; with {@code on-limit: restrict} (the default) the edge
 * then restricts the user until an admin lifts it, with {@code alert} the recipient is refused temporarily and the
 * tenant's admins are told. Past the tenant's own limit nobody is restricted: refused temporarily, admins told. Mail
 * relayed by an on-premises connector has no user and meets the tenant's limits only.
 */
public final class IsOutboundLimitReached implements Stage {

    private static final Duration HOUR = Duration.ofHours(1);
    private static final Duration DAY = Duration.ofDays(1);

    private final OutboundCounters counters;

    public IsOutboundLimitReached(OutboundCounters counters) {
        this.counters = counters;
    }

    @Override
    public Decision decide(Evidence e) {
        Tenant tenant = e.transactionTenant().orElseThrow(() -> new IllegalStateException("outbound RCPT without a tenant"));
        Optional<TenantDocument.OutboundLimits> limits = tenant.document().outbound();
        if (limits.isEmpty()) return Decision.Continue.silent();
        boolean alertOnly = limits.get().onLimit().map("alert"::equals).orElse(false);
        String base = "tenants." + tenant.id() + ".outbound.";
        Optional<String> user = e.authUser();
        // Users first: one user's burst restricts that user, not the whole tenant.
        if (user.isPresent()) {
            Optional<Decision> d = check("user:" + user.get(), user.get(), limits.get().recipientsPerHour(), HOUR, "recipients-per-hour", base, alertOnly)
                    .or(() -> check("user:" + user.get(), user.get(), limits.get().recipientsPerDay(), DAY, "recipients-per-day", base, alertOnly));
            if (d.isPresent()) return d.get();
        }
        // The tenant's total is no one user's doing: nobody is restricted for it, the rest waits (4xx) and the admins are told.
        return check("tenant:" + tenant.id(), "tenant " + tenant.id(), limits.get().recipientsPerHour(), HOUR, "recipients-per-hour", base, true)
                .or(() -> check("tenant:" + tenant.id(), "tenant " + tenant.id(), limits.get().recipientsPerDay(), DAY, "recipients-per-day", base, true))
                .orElse(Decision.Continue.silent());
    }

    private Optional<Decision> check(String key, String who, Optional<Integer> limit, Duration window, String name, String base, boolean alertOnly) {
        if (limit.isEmpty() || counters.tryTake(key, limit.get(), window)) return Optional.empty();
        return Optional.of(Decision.Reject.because(new Reason(alertOnly ? ReasonCode.OUTBOUND_LIMIT_ALERT : ReasonCode.OUTBOUND_LIMIT_REACHED,
                who + " reached " + limit.get() + " " + name, base + name)));
    }
}
