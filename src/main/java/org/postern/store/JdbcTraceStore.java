package org.postern.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.postern.trace.DeliveryEvent;
import org.postern.trace.DeliveryStatusRule;
import org.postern.trace.TraceQuery;
import org.postern.trace.TraceRecord;
import org.postern.trace.TraceStatus;
import org.postern.trace.TraceStore;

/**
 * Message trace in the {@code trace}, {@code trace_recipient} and {@code trace_delivery} tables.
 *
 * <p>Writes are on the SMTP path, so they are cheap: {@link #record} is one transaction of an insert plus one
 * batched insert of the recipients; {@link #delivery} locks the message's row, appends the attempt and moves the
 * status by {@link DeliveryStatusRule}, so concurrent attempts for one message cannot lose an update.
 */
public final class JdbcTraceStore implements TraceStore {

    /** The most rows one search returns, whatever the query asks. */
    public static final int MAX_LIMIT = 10_000;

    private static final String INSERT = "INSERT INTO trace (ref, " + String.join(", ", TraceRows.COLUMNS)
            + ") VALUES (?" + ", ?".repeat(TraceRows.COLUMNS.size()) + ")";
    private static final String UPDATE = "UPDATE trace SET "
            + TraceRows.COLUMNS.stream().map(c -> c + " = ?").collect(Collectors.joining(", ")) + " WHERE ref = ?";

    private final DataSource dataSource;

    public JdbcTraceStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Inserts the record, or replaces the one with the same ref (its status and verdict become this record's;
     * delivery attempts already stored stay).
     */
    @Override
    public void record(TraceRecord record) {
        if (record.ref().length() > TraceRows.MAX_REF) {
            throw new IllegalArgumentException("trace ref longer than " + TraceRows.MAX_REF + " characters");
        }
        Jdbc.inTransaction(dataSource, "recording trace " + record.ref(), c -> {
            boolean replaced = replace(c, record);
            if (!replaced) {
                try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                    ps.setString(1, record.ref());
                    TraceRows.bind(ps, 2, record);
                    ps.executeUpdate();
                }
            }
            insertRecipients(c, record.ref(), TraceRows.recipientKeys(record.recipients()));
            return null;
        });
    }

    @Override
    public void delivery(DeliveryEvent event) {
        Jdbc.inTransaction(dataSource, "recording a delivery attempt for " + event.ref(), c -> {
            try (PreparedStatement lock = c.prepareStatement(
                    "SELECT status, verdict FROM trace WHERE ref = ? FOR UPDATE")) {
                lock.setString(1, event.ref());
                try (ResultSet row = lock.executeQuery()) {
                    insertDelivery(c, event);
                    if (row.next()) {
                        TraceStatus current = TraceStatus.valueOf(row.getString("status"));
                        TraceStatus verdict = TraceStatus.valueOf(row.getString("verdict"));
                        List<String> recipients = List.copyOf(recipientsOf(c, event.ref()));
                        TraceStatus next = DeliveryStatusRule.statusAfter(verdict, current, recipients,
                                deliveries(c, event.ref()));
                        if (next != current) {
                            updateStatus(c, event.ref(), next);
                        }
                    }
                }
            }
            return null;
        });
    }

    /** Newest first (then by ref, descending, so pages are stable); the limit is capped at {@link #MAX_LIMIT}. */
    @Override
    public List<TraceRecord> search(TraceQuery query) {
        if (query.limit() < 1 || query.offset() < 0) {
            throw new IllegalArgumentException("trace query needs limit >= 1 and offset >= 0, got limit "
                    + query.limit() + ", offset " + query.offset());
        }
        TraceSearch search = TraceSearch.of(query, MAX_LIMIT);
        return Jdbc.query(dataSource, "searching the trace", c -> {
            try (PreparedStatement ps = c.prepareStatement(search.sql())) {
                search.bind(ps);
                try (ResultSet rs = ps.executeQuery()) {
                    List<TraceRecord> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(TraceRows.record(rs));
                    }
                    return out;
                }
            }
        });
    }

    @Override
    public List<DeliveryEvent> deliveries(String ref) {
        return Jdbc.query(dataSource, "reading delivery attempts of " + ref, c -> deliveries(c, ref));
    }

    /**
     * Retention: deletes the records received before {@code cutoff} (with their recipients) and the delivery
     * attempts made before it. Returns the number of records deleted.
     */
    public int purgeBefore(Instant cutoff) {
        return Jdbc.inTransaction(dataSource, "purging trace before " + cutoff, c -> {
            try (PreparedStatement records = c.prepareStatement("DELETE FROM trace WHERE received_at < ?");
                 PreparedStatement attempts = c.prepareStatement("DELETE FROM trace_delivery WHERE attempted_at < ?")) {
                records.setObject(1, Jdbc.timestamp(cutoff));
                attempts.setObject(1, Jdbc.timestamp(cutoff));
                int deleted = records.executeUpdate();
                attempts.executeUpdate();
                return deleted;
            }
        });
    }

    /** Updates an existing row in place; false when there is none. */
    private static boolean replace(Connection c, TraceRecord record) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(UPDATE)) {
            int next = TraceRows.bind(ps, 1, record);
            ps.setString(next, record.ref());
            if (ps.executeUpdate() == 0) {
                return false;
            }
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM trace_recipient WHERE ref = ?")) {
            ps.setString(1, record.ref());
            ps.executeUpdate();
        }
        return true;
    }

    private static void insertRecipients(Connection c, String ref, Set<String> keys) throws SQLException {
        if (keys.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO trace_recipient (ref, address) VALUES (?, ?)")) {
            for (String key : keys) {
                ps.setString(1, ref);
                ps.setString(2, key);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void insertDelivery(Connection c, DeliveryEvent event) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO trace_delivery (" + TraceRows.DELIVERY_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            TraceRows.bindDelivery(ps, event);
            ps.executeUpdate();
        }
    }

    private static List<String> recipientsOf(Connection c, String ref) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT address FROM trace_recipient WHERE ref = ?")) {
            ps.setString(1, ref);
            try (ResultSet rs = ps.executeQuery()) {
                List<String> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(rs.getString(1).toLowerCase(Locale.ROOT));
                }
                return out;
            }
        }
    }

    private static List<DeliveryEvent> deliveries(Connection c, String ref) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + TraceRows.DELIVERY_COLUMNS
                + " FROM trace_delivery WHERE ref = ? ORDER BY attempted_at, id")) {
            ps.setString(1, ref);
            try (ResultSet rs = ps.executeQuery()) {
                List<DeliveryEvent> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(TraceRows.delivery(rs));
                }
                return out;
            }
        }
    }

    private static void updateStatus(Connection c, String ref, TraceStatus status) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE trace SET status = ? WHERE ref = ?")) {
            ps.setString(1, status.name());
            ps.setString(2, ref);
            ps.executeUpdate();
        }
    }
}
