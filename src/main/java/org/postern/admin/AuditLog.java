package org.postern.admin;

import org.postern.store.Jdbc;

import javax.sql.DataSource;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Every configuration change made through the API or console: who, when, what, and the document before and after. */
public final class AuditLog {

    public record Entry(long id, String tenant, Instant at, String actor, String action, String before, String after) { }

    private final DataSource db;
    private final Clock clock;

    public AuditLog(DataSource db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public void record(String tenant, String actor, String action, String before, String after) {
        Jdbc.inTransaction(db, "writing the audit log", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO audit_log (tenant_id, at, actor, action, before_doc, after_doc) VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, tenant);
                ps.setObject(2, Jdbc.timestamp(clock.instant()));
                ps.setString(3, actor);
                ps.setString(4, action);
                ps.setString(5, before);
                ps.setString(6, after);
                return ps.executeUpdate();
            }
        });
    }

    /** The tenant's changes, newest first. */
    public List<Entry> list(String tenant, int limit, int offset) {
        return Jdbc.query(db, "reading the audit log", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, tenant_id, at, actor, action, before_doc, after_doc FROM audit_log"
                    + " WHERE tenant_id = ? ORDER BY at DESC, id DESC OFFSET ? ROWS FETCH FIRST ? ROWS ONLY")) {
                ps.setString(1, tenant);
                ps.setInt(2, offset);
                ps.setInt(3, limit);
                List<Entry> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Entry(rs.getLong("id"), rs.getString("tenant_id"), Jdbc.instant(rs, "at"), rs.getString("actor"),
                                rs.getString("action"), rs.getString("before_doc"), rs.getString("after_doc")));
                    }
                }
                return out;
            }
        });
    }
}
