package org.postern.tenant;

import org.postern.malware.AntiMalwarePolicy;
import org.postern.policy.Cidr;
import org.postern.rules.RuleSet;
import org.postern.rules.RuleValidationException;
import org.postern.rules.TransportRules;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Validates one tenant document and builds the runtime {@link Tenant}; every error names its field. */
final class TenantValidator {

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Set<String> CONNECTOR_KINDS = Set.of("partner", "on-premises");
    private static final Set<String> CONNECTOR_TRUST = Set.of("none", "bypass-ip-filtering");
    private static final Set<String> SPAM_MODES = Set.of("quarantine", "reject");
    private static final Set<String> DMARC_HONOR = Set.of("reject", "quarantine", "report-only");
    private static final Set<String> ON_LIMIT = Set.of("restrict", "alert");

    private TenantValidator() { }

    static Tenant validate(TenantDocument d) {
        if (d.id() == null || !ID.matcher(d.id()).matches()) {
            throw new TenantValidationException("tenant id '" + d.id() + "' must be lower-case letters, digits and '-' (max 63)");
        }
        String t = "tenant '" + d.id() + "': ";
        if (d.domains().isEmpty()) throw new TenantValidationException(t + "domains: at least one domain is required");
        Set<String> domains = new LinkedHashSet<>();
        for (String domain : d.domains()) {
            try {
                domains.add(Domains.normalize(domain));
            } catch (IllegalArgumentException e) {
                throw new TenantValidationException(t + "domains: " + e.getMessage());
            }
        }
        Optional<Set<String>> recipients = d.recipients().map(list -> {
            Set<String> set = new HashSet<>();
            for (String r : list) {
                String normalized = Domains.normalizeAddress(r);
                if (!domains.contains(Domains.ofAddress(r)) || r.indexOf('@') <= 0) {
                    throw new TenantValidationException(t + "recipients: '" + r + "' is not an address in the tenant's domains");
                }
                set.add(normalized);
            }
            return set;
        });
        if (d.delivery() == null || d.delivery().isBlank()) {
            throw new TenantValidationException(t + "delivery is required (smtp://host:port, lmtp://host:port or maildir:PATH)");
        }
        if (!d.delivery().matches("(smtp|lmtp)://[^/:\\s]+:\\d{1,5}/?|maildir:\\S+")) {
            throw new TenantValidationException(t + "delivery '" + d.delivery() + "' must be smtp://host:port, lmtp://host:port or maildir:PATH");
        }
        ipEntries(t + "ip-allow", d.ipAllow());
        ipEntries(t + "ip-block", d.ipBlock());
        Set<String> connectorNames = new HashSet<>();
        for (var c : d.connectors()) {
            String where = t + "connectors: ";
            if (c.name() == null || c.name().isBlank()) throw new TenantValidationException(where + "every connector needs a name");
            if (!connectorNames.add(c.name())) throw new TenantValidationException(where + "duplicate connector name '" + c.name() + "'");
            if (c.kind() == null || !CONNECTOR_KINDS.contains(c.kind())) {
                throw new TenantValidationException(where + c.name() + ".kind must be one of " + CONNECTOR_KINDS);
            }
            if (c.match() == null || (c.match().ips().isEmpty() && c.match().tlsCertNames().isEmpty() && c.match().senderDomains().isEmpty())) {
                throw new TenantValidationException(where + c.name() + ".match needs tls-cert-names, ips or sender-domains");
            }
            for (String ip : c.match().ips()) cidr(where + c.name() + ".match.ips", ip);
            for (String n : c.match().tlsCertNames()) name(where + c.name() + ".match.tls-cert-names", n);
            for (String n : c.match().senderDomains()) name(where + c.name() + ".match.sender-domains", n);
            if (c.restrictToIps().orElse(false) && c.match().ips().isEmpty()) {
                throw new TenantValidationException(where + c.name() + ".restrict-to-ips needs match.ips");
            }
            c.trust().ifPresent(v -> oneOf(where + c.name() + ".trust", v, CONNECTOR_TRUST));
        }
        d.enhancedFiltering().ifPresent(ef -> {
            if (ef.skipIps().isEmpty()) throw new TenantValidationException(t + "enhanced-filtering.skip-ips needs at least one address");
            for (String ip : ef.skipIps()) cidr(t + "enhanced-filtering.skip-ips", ip);
        });
        d.antiSpam().ifPresent(a -> {
            a.mode().ifPresent(m -> oneOf(t + "anti-spam.mode", m, SPAM_MODES));
            a.junkAt().ifPresent(v -> scl(t + "anti-spam.junk-at", v));
            a.quarantineAt().ifPresent(v -> scl(t + "anti-spam.quarantine-at", v));
            a.rejectAt().ifPresent(v -> scl(t + "anti-spam.reject-at", v));
        });
        d.antiSpoofing().ifPresent(a -> {
            a.honorDmarc().ifPresent(v -> oneOf(t + "anti-spoofing.honor-dmarc", v, DMARC_HONOR));
            for (var pair : a.allowedSpoofedSenders()) {
                String where = t + "anti-spoofing.allowed-spoofed-senders: ";
                if (pair.domain() == null || !domains.contains(normalizedOrEmpty(pair.domain()))) {
                    throw new TenantValidationException(where + "domain '" + pair.domain() + "' is not one of the tenant's domains");
                }
                if (pair.infrastructure() == null || pair.infrastructure().isBlank()) {
                    throw new TenantValidationException(where + pair.domain() + " needs an infrastructure (CIDR or domain)");
                }
                if (pair.infrastructureIsNetwork()) cidr(where + pair.domain() + ".infrastructure", pair.infrastructure());
            }
        });
        d.quarantine().ifPresent(q -> {
            try {
                if (q.retention() != null && org.postern.config.Units.duration(q.retention()).isNegative()) throw new IllegalArgumentException("negative");
            } catch (RuntimeException e) {
                throw new TenantValidationException(t + "quarantine.retention must be a duration like 30d, not '" + q.retention() + "'");
            }
        });
        d.outbound().ifPresent(o -> o.onLimit().ifPresent(v -> oneOf(t + "outbound.on-limit", v, ON_LIMIT)));
        try {
            AntiMalwarePolicy.from(d.antiMalware());
        } catch (IllegalArgumentException e) {
            throw new TenantValidationException(t + e.getMessage());
        }
        RuleSet rules;
        try {
            rules = TransportRules.compile(d.transportRules(), connectorNames);
        } catch (RuleValidationException e) {
            throw new TenantValidationException(t + e.getMessage());
        }
        return new Tenant(d.id(), domains, recipients, d.delivery(), d, rules);
    }

