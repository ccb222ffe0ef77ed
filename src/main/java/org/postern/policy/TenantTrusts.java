package org.postern.policy;

import com.google.common.collect.MapMaker;
import org.postern.tenant.Tenant;

import java.util.concurrent.ConcurrentMap;

/**
 * Compiled trust per tenant, kept as long as the tenant value is in use: the directory makes a new {@link Tenant}
 * when a document changes, so the old compiled form is dropped with it. Keys compare by identity (weak keys), which
 * also keeps the lookup free of hashing a whole document.
 */
public final class TenantTrusts {

    private final ConcurrentMap<Tenant, TenantTrust> compiled = new MapMaker().weakKeys().makeMap();

    public TenantTrust of(Tenant tenant) {
        return compiled.computeIfAbsent(tenant, TenantTrust::compile);
    }
}
