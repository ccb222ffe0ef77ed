package org.postern.tenant;

import org.postern.store.TenantDocumentStore;
import org.postern.store.TenantDocumentStore.StoredTenant;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Applies and reads tenants through the store: validated documents in, runtime tenants out. */
public final class TenantCatalog {

    private final TenantDocumentStore store;

    public TenantCatalog(TenantDocumentStore store) {
        this.store = store;
    }

    /**
     * Creates or replaces the given tenants at once; a domain owned by another stored tenant refuses all of them.
     */
    public void apply(List<Tenant> tenants) {
        if (tenants.isEmpty()) return;
        List<StoredTenant> stored = new ArrayList<>();
        Map<String, List<String>> domains = new LinkedHashMap<>();
        for (Tenant t : tenants) {
            stored.add(new StoredTenant(t.id(), TenantDocuments.toJson(t.document()), 0));
            domains.put(t.id(), List.copyOf(t.domains()));
        }
        try {
            store.putAll(stored, domains);
        } catch (TenantDocumentStore.DomainConflictException e) {
            throw new TenantValidationException(e.getMessage());
        }
    }

    public Optional<Tenant> get(String id) {
        return store.get(id).map(s -> TenantDocuments.fromJson(s.documentJson()));
    }

    public List<Tenant> all() {
        return store.all().stream().map(s -> TenantDocuments.fromJson(s.documentJson())).toList();
    }

    public boolean delete(String id) {
        return store.delete(id);
    }

    public long version() {
        return store.latestVersion();
    }
}
