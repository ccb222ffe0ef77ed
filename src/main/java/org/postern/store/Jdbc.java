package org.postern.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import javax.sql.DataSource;

/**
 * Runs units of JDBC work against a pool and turns every {@link SQLException} — a pool timeout included — into
 * {@link StoreUnavailableException}, so callers fail closed with one exception type. Repositories in other
 * packages (quarantine, audit) use it too.
 */
public final class Jdbc {

    /** A unit of work on one connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private Jdbc() {
    }

    /**
     * Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. A
     * {@link RuntimeException} thrown by the work (a domain conflict, say) propagates unchanged after the rollback.
     *
     * @param what what is being done, for the error message ("recording trace 4F2A")
     */
    public static <T> T inTransaction(DataSource dataSource, String what, Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection, e);
                throw e;
            }
        } catch (SQLException e) {
            throw unavailable(what, e);
        }
    }

    /** Runs {@code work} on one connection in auto-commit mode (single reads). */
    public static <T> T query(DataSource dataSource, String what, Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw unavailable(what, e);
        }
    }

    public static StoreUnavailableException unavailable(String what, SQLException e) {
        String state = e.getSQLState() == null ? "" : " [SQLState " + e.getSQLState() + "]";
        return new StoreUnavailableException("store unavailable while " + what + ": " + e.getMessage() + state, e);
    }

    /**
     * The JDBC value for a timestamp column. Truncated to microseconds, the precision both H2 and PostgreSQL
     * keep, so what is read back equals what was written on either database.
     */
    public static OffsetDateTime timestamp(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
    }

    /** Reads a non-null timestamp column written by {@link #timestamp(Instant)}. */
    public static Instant instant(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }

    private static void rollbackQuietly(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException rollbackFailure) {
            cause.addSuppressed(rollbackFailure);
        }
    }
}
