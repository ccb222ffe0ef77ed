package org.postern.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * Tenant documents in the {@code tenant}, {@code tenant_domain} and {@code config_version} tables.
 *
 * <p>Every write bumps the single {@code config_version} row first, in the same transaction. That gives each
 * batch its version, makes {@link #latestVersion()} one primary-key read, and — because the row stays locked
 * until commit — serialises tenant writers, so two nodes cannot claim the same domain for different tenants.
 * The {@code tenant_domain} primary key backs that up.
 */
public final class JdbcTenantDocumentStore implements TenantDocumentStore {

    private final DataSource dataSource;
    private final Clock clock;

    public JdbcTenantDocumentStore(DataSource dataSource) {
        this(dataSource, Clock.systemUTC());
    }

    public JdbcTenantDocumentStore(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /**
     * All tenants of the batch get the same new version; the version in each {@link StoredTenant} passed in is
     * ignored. A tenant's domains are replaced by its entry in {@code domains} (no entry: no domains). A domain
     * may move between two tenants of the same batch.
     *
     * @throws DomainConflictException when a domain is owned by a tenant outside the batch, or claimed twice
     * @throws IllegalArgumentException when a tenant id repeats, or {@code domains} names a tenant not in the batch
     */
    @Override
    public void putAll(List<StoredTenant> tenants, Map<String, List<String>> domains) {
        if (tenants.isEmpty()) {
            return;
        }
        Map<String, String> claims = claims(tenants, domains);
        Jdbc.inTransaction(dataSource, "writing tenants " + ids(tenants), c -> {
            long version = bumpVersion(c);
            List<String> ids = tenants.stream().map(StoredTenant::id).toList();
            releaseDomains(c, ids);
            rejectForeignOwners(c, claims);
            upsert(c, tenants, version);
            insertDomains(c, claims);
            return null;
        });
    }

    @Override
    public Optional<StoredTenant> get(String id) {
        return Jdbc.query(dataSource, "reading tenant " + id, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, document, version FROM tenant WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(tenant(rs)) : Optional.empty();
                }
            }
        });
    }

    /** All tenants, ordered by id. */
    @Override
    public List<StoredTenant> all() {
        return Jdbc.query(dataSource, "reading all tenants", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, document, version FROM tenant ORDER BY id");
                 ResultSet rs = ps.executeQuery()) {
                List<StoredTenant> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(tenant(rs));
                }
                return out;
            }
        });
    }

    /** Deletes the tenant and releases its domains; the version changes only when a tenant was deleted. */
    @Override
    public boolean delete(String id) {
        return Jdbc.inTransaction(dataSource, "deleting tenant " + id, c -> {
            bumpVersion(c);
            releaseDomains(c, List.of(id));
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM tenant WHERE id = ?")) {
                ps.setString(1, id);
                if (ps.executeUpdate() == 0) {
                    c.rollback(); // nothing changed, so the version must not either
                    return false;
                }
                return true;
            }
        });
    }

    /** The configuration version: 0 before the first write, then grows with every put and delete. */
    @Override
    public long latestVersion() {
        return Jdbc.query(dataSource, "reading the configuration version", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT version FROM config_version WHERE id = 1");
                 ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    /** The tenant that owns {@code domain}, if any (lower-case A-label). */
    public Optional<String> ownerOf(String domain) {
        return Jdbc.query(dataSource, "looking up the owner of " + domain, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT tenant_id FROM tenant_domain WHERE domain = ?")) {
                ps.setString(1, normalise(domain));
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
                }
            }
        });
    }

    /** Domain → claiming tenant, checked for repeats within the batch before any database work. */
    private static Map<String, String> claims(List<StoredTenant> tenants, Map<String, List<String>> domains) {
        Set<String> ids = new HashSet<>();
        for (StoredTenant t : tenants) {
            if (!ids.add(t.id())) {
                throw new IllegalArgumentException("tenant " + t.id() + " appears twice in one batch");
            }
        }
        Map<String, String> claims = new TreeMap<>();
        domains.forEach((tenant, list) -> {
            if (!ids.contains(tenant)) {
                throw new IllegalArgumentException("domains given for tenant " + tenant + ", which is not in the batch");
            }
            for (String d : list) {
                String previous = claims.put(normalise(d), tenant);
                if (previous != null && !previous.equals(tenant)) {
                    throw new DomainConflictException("domain " + normalise(d) + " is claimed by two tenants of the batch",
                            normalise(d), previous);
                }
            }
        });
        return claims;
    }

    private static long bumpVersion(Connection c) throws SQLException {
        try (PreparedStatement up = c.prepareStatement("UPDATE config_version SET version = version + 1 WHERE id = 1")) {
            up.executeUpdate();
        }
        // On PostgreSQL the read also queues a NOTIFY, sent by the server when (and only if) the transaction commits:
        // every node's ConfigChangeListener reloads at once instead of at its next poll.
        boolean postgres = c.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT).contains("postgres");
        try (PreparedStatement ps = c.prepareStatement(postgres
                ? "SELECT version, pg_notify('" + ConfigChangeListener.CHANNEL + "', CAST(version AS TEXT)) FROM config_version WHERE id = 1"
                : "SELECT version FROM config_version WHERE id = 1");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void releaseDomains(Connection c, List<String> tenantIds) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM tenant_domain WHERE tenant_id = ?")) {
            for (String id : tenantIds) {
                ps.setString(1, id);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** After the batch's own domains were released, any remaining owner of a claimed domain is someone else. */
    private static void rejectForeignOwners(Connection c, Map<String, String> claims) throws SQLException {
        if (claims.isEmpty()) {
            return;
        }
        List<String> domains = new ArrayList<>(claims.keySet());
        for (int from = 0; from < domains.size(); from += 500) {
            List<String> chunk = domains.subList(from, Math.min(domains.size(), from + 500));
            String sql = "SELECT domain, tenant_id FROM tenant_domain WHERE domain IN ("
                    + String.join(",", Collections.nCopies(chunk.size(), "?")) + ") ORDER BY domain";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setString(i + 1, chunk.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        String domain = rs.getString(1);
                        throw new DomainConflictException("domain " + domain + " already belongs to another tenant",
                                domain, rs.getString(2));
                    }
                }
            }
        }
    }

    private void upsert(Connection c, List<StoredTenant> tenants, long version) throws SQLException {
        OffsetDateTime now = Jdbc.timestamp(clock.instant());
        Map<String, StoredTenant> missing = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE tenant SET document = ?, version = ?, updated_at = ? WHERE id = ?")) {
            for (StoredTenant t : tenants) {
                ps.setString(1, t.documentJson());
                ps.setLong(2, version);
                ps.setObject(3, now);
                ps.setString(4, t.id());
                if (ps.executeUpdate() == 0) {
                    missing.put(t.id(), t);
                }
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO tenant (id, document, version, updated_at) VALUES (?, ?, ?, ?)")) {
            for (StoredTenant t : missing.values()) {
                ps.setString(1, t.id());
                ps.setString(2, t.documentJson());
                ps.setLong(3, version);
                ps.setObject(4, now);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void insertDomains(Connection c, Map<String, String> claims) throws SQLException {
        if (claims.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO tenant_domain (domain, tenant_id) VALUES (?, ?)")) {
            for (Map.Entry<String, String> claim : claims.entrySet()) {
                ps.setString(1, claim.getKey());
                ps.setString(2, claim.getValue());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static StoredTenant tenant(ResultSet rs) throws SQLException {
        return new StoredTenant(rs.getString("id"), rs.getString("document"), rs.getLong("version"));
    }

    private static String normalise(String domain) {
        String d = domain.strip().toLowerCase(Locale.ROOT);
        return d.endsWith(".") ? d.substring(0, d.length() - 1) : d;
    }

    private static String ids(List<StoredTenant> tenants) {
        List<String> ids = tenants.stream().map(StoredTenant::id).limit(5).toList();
        return String.join(", ", ids) + (tenants.size() > 5 ? ", ..." : "");
    }
}
