package org.postern.store;

import java.util.List;
import java.util.Optional;

/**
 * Tenant documents as stored: the id, the document as canonical JSON and a version that grows on every change,
 * so nodes notice changes cheaply ({@link #latestVersion()}). Parsing and validation belong to the tenant package.
 */
public interface TenantDocumentStore {

    record StoredTenant(String id, String documentJson, long version) { }

    /**
     * Creates or replaces the tenants in one transaction, and claims their domains: a domain already owned by
     * another tenant makes the whole call fail with {@link DomainConflictException} and nothing is written.
     *
     * @param domains per tenant id, the lower-case A-label domains it owns
     */
    void putAll(List<StoredTenant> tenants, java.util.Map<String, List<String>> domains);

    Optional<StoredTenant> get(String id);

    List<StoredTenant> all();

    boolean delete(String id);

    /** The highest version of any tenant (0 when none); changes whenever any tenant changes or is deleted. */
    long latestVersion();

    /**
     * A domain claimed by two tenants. The message does not name the other tenant, so it can be shown to a
     * tenant admin; {@link #owner()} does, for operators.
     */
    final class DomainConflictException extends RuntimeException {
        private final String domain;
        private final String owner;

        public DomainConflictException(String message) { this(message, "", ""); }

        public DomainConflictException(String message, String domain, String owner) {
            super(message);
            this.domain = domain;
            this.owner = owner;
        }

        /** The contested domain ("" when not known). */
        public String domain() { return domain; }

        /** The tenant that already owns or also claims it ("" when not known). */
        public String owner() { return owner; }
    }
}
