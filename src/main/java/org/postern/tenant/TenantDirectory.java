package org.postern.tenant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Answers "which tenant owns this domain" from memory, refreshed from the store when its version changes
 * (checked at most once per interval, so a tenant applied with {@code ./postern apply} reaches a running node
 * within that interval without a restart). A failed refresh keeps the last good view.
 */
public final class TenantDirectory {

    private static final Logger log = LoggerFactory.getLogger(TenantDirectory.class);

    private record View(long version, Map<String, Tenant> byDomain, Map<String, Tenant> byId) { }

    private final TenantCatalog catalog;
    private final Clock clock;
    private final Duration checkInterval;
    private volatile View view = new View(-1, Map.of(), Map.of());
    private volatile Instant nextCheck = Instant.MIN;

    public TenantDirectory(TenantCatalog catalog, Clock clock, Duration checkInterval) {
        this.catalog = catalog;
        this.clock = clock;
        this.checkInterval = checkInterval;
        refresh();
    }

    public Optional<Tenant> forDomain(String normalizedDomain) {
        maybeRefresh();
        return Optional.ofNullable(view.byDomain().get(normalizedDomain));
    }

    public Optional<Tenant> byId(String id) {
        maybeRefresh();
        return Optional.ofNullable(view.byId().get(id));
    }

    public List<Tenant> all() {
        maybeRefresh();
        return List.copyOf(view.byId().values());
    }

    private void maybeRefresh() {
        Instant now = clock.instant();
        if (now.isBefore(nextCheck)) return;
        nextCheck = now.plus(checkInterval);
        try {
            if (catalog.version() != view.version()) refresh();
        } catch (RuntimeException e) {
            log.warn("tenant refresh failed, keeping the last known tenants: {}", e.getMessage());
        }
    }

    /** Reloads every tenant now. */
    public synchronized void refresh() {
        long version = catalog.version();
        Map<String, Tenant> byDomain = new HashMap<>();
        Map<String, Tenant> byId = new HashMap<>();
        for (Tenant t : catalog.all()) {
            byId.put(t.id(), t);
            for (String d : t.domains()) byDomain.put(d, t);
        }
        view = new View(version, Map.copyOf(byDomain), Map.copyOf(byId));
        nextCheck = clock.instant().plus(checkInterval);
    }
}