    /** Several tenants in one document: ids and domains must not repeat among them. */
    static void requireDistinct(List<Tenant> tenants) {
        Set<String> ids = new HashSet<>();
        Map<String, String> owner = new HashMap<>();
        for (Tenant tenant : tenants) {
            if (!ids.add(tenant.id())) throw new TenantValidationException("tenant '" + tenant.id() + "' appears twice");
            for (String domain : tenant.domains()) {
                String previous = owner.putIfAbsent(domain, tenant.id());
                if (previous != null && !previous.equals(tenant.id())) {
                    throw new TenantValidationException("domain '" + domain + "' is claimed by tenants '" + previous + "' and '" + tenant.id() + "'");
                }
            }
        }
    }

    private static void ipEntries(String where, List<TenantDocument.IpEntry> entries) {
        for (var e : entries) {
            if (e.cidr() == null) throw new TenantValidationException(where + ": every entry needs a cidr");
            cidr(where, e.cidr());
        }
    }

    private static void cidr(String where, String value) {
        try {
            Cidr.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TenantValidationException(where + ": " + e.getMessage());
        }
    }

    private static String normalizedOrEmpty(String domain) {
        try {
            return Domains.normalize(domain);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    /** A domain name, or a wildcard "*.domain" covering one more label. */
    private static void name(String where, String value) {
        String bare = value.trim().startsWith("*.") ? value.trim().substring(2) : value;
        try {
            Domains.normalize(bare);
        } catch (IllegalArgumentException e) {
            throw new TenantValidationException(where + ": " + e.getMessage());
        }
    }

    private static void oneOf(String where, String value, Set<String> allowed) {
        if (!allowed.contains(value)) throw new TenantValidationException(where + " must be one of " + allowed + ", not '" + value + "'");
    }

    private static void scl(String where, int value) {
        if (value < -1 || value > 9) throw new TenantValidationException(where + " must be an SCL from -1 to 9");
    }
}
