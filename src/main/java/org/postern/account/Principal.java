package org.postern.account;

import java.util.Optional;

/**
 * Who is asking: a role, the tenant it belongs to (none for the operator) and a name for the audit log
 * ({@code token:3f2a...} or the account's address).
 */
public record Principal(String name, Role role, Optional<String> tenant) {
    public Principal {
        if (role != Role.OPERATOR && tenant.isEmpty()) throw new IllegalArgumentException(role.wire() + " needs a tenant");
        if (role == Role.OPERATOR && tenant.isPresent()) throw new IllegalArgumentException("an operator has no tenant");
    }

    /** May this principal see (and, per role, act on) the tenant's pages at all? */
    public boolean reaches(String tenantId) {
        return role == Role.OPERATOR || tenant.map(tenantId::equals).orElse(false);
    }
}
