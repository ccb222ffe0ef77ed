package org.postern.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
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
 * <p>Writes are on the SMTP path, so they are cheap: {@link #record} is one transaction of an insert (an update
 * when the ref exists) and the insert of the recipients; {@link #delivery} locks the
 * message's row (reading its status, verdict and recipients with it), appends the attempt, reads the outcomes of
 * the message's attempts and moves the status by {@link DeliveryStatusRule}, so concurrent attempts for one message
 * cannot lose an update (on H2, for a message this node recorded itself, from what it remembers: see {@code recent}). Each statement is one prepared-statement string, so the database's statement cache
 * (H2's per-session query cache) serves them without parsing.
 */
public final class JdbcTraceStore implements TraceStore {

    /** The most rows one search returns, whatever the query asks. */
    public static final int MAX_LIMIT = 10_000;

    private static final String INSERT = "INSERT INTO trace (ref, " + String.join(", ", TraceRows.COLUMNS)
            + ") VALUES (?" + ", ?".repeat(TraceRows.COLUMNS.size()) + ")";
    private static final String UPDATE = "UPDATE trace SET "
            + TraceRows.COLUMNS.stream().map(c -> c + " = ?").collect(Collectors.joining(", ")) + " WHERE ref = ?";

    private final DataSource dataSource;
    /** Whether the data source is PostgreSQL; null until the first delivery asks. */
    private volatile Boolean postgres;

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
        if (postgres == Boolean.TRUE) {
            Jdbc.query(dataSource, "recording trace " + record.ref(), c -> upsert(c, record));
            return;
        }
        Boolean fresh = Jdbc.inTransaction(dataSource, "recording trace " + record.ref(), c -> {
            if (isPostgres(c)) {
                upsert(c, record); // learnt on this first write
                return null;
            }
            // Almost every record is new: the insert is tried first, and a duplicate key (H2 undoes just that
            // statement) means the ref exists and its row is replaced.
            boolean inserted = insert(c, record);
            if (!inserted && !replace(c, record)) insert(c, record);
            insertRecipients(c, record, TraceRows.recipientKeys(record.recipients()));
            return inserted;
        });
        // A replaced record keeps its earlier attempts, which only the database knows.
        if (Boolean.TRUE.equals(fresh)) {
            recent.put(record.ref(), new Known(record.status(), record.status(), TraceRows.storedRecipients(record), List.of()));
        } else {
            recent.remove(record.ref());
        }
    }

    /**
     * PostgreSQL: the record and its recipients in one statement (one round trip, committed on its own): an upsert
     * on the partition key, the recipients no longer named deleted, the new ones inserted.
     */
    private static final String UPSERT = "WITH t AS (INSERT INTO trace (ref, " + String.join(", ", TraceRows.COLUMNS)
            + ") VALUES (?" + ", ?".repeat(TraceRows.COLUMNS.size()) + ") ON CONFLICT (ref, received_at) DO UPDATE SET "
            + TraceRows.COLUMNS.stream().filter(col -> !col.equals("received_at")).map(col -> col + " = EXCLUDED." + col)
                    .collect(Collectors.joining(", "))
            + " RETURNING ref, received_at), "
            + "d AS (DELETE FROM trace_recipient r USING t WHERE r.ref = t.ref AND r.received_at = t.received_at"
            + " AND NOT (r.address = ANY (CAST(? AS VARCHAR[])))) "
            + "INSERT INTO trace_recipient (ref, address, received_at) SELECT t.ref, a.address, t.received_at FROM t"
            + " CROSS JOIN unnest(CAST(? AS VARCHAR[])) AS a(address) ON CONFLICT DO NOTHING";

    private static Void upsert(Connection c, TraceRecord record) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
            ps.setString(1, record.ref());
            int next = TraceRows.bind(ps, 2, record);
            java.sql.Array keys = c.createArrayOf("varchar", TraceRows.recipientKeys(record.recipients()).toArray());
            ps.setArray(next, keys);
            ps.setArray(next + 1, keys);
            ps.executeUpdate();
        }
        return null;
    }

    /**
     * H2's row lock for {@link #delivery}: the embedded store belongs to one node, whose gateway is the only writer of
     * delivery attempts (CLI tools reach the file through AUTO_SERVER but do not deliver), so a lock in this JVM
     * serialises attempts for one message as well as the database would, without writing the row to lock it.
     */
    private final ReentrantLock[] h2RowLocks = new ReentrantLock[64];

    {
        for (int i = 0; i < h2RowLocks.length; i++) h2RowLocks[i] = new ReentrantLock();
    }

    @Override
    public void delivery(DeliveryEvent event) {
        if (!isPostgres()) {
            ReentrantLock lock = h2RowLocks[Math.floorMod(event.ref().hashCode(), h2RowLocks.length)];
            lock.lock();
            try {
                recordDelivery(event);
            } finally {
                lock.unlock();
            }
        } else {
            recordDelivery(event);
        }
    }

    /**
     * H2: what {@link #delivery} needs of the messages this node recorded lately (status, verdict, recipients and the
     * outcomes of their attempts), so an attempt appends and moves the status without reading the row back. Sound
     * because on H2 this node writes every trace row and attempt itself (see {@link #h2RowLocks}); a message it does
     * not know (older, replaced, or from before a restart) is read from the database as on PostgreSQL.
     */
    private record Known(TraceStatus status, TraceStatus verdict, List<String> recipients, List<DeliveryStatusRule.Outcome> outcomes) {
        /** After one more attempt: its outcome appended, and the status that follows from all of them. */
        Known after(DeliveryEvent event) {
            List<DeliveryStatusRule.Outcome> all = new ArrayList<>(outcomes);
            all.add(new DeliveryStatusRule.Outcome(event.recipient(), event.outcome()));
            TraceStatus next = DeliveryStatusRule.movesStatus(verdict)
                    ? DeliveryStatusRule.statusAfterOutcomes(verdict, status, recipients, all)
                    : status;
            return new Known(next, verdict, recipients, List.copyOf(all));
        }
    }

    private static final int RECENT_LIMIT = 20_000;
    private final Map<String, Known> recent = Collections.synchronizedMap(new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Known> eldest) {
            return size() > RECENT_LIMIT;
        }
    });

    private void recordDelivery(DeliveryEvent event) {
        Known known = postgres == Boolean.FALSE ? recent.get(event.ref()) : null;
        if (known != null) {
            Known after = known.after(event);
            Jdbc.inTransaction(dataSource, "recording a delivery attempt for " + event.ref(), c -> {
                insertDelivery(c, event);
                if (after.status() != known.status()) updateStatus(c, event.ref(), after.status());
                return null;
            });
            recent.put(event.ref(), after);
            return;
        }
        Jdbc.inTransaction(dataSource, "recording a delivery attempt for " + event.ref(), c -> {
            Optional<LockedRow> row = lockRow(c, event.ref());
            insertDelivery(c, event);
            if (row.isPresent() && DeliveryStatusRule.movesStatus(row.get().verdict())) {
                LockedRow r = row.get();
                TraceStatus next = DeliveryStatusRule.statusAfterOutcomes(r.verdict(), r.status(), r.recipients(),
                        outcomes(c, event.ref()));
                if (next != r.status()) {
                    updateStatus(c, event.ref(), next);
                }
            }
            return null;
        });
    }

    /** What {@link #delivery} needs of a message's row; the record's recipients (the rule ignores case). */
    private record LockedRow(TraceStatus status, TraceStatus verdict, List<String> recipients) {
    }

    /**
     * Reads the message's row and locks it until commit, so concurrent attempts for one message are serialised.
     * PostgreSQL: {@code SELECT ... FOR UPDATE}. H2: a plain select, while {@link #delivery} holds the message's lock
     * in this JVM (H2 would parse and plan a {@code FOR UPDATE} query again on every execution).
     */
    private Optional<LockedRow> lockRow(Connection c, String ref) throws SQLException {
        boolean selectForUpdate = isPostgres(c);
        try (PreparedStatement read = c.prepareStatement("SELECT status, verdict, recipients FROM trace WHERE ref = ?"
                + (selectForUpdate ? " FOR UPDATE" : ""))) {
            read.setString(1, ref);
            try (ResultSet row = read.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(new LockedRow(TraceStatus.valueOf(row.getString("status")),
                        TraceStatus.valueOf(row.getString("verdict")), TraceRows.recipients(row.getString("recipients"))));
            }
        }
    }

    /** Whether the store is PostgreSQL, asking the database the first time. */
    private boolean isPostgres() {
        Boolean known = postgres;
        return known != null ? known : Jdbc.query(dataSource, "reading the store's database product", this::isPostgres);
    }

    private boolean isPostgres(Connection c) throws SQLException {
        Boolean known = postgres;
        if (known == null) {
            known = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres");
            postgres = known;
        }
        return known;
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
            try (PreparedStatement recipients = c.prepareStatement("DELETE FROM trace_recipient WHERE received_at < ?")) {
                recipients.setObject(1, Jdbc.timestamp(cutoff)); // no cascade on PostgreSQL's partitioned tables
                recipients.executeUpdate();
            }
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

    /** Inserts the row; false when one with the same ref exists. */
    private static boolean insert(Connection c, TraceRecord record) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            ps.setString(1, record.ref());
            TraceRows.bind(ps, 2, record);
            ps.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) return false;
            throw e;
        }
    }

    private static final String UNIQUE_VIOLATION = "23505";

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

    private static void insertRecipients(Connection c, TraceRecord record, Set<String> keys) throws SQLException {
        if (keys.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO trace_recipient (ref, address, received_at) VALUES (?, ?, ?)")) {
            for (String key : keys) {
                ps.setString(1, record.ref());
                ps.setString(2, key);
                ps.setObject(3, Jdbc.timestamp(record.receivedAt()));
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

    /** Recipient and outcome of the message's attempts, oldest first (the order {@link #deliveries} lists). */
    private static List<DeliveryStatusRule.Outcome> outcomes(Connection c, String ref) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT recipient, outcome FROM trace_delivery WHERE ref = ? ORDER BY attempted_at, id")) {
            ps.setString(1, ref);
            try (ResultSet rs = ps.executeQuery()) {
                List<DeliveryStatusRule.Outcome> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new DeliveryStatusRule.Outcome(rs.getString(1), TraceStatus.valueOf(rs.getString(2))));
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
