/**
 * The store: one database (embedded H2 by default, PostgreSQL to scale out) reached through a small HikariCP
 * pool, its schema migrated by Flyway from {@code db/migration} — one set of scripts for both — and the JDBC
 * repositories on it ({@link org.postern.store.JdbcTenantDocumentStore}, {@link org.postern.store.JdbcTraceStore}).
 *
 * <p>Every failure to reach or use the database surfaces as {@link org.postern.store.StoreUnavailableException}
 * so callers fail closed (451 4.3.0). This package stores documents and records as given: it does not parse
 * tenant documents or decide anything about mail.
 */
package org.postern.store;
