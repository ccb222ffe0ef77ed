package org.postern.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.stream.Stream;

/** A database opened for one test class: an H2 file in a temporary directory, or a fresh PostgreSQL database. */
interface TestDatabase extends AutoCloseable {

    Database database();

    /** The URL a second {@link Database} (or process) would open. */
    String url();

    @Override
    void close();

    /** Empties every table and resets the configuration version, between tests of one class. */
    default void wipe() {
        Jdbc.inTransaction(database().dataSource(), "wiping test tables", c -> {
            try (Statement s = c.createStatement()) {
                s.executeUpdate("DELETE FROM quarantine_chunk");
                s.executeUpdate("DELETE FROM quarantine");
                s.executeUpdate("DELETE FROM trace_delivery");
                s.executeUpdate("DELETE FROM trace_recipient");
                s.executeUpdate("DELETE FROM trace");
                s.executeUpdate("DELETE FROM tenant_domain");
                s.executeUpdate("DELETE FROM tenant");
                s.executeUpdate("UPDATE config_version SET version = 0");
            }
            return null;
        });
    }

    static TestDatabase h2() {
        return H2.create();
    }

    static TestDatabase postgres() {
        return PostgresTestServer.createDatabase();
    }

    final class H2 implements TestDatabase {
        private final Path dir;
        private final String url;
        private final Database database;

        private H2(Path dir) {
            this.dir = dir;
            this.url = "jdbc:h2:file:" + dir.resolve("postern").toAbsolutePath();
            this.database = Database.open(url);
        }

        static H2 create() {
            try {
                return new H2(Files.createTempDirectory("postern-h2-"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public Database database() {
            return database;
        }

        @Override
        public String url() {
            return url;
        }

        @Override
        public void close() {
            database.close();
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Used by tests that must reach a connection directly. */
    static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
