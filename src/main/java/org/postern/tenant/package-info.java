/**
 * Tenants: their documents as admins write them (validated whole, unknown keys refused), the runtime
 * {@link org.postern.tenant.Tenant}, and the in-memory directory that answers "which tenant owns this domain".
 * Knows nothing of SMTP; persistence is behind {@link org.postern.store.TenantDocumentStore}.
 */
package org.postern.tenant;
