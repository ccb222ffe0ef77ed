package org.postern.account;

import org.postern.policy.SubmitterRestrictions;
import org.postern.store.Jdbc;

import javax.sql.DataSource;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Submission users restricted from sending (an outbound limit with {@code on-limit: restrict}), in the store so every
 * node refuses them and a restart lifts nothing. Only an admin lifts a restriction ({@link #lift}).
 */
public final class SendingRestrictions implements SubmitterRestrictions {

    /** One restricted user: since when and why (the limit reached). */
    public record Restriction(String email, String tenant, Instant since, String reason) { }

    private final DataSource db;

    public SendingRestrictions(DataSource db) {
        this.db = db;
    }

    /** Restricts the user; restricting a restricted user keeps the first restriction. @return whether it is new */
    public boolean restrict(String tenant, String email, String reason, Instant at) {
        String key = email.strip().toLowerCase(Locale.ROOT);
        return Jdbc.inTransaction(db, "restricting " + email, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM submission_restriction WHERE email_lower = ?")) {
                ps.setString(1, key);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) return false;
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO submission_restriction (email_lower, tenant_id, restricted_at, reason) VALUES (?, ?, ?, ?)")) {
                ps.setString(1, key);
                ps.setString(2, tenant);
                ps.setObject(3, Jdbc.timestamp(at));
                ps.setString(4, reason.length() > 1000 ? reason.substring(0, 1000) : reason);
                ps.executeUpdate();
            }
            return true;
        });
    }

    @Override
    public boolean isRestricted(String email) {
        String key = email.strip().toLowerCase(Locale.ROOT);
        return Jdbc.query(db, "reading restriction of " + email, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM submission_restriction WHERE email_lower = ?")) {
                ps.setString(1, key);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    /** Lifts the restriction of one of the tenant's users. @return whether the user was restricted */
    public boolean lift(String tenant, String email) {
        String key = email.strip().toLowerCase(Locale.ROOT);
        return Jdbc.inTransaction(db, "lifting restriction of " + email, c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM submission_restriction WHERE email_lower = ? AND tenant_id = ?")) {
                ps.setString(1, key);
                ps.setString(2, tenant);
                return ps.executeUpdate() > 0;
            }
        });
    }

    public List<Restriction> list(String tenant) {
        return Jdbc.query(db, "listing restrictions of " + tenant, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT email_lower, tenant_id, restricted_at, reason FROM submission_restriction WHERE tenant_id = ? ORDER BY email_lower")) {
                ps.setString(1, tenant);
                List<Restriction> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Restriction(rs.getString("email_lower"), rs.getString("tenant_id"),
                                Jdbc.instant(rs, "restricted_at"), rs.getString("reason")));
                    }
                }
                return out;
            }
        });
    }
}
