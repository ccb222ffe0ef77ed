package org.postern.account;

import org.postern.store.Jdbc;

import javax.sql.DataSource;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The accounts of all tenants: {@link #add} (or replace the password and role of) an account, {@link #verify} a login,
 * {@link #list} a tenant's accounts. The address is unique across tenants, so a login names its tenant.
 */
public final class AccountStore {

    private final DataSource db;
    private final PasswordHasher hasher;
    private final Clock clock;

    public AccountStore(DataSource db, PasswordHasher hasher, Clock clock) {
        this.db = db;
        this.hasher = hasher;
        this.clock = clock;
    }

    /**
     * Creates the account, or sets a new password and role for an existing one of the same tenant.
     *
     * @throws IllegalArgumentException when the address is malformed, the password empty, or the address belongs
     *                                  to another tenant
     */
    public Account add(String tenant, String email, Role role, String password) {
        if (role == Role.OPERATOR) throw new IllegalArgumentException("accounts are tenant-admin or user; operators use tokens");
        if (!email.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) throw new IllegalArgumentException("not an e-mail address: " + email);
        if (password.isEmpty()) throw new IllegalArgumentException("the password is empty");
        String key = email.strip().toLowerCase(Locale.ROOT);
        String hash = hasher.hash(password);
        return Jdbc.inTransaction(db, "adding account " + email, c -> {
            Optional<Account> existing = find(c, key);
            if (existing.isPresent() && !existing.get().tenant().equals(tenant)) {
                throw new IllegalArgumentException(email + " is an account of another tenant");
            }
            String sql = existing.isPresent()
                    ? "UPDATE account SET email = ?, tenant_id = ?, role = ?, password_hash = ?, created_at = ? WHERE email_lower = ?"
                    : "INSERT INTO account (email, tenant_id, role, password_hash, created_at, email_lower) VALUES (?, ?, ?, ?, ?, ?)";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, email.strip());
                ps.setString(2, tenant);
                ps.setString(3, role.wire());
                ps.setString(4, hash);
                ps.setObject(5, Jdbc.timestamp(clock.instant()));
                ps.setString(6, key);
                ps.executeUpdate();
            }
            return new Account(email.strip(), tenant, role);
        });
    }

    /** The account when the password is right; empty for an unknown address or a wrong password (same cost). */
    public Optional<Account> verify(String email, String password) {
        String key = email.strip().toLowerCase(Locale.ROOT);
        record Row(Account account, String hash) { }
        Optional<Row> row = Jdbc.query(db, "reading account " + email, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT email, tenant_id, role, password_hash FROM account WHERE email_lower = ?")) {
                ps.setString(1, key);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new Row(account(rs), rs.getString("password_hash"))) : Optional.<Row>empty();
                }
            }
        });
        if (row.isEmpty()) {
            hasher.verify(password, DUMMY); // an unknown address costs as much as a wrong password
            return Optional.empty();
        }
        return hasher.verify(password, row.get().hash()) ? Optional.of(row.get().account()) : Optional.empty();
    }

    public Optional<Account> find(String email) {
        return Jdbc.query(db, "reading account " + email, c -> find(c, email.strip().toLowerCase(Locale.ROOT)));
    }

    /** The tenant's accounts, by address. */
    public List<Account> list(String tenant) {
        return Jdbc.query(db, "listing accounts of " + tenant, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT email, tenant_id, role FROM account WHERE tenant_id = ? ORDER BY email_lower")) {
                ps.setString(1, tenant);
                List<Account> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(account(rs));
                }
                return out;
            }
        });
    }

    private static Optional<Account> find(java.sql.Connection c, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT email, tenant_id, role FROM account WHERE email_lower = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(account(rs)) : Optional.empty();
            }
        }
    }

    private static Account account(ResultSet rs) throws SQLException {
        return new Account(rs.getString("email"), rs.getString("tenant_id"), Role.parse(rs.getString("role")));
    }

    private static final String DUMMY = PasswordHasher.standard().hash("not a password");
}
