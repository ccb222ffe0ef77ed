package org.postern.quarantine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.postern.store.Jdbc;
import org.postern.store.StoreUnavailableException;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Quarantine in the shared store ({@code quarantine} and {@code quarantine_chunk}, migration V10): any node lists,
 * previews and releases any held message.
 *
 * <p>{@link #hold} on PostgreSQL is one JDBC batch (one round trip for a message up to 4 MiB): a statement per
 * chunk, the message's row riding on the last one; its commit is the moment the message is held (PostgreSQL's
 * commit is durable before it returns, so the client hears 250 only after it). On H2 it is one transaction. A release names the releasing node: that node's {@link QuarantineKeeper} claims
 * the message and spools it; a release from the CLI (no node), or one whose node has not claimed it within
 * {@link #ORPHANED_AFTER}, is claimed by whichever node asks first. The claim is a conditional update, so two nodes
 * never both spool a message.
 */
public final class JdbcQuarantine implements Quarantine {

    /** The largest body chunk: small enough to stay out of the way in memory, large enough for few rows. */
    static final int CHUNK = 256 * 1024;
    /** Chunks sent per batch: bounds the driver's buffered parameters to 4 MiB for very large messages. */
    private static final int CHUNKS_PER_BATCH = 16;
    static final Duration ORPHANED_AFTER = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() { };
    private static final String COLUMNS = "id, tenant_id, held_at, mail_from, recipients, subject, size_bytes, reason, "
            + "delivery_target, chunks, released_by, released_at";

    private final DataSource dataSource;
    private final String node;
    private final Clock clock;

    /**
     * @param node the node that releases and spools through this instance; empty for a tool without a node (the CLI)
     */
    public JdbcQuarantine(DataSource dataSource, String node, Clock clock) {
        this.dataSource = dataSource;
        this.node = node;
        this.clock = clock;
    }

    /**
     * PostgreSQL: one statement per chunk, all chunks of a message in one JDBC batch, the message's row riding on
     * the last chunk's statement (its {@code WHERE ?} is true only there). The batch is one round trip and one
     * implicit transaction, so the row exists exactly when every chunk does.
     */
    private static final String HOLD_PG = "WITH q AS (INSERT INTO quarantine (id, tenant_id, held_at, mail_from, recipients,"
            + " subject, size_bytes, reason, delivery_target, chunks) SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE ?)"
            + " INSERT INTO quarantine_chunk (id, seq, data, written_at) VALUES (?, ?, ?, ?)";
    private static final String CHUNK_INSERT = "INSERT INTO quarantine_chunk (id, seq, data, written_at) VALUES (?, ?, ?, ?)";
    private static final String ROW_INSERT = "INSERT INTO quarantine (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)";

    /** Whether the store is PostgreSQL; null until the first hold asks. */
    private volatile Boolean postgres;

    @Override
    public void hold(QuarantinedMessage m, String headers, Path content) throws IOException {
        byte[] head = headers.getBytes(StandardCharsets.UTF_8);
        long total = head.length + Files.size(content);
        int chunks = (int) Math.max(1, (total + CHUNK - 1) / CHUNK);
        Instant now = clock.instant();
        try (InputStream in = new SequenceInputStream(new java.io.ByteArrayInputStream(head), Files.newInputStream(content))) {
            store(() -> {
                if (isPostgres()) {
                    return Jdbc.query(dataSource, "holding quarantined message " + m.id(), c -> {
                        try (PreparedStatement ps = c.prepareStatement(HOLD_PG)) {
                            writeChunks(ps, in, m, chunks, now, 12, seq -> {
                                bindRow(ps, 1, m, chunks);
                                ps.setBoolean(11, seq == chunks - 1);
                            });
                        }
                        return null;
                    });
                }
                return Jdbc.inTransaction(dataSource, "holding quarantined message " + m.id(), c -> {
                    try (PreparedStatement ps = c.prepareStatement(CHUNK_INSERT)) {
                        writeChunks(ps, in, m, chunks, now, 1, seq -> { });
                    }
                    try (PreparedStatement ps = c.prepareStatement(ROW_INSERT)) {
                        bindRow(ps, 1, m, chunks);
                        ps.executeUpdate();
                    }
                    return null;
                });
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private interface ChunkBinder {
        void bind(int seq) throws SQLException;
    }

    /** Adds one batch entry per chunk (chunk parameters from {@code first}), sent every {@link #CHUNKS_PER_BATCH}. */
    private static void writeChunks(PreparedStatement ps, InputStream in, QuarantinedMessage m, int chunks, Instant now,
                                    int first, ChunkBinder more) throws SQLException {
        int batched = 0;
        for (int seq = 0; seq < chunks; seq++) {
            byte[] chunk;
            try {
                chunk = in.readNBytes(CHUNK);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            more.bind(seq);
            ps.setString(first, m.id());
            ps.setInt(first + 1, seq);
            ps.setBytes(first + 2, chunk);
            ps.setObject(first + 3, Jdbc.timestamp(now));
            ps.addBatch();
            if (++batched == CHUNKS_PER_BATCH) {
                ps.executeBatch();
                batched = 0;
            }
        }
        if (batched > 0) ps.executeBatch();
    }

    private static void bindRow(PreparedStatement ps, int first, QuarantinedMessage m, int chunks) throws SQLException {
        int i = first;
        ps.setString(i++, m.id());
        ps.setString(i++, m.tenant());
        ps.setObject(i++, Jdbc.timestamp(m.heldAt()));
        ps.setString(i++, text(m.mailFrom(), 1024));
        ps.setString(i++, json(m.recipients()));
        ps.setString(i++, text(m.subject(), 4096));
        ps.setLong(i++, m.size());
        ps.setString(i++, text(m.reason(), 4096));
        ps.setString(i++, text(m.deliveryTarget(), 1024));
        ps.setInt(i, chunks);
    }

    private boolean isPostgres() {
        Boolean known = postgres;
        if (known == null) {
            known = Jdbc.query(dataSource, "asking the store's kind",
                    c -> c.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT).contains("postgres"));
            postgres = known;
        }
        return known;
    }

    @Override
    public List<QuarantinedMessage> list(String tenant) throws IOException {
        return store(() -> Jdbc.query(dataSource, "listing the quarantine of " + tenant, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                    + " FROM quarantine WHERE tenant_id = ? AND released_at IS NULL ORDER BY held_at DESC, id DESC")) {
                ps.setString(1, tenant);
                return read(ps);
            }
        }));
    }

    @Override
    public Optional<QuarantinedMessage> find(String tenant, String id) throws IOException {
        return held(tenant, id).map(Row::message);
    }

    @Override
    public InputStream open(String tenant, String id) throws IOException {
        Row row = held(tenant, id).orElseThrow(() -> new java.nio.file.NoSuchFileException("no held message " + id));
        return new ChunkStream(id, row.chunks());
    }

    @Override
    public boolean release(String tenant, String id, String by, Instant at) throws IOException {
        return store(() -> Jdbc.query(dataSource, "releasing quarantined message " + id, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE quarantine SET released_by = ?, released_at = ?, "
                    + "release_node = ? WHERE tenant_id = ? AND id = ? AND released_at IS NULL")) {
                ps.setString(1, text(by, 1024));
                ps.setObject(2, Jdbc.timestamp(at));
                ps.setString(3, node);
                ps.setString(4, tenant);
                ps.setString(5, id);
                return ps.executeUpdate() == 1;
            }
        }));
    }

    @Override
    public boolean delete(String tenant, String id) throws IOException {
        return store(() -> Jdbc.inTransaction(dataSource, "deleting quarantined message " + id, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM quarantine WHERE tenant_id = ? AND id = ? AND released_at IS NULL")) {
                ps.setString(1, tenant);
                ps.setString(2, id);
                if (ps.executeUpdate() == 0) return false;
            }
            deleteChunks(c, id);
            return true;
        }));
    }

    @Override
    public int expire(String tenant, Instant cutoff) throws IOException {
        return store(() -> Jdbc.inTransaction(dataSource, "expiring the quarantine of " + tenant, c -> {
            try (PreparedStatement chunks = c.prepareStatement("DELETE FROM quarantine_chunk WHERE id IN (SELECT id FROM "
                    + "quarantine WHERE tenant_id = ? AND held_at < ? AND released_at IS NULL)");
                 PreparedStatement rows = c.prepareStatement(
                         "DELETE FROM quarantine WHERE tenant_id = ? AND held_at < ? AND released_at IS NULL");
                 PreparedStatement orphans = c.prepareStatement("DELETE FROM quarantine_chunk WHERE written_at < ? "
                         + "AND NOT EXISTS (SELECT 1 FROM quarantine q WHERE q.id = quarantine_chunk.id)")) {
                for (PreparedStatement ps : List.of(chunks, rows)) {
                    ps.setString(1, tenant);
                    ps.setObject(2, Jdbc.timestamp(cutoff));
                }
                chunks.executeUpdate();
                int n = rows.executeUpdate();
                // Bodies of holds that never got their row (the node died between the two writes).
                orphans.setObject(1, Jdbc.timestamp(clock.instant().minus(Duration.ofHours(1))));
                orphans.executeUpdate();
                return n;
            }
        }));
    }

    @Override
    public List<String> tenants() throws IOException {
        return store(() -> Jdbc.query(dataSource, "listing quarantine tenants", c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT tenant_id FROM quarantine ORDER BY tenant_id");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getString(1));
            }
            return out;
        }));
    }

    /** Released messages for this node, claimed by it: its own releases, the CLI's, and orphaned ones. */
    @Override
    public List<QuarantinedMessage> released() throws IOException {
        if (node.isEmpty()) return List.of(); // a tool without a node never spools
        return store(() -> Jdbc.query(dataSource, "claiming released messages", c -> {
            List<QuarantinedMessage> candidates;
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM quarantine WHERE released_at IS NOT NULL"
                    + " AND (claimed_by = ? OR (claimed_by IS NULL AND (release_node = ? OR release_node = '' OR released_at < ?)))"
                    + " ORDER BY released_at")) {
                ps.setString(1, node);
                ps.setString(2, node);
                ps.setObject(3, Jdbc.timestamp(clock.instant().minus(ORPHANED_AFTER)));
                candidates = read(ps);
            }
            List<QuarantinedMessage> claimed = new ArrayList<>();
            try (PreparedStatement claim = c.prepareStatement(
                    "UPDATE quarantine SET claimed_by = ? WHERE id = ? AND (claimed_by IS NULL OR claimed_by = ?)")) {
                for (QuarantinedMessage m : candidates) {
                    claim.setString(1, node);
                    claim.setString(2, m.id());
                    claim.setString(3, node);
                    if (claim.executeUpdate() == 1) claimed.add(m);
                }
            }
            return claimed;
        }));
    }

    @Override
    public InputStream openReleased(String id) throws IOException {
        int chunks = store(() -> Jdbc.query(dataSource, "reading released message " + id, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT chunks FROM quarantine WHERE id = ? AND released_at IS NOT NULL")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getInt(1) : -1;
                }
            }
        }));
        if (chunks < 0) throw new java.nio.file.NoSuchFileException("no released message " + id);
        return new ChunkStream(id, chunks);
    }

    @Override
    public void forgetReleased(String id) throws IOException {
        store(() -> Jdbc.inTransaction(dataSource, "forgetting released message " + id, c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM quarantine WHERE id = ? AND released_at IS NOT NULL")) {
                ps.setString(1, id);
                ps.executeUpdate();
            }
            deleteChunks(c, id);
            return null;
        }));
    }

    private record Row(QuarantinedMessage message, int chunks) { }

    private Optional<Row> held(String tenant, String id) throws IOException {
        return store(() -> Jdbc.query(dataSource, "reading quarantined message " + id, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                    + " FROM quarantine WHERE tenant_id = ? AND id = ? AND released_at IS NULL")) {
                ps.setString(1, tenant);
                ps.setString(2, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new Row(message(rs), rs.getInt("chunks"))) : Optional.<Row>empty();
                }
            }
        }));
    }

    private static void deleteChunks(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM quarantine_chunk WHERE id = ?")) {
            ps.setString(1, id);
            ps.executeUpdate();
        }
    }

    private static List<QuarantinedMessage> read(PreparedStatement ps) throws SQLException {
        List<QuarantinedMessage> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.add(message(rs));
        }
        return out;
    }

    private static QuarantinedMessage message(ResultSet rs) throws SQLException {
        var releasedAt = rs.getObject("released_at", java.time.OffsetDateTime.class);
        List<String> recipients;
        try {
            recipients = JSON.readValue(rs.getString("recipients"), STRINGS);
        } catch (JsonProcessingException e) {
            throw new SQLException("unreadable recipients of quarantined message " + rs.getString("id"), e);
        }
        return new QuarantinedMessage(rs.getString("id"), rs.getString("tenant_id"), Jdbc.instant(rs, "held_at"),
                rs.getString("mail_from"), recipients, rs.getString("subject"), rs.getLong("size_bytes"), rs.getString("reason"),
                rs.getString("delivery_target"), Optional.ofNullable(rs.getString("released_by")),
                Optional.ofNullable(releasedAt).map(java.time.OffsetDateTime::toInstant));
    }

    /** The body, one chunk fetched at a time: at most {@link #CHUNK} bytes of it in memory. */
    private final class ChunkStream extends InputStream {
        private final String id;
        private final int chunks;
        private int next;
        private byte[] current = new byte[0];
        private int pos;

        ChunkStream(String id, int chunks) {
            this.id = id;
            this.chunks = chunks;
        }

        private boolean fill() throws IOException {
            while (pos >= current.length) {
                if (next >= chunks) return false;
                int seq = next++;
                current = store(() -> Jdbc.query(dataSource, "reading quarantined message " + id, c -> {
                    try (PreparedStatement ps = c.prepareStatement("SELECT data FROM quarantine_chunk WHERE id = ? AND seq = ?")) {
                        ps.setString(1, id);
                        ps.setInt(2, seq);
                        try (ResultSet rs = ps.executeQuery()) {
                            if (!rs.next()) throw new SQLException("chunk " + seq + " of quarantined message " + id + " is missing");
                            return rs.getBytes(1);
                        }
                    }
                }));
                pos = 0;
            }
            return true;
        }

        @Override
        public int read() throws IOException {
            return fill() ? current[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) return 0;
            if (!fill()) return -1;
            int n = Math.min(len, current.length - pos);
            System.arraycopy(current, pos, b, off, n);
            pos += n;
            return n;
        }
    }

    /** The store's failures reach callers (CLI, REST, edge) as IOException with the store's message. */
    private static <T> T store(Supplier<T> work) throws IOException {
        try {
            return work.get();
        } catch (StoreUnavailableException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private static String json(List<String> values) {
        try {
            return JSON.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Network text cut to its column and cleared of NUL, which PostgreSQL refuses. */
    private static String text(String s, int max) {
        String clean = s.replace("\0", "");
        return clean.length() > max ? clean.substring(0, max) : clean;
    }
}
