package org.postern.tenant;

import java.util.Optional;
import java.util.Set;

/**
 * A tenant as the edge uses it: its validated document plus the forms lookups need (normalized domains and
 * recipients).
 *
 * @param recipients normalized addresses when the document lists them; empty means any local part is valid
 */
public record Tenant(String id, Set<String> domains, Optional<Set<String>> recipients, String delivery,
                     TenantDocument document) {

    public Tenant {
        domains = Set.copyOf(domains);
        recipients = recipients.map(Set::copyOf);
    }

    public boolean ownsDomain(String normalizedDomain) {
        return domains.contains(normalizedDomain);
    }

    /** Whether the recipient exists; only meaningful for an address in one of this tenant's domains. */
    public boolean knowsRecipient(String address) {
        return recipients.map(r -> r.contains(Domains.normalizeAddress(address))).orElse(true);
    }
}
