package org.postern.admin;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.postern.account.AccountStore;
import org.postern.account.ApiTokens;
import org.postern.edge.Explainer;
import org.postern.tenant.TenantCatalog;
import org.postern.trace.TraceStore;

import java.time.Clock;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * What the admin listener works with: the same services the CLI uses.
 *
 * @param queueDepth messages in the node's spool
 * @param ready      whether the node accepts mail (store reachable, listener up)
 * @param feedback   teaches the classifier a reported message
 * @param restrictions submission users restricted after an outbound limit (lifted by an admin)
 */
public record AdminServices(TenantCatalog catalog, TraceStore trace, QuarantineAccess quarantine, AuditLog audit,
                            AccountStore accounts, ApiTokens tokens, Supplier<Explainer> explainer, Feedback feedback,
                            Clock clock, IntSupplier queueDepth, BooleanSupplier ready, PrometheusMeterRegistry metrics,
                            org.postern.account.SendingRestrictions restrictions) {

    /** Feedback to the content classifier: report junk / not junk. */
    @FunctionalInterface
    public interface Feedback {
        void learn(java.io.InputStream message, boolean junk) throws java.io.IOException;
    }
}
