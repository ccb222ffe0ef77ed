package org.postern.tenant;

import org.postern.rules.RuleSet;
import org.postern.rules.TransportRules;

import java.util.Optional;
import java.util.Set;

/**
 * A tenant as the edge uses it: its validated document plus the forms lookups need (normalized domains and
 * recipients, the compiled transport rules).
 *
 * @param recipients     normalized addresses when the document lists them; empty means any local part is valid
 * @param transportRules the document's {@code transport-rules}, compiled once when the tenant is loaded
 */
public record Tenant(String id, Set<String> domains, Optional<Set<String>> recipients, String delivery,
                     TenantDocument document, RuleSet transportRules) {

    public Tenant {
        domains = Set.copyOf(domains);
        recipients = recipients.map(Set::copyOf);
    }

    /** Compiles the document's rules; throws {@link org.postern.rules.RuleValidationException} for a bad one. */
    public Tenant(String id, Set<String> domains, Optional<Set<String>> recipients, String delivery, TenantDocument document) {
        this(id, domains, recipients, delivery, document, TransportRules.compile(document.transportRules()));
    }

    public boolean ownsDomain(String normalizedDomain) {
        return domains.contains(normalizedDomain);
    }

    /** Whether the recipient exists; only meaningful for an address in one of this tenant's domains. */
    public boolean knowsRecipient(String address) {
        return recipients.map(r -> r.contains(Domains.normalizeAddress(address))).orElse(true);
    }
}
