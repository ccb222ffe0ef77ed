package org.postern.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps the trace within {@code trace.retention}, once at start and then hourly. On PostgreSQL it first creates
 * the daily partitions for today and the {@value #DAYS_AHEAD} days ahead (so no write waits on DDL or lands in
 * the DEFAULT partition), then drops every partition whose whole day is older than the cutoff — a catalogue
 * operation, whatever the volume — and deletes what remains before the cutoff (the part of the boundary day, the
 * DEFAULT partition, delivery attempts). On H2 it is that DELETE alone. Nodes may run it concurrently: creating
 * and dropping tolerate another node having done it first.
 */
public final class TraceRetention implements AutoCloseable {

    static final int DAYS_AHEAD = 7;
    private static final Logger log = LoggerFactory.getLogger(TraceRetention.class);
    private static final Pattern PARTITION = Pattern.compile("(trace|trace_recipient)_p(\\d{8})");
    private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;
    private static final String ALREADY_EXISTS = "42P07";

    private final Database database;
    private final JdbcTraceStore trace;
    private final Duration retention;
    private final Clock clock;
    private Thread thread;
    private volatile boolean closed;

    public TraceRetention(Database database, Duration retention, Clock clock) {
        this.database = database;
        this.trace = new JdbcTraceStore(database.dataSource());
        this.retention = retention;
        this.clock = clock;
    }

    /** Runs a pass now and then every {@code every} on a virtual thread. */
    public TraceRetention start(Duration every) {
        thread = Thread.ofVirtual().name("postern-trace-retention").start(() -> {
            while (!closed) {
                try {
                    runOnce();
                } catch (RuntimeException e) {
                    log.warn("trace retention pass failed (next pass in {}): {}", every, e.getMessage());
                }
                try {
                    Thread.sleep(every);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        return this;
    }

    /** One pass: partitions ahead, old partitions dropped, the rest deleted. Returns the partitions dropped. */
    public List<String> runOnce() {
        Instant cutoff = clock.instant().minus(retention);
        List<String> dropped = new ArrayList<>();
        if (database.kind() == Database.Kind.POSTGRESQL) {
            LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
            Jdbc.query(database.dataSource(), "creating trace partitions", c -> {
                for (int d = 0; d <= DAYS_AHEAD; d++) {
                    try {
                        createPartition(c, today.plusDays(d));
                    } catch (SQLException e) {
                        // e.g. rows of that day already sit in DEFAULT (a clock far ahead): they stay there, are
                        // still found, and are deleted by the DELETE below once past retention.
                        log.warn("cannot create the trace partition for {} (its records stay in trace_default): {}",
                                today.plusDays(d), e.getMessage());
                    }
                }
                return null;
            });
            dropped = Jdbc.query(database.dataSource(), "dropping old trace partitions", c -> dropBefore(c, cutoff));
            if (!dropped.isEmpty()) log.info("trace retention {}: dropped partitions {}", retention, dropped);
        }
        int deleted = trace.purgeBefore(cutoff);
        if (deleted > 0) log.info("trace retention {}: deleted {} records received before {}", retention, deleted, cutoff);
        return dropped;
    }

    /** Creates the day's partitions of trace and trace_recipient unless they exist. */
    public static void createPartition(Connection c, LocalDate day) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT postern_trace_partition(?)")) {
            ps.setObject(1, day);
            ps.execute();
        } catch (SQLException e) {
            if (!ALREADY_EXISTS.equals(e.getSQLState())) throw e; // another node created it meanwhile
        }
    }

    /** The day partitions whose whole day lies before {@code cutoff}, dropped. */
    private static List<String> dropBefore(Connection c, Instant cutoff) throws SQLException {
        LocalDate firstKept = LocalDate.ofInstant(cutoff, ZoneOffset.UTC); // its day is only partly expired
        List<String> old = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT child.relname FROM pg_inherits i"
                + " JOIN pg_class child ON child.oid = i.inhrelid JOIN pg_class parent ON parent.oid = i.inhparent"
                + " WHERE parent.relname IN ('trace', 'trace_recipient') ORDER BY child.relname");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Matcher m = PARTITION.matcher(rs.getString(1));
                if (m.matches() && LocalDate.parse(m.group(2), DAY).isBefore(firstKept)) old.add(rs.getString(1));
            }
        }
        try (Statement s = c.createStatement()) {
            for (String name : old) s.execute("DROP TABLE IF EXISTS " + name); // names matched the pattern above
        }
        return old;
    }

    @Override
    public void close() {
        closed = true;
        if (thread != null) thread.interrupt();
    }
}
