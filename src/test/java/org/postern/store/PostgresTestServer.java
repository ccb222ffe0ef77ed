package org.postern.store;

import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Assumptions;

/**
 * The PostgreSQL server the tests use: {@code 127.0.0.1:5432}, user {@code postgres}, unless
 * {@code POSTERN_TEST_PG_HOST}, {@code POSTERN_TEST_PG_USER} or {@code POSTERN_TEST_PG_PASSWORD} say otherwise.
 * Each test class gets its own database {@code postern_test_<random>}, dropped afterwards.
 *
 * <p>When the server cannot be reached the PostgreSQL tests are skipped on a workstation, but fail when the
 * environment variable {@code CI} is set, so a CI run cannot pass without having tested PostgreSQL.
 */
final class PostgresTestServer {

    static final String HOST = env("POSTERN_TEST_PG_HOST", "127.0.0.1:5432");
    static final String USER = env("POSTERN_TEST_PG_USER", "postgres");
    static final String PASSWORD = env("POSTERN_TEST_PG_PASSWORD", "");

    private PostgresTestServer() {
    }

    static String url(String database) {
        String url = "jdbc:postgresql://" + HOST + "/" + database + "?user=" + USER;
        return PASSWORD.isEmpty() ? url : url + "&password=" + PASSWORD;
    }

    static String randomName() {
        byte[] bytes = new byte[6];
        ThreadLocalRandom.current().nextBytes(bytes);
        return "postern_test_" + HexFormat.of().formatHex(bytes);
    }

    /** Skips (workstation) or fails (CI) unless the server answers. */
    static void requireServer() {
        try (Connection c = maintenance()) {
            c.isValid(2);
        } catch (SQLException e) {
            String why = "PostgreSQL at " + HOST + " is unreachable: " + e.getMessage();
            if (inCi()) {
                fail(why + " (CI is set, so PostgreSQL tests may not be skipped)");
            }
            Assumptions.abort(why);
        }
    }

    static TestDatabase createDatabase() {
        requireServer();
        String name = randomName();
        execute("CREATE DATABASE " + name);
        return new PostgresDatabase(name);
    }

    static void dropDatabase(String name) {
        try {
            execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (IllegalStateException e) {
            execute("DROP DATABASE IF EXISTS " + name); // before PostgreSQL 13
        }
    }

    static boolean databaseExists(String name) {
        try (Connection c = maintenance();
             var ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            ps.setString(1, name);
            try (var rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static void execute(String sql) {
        try (Connection c = maintenance(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    private static Connection maintenance() throws SQLException {
        Properties props = new Properties();
        props.setProperty("connectTimeout", "2");
        props.setProperty("loginTimeout", "2");
        return DriverManager.getConnection(url("postgres"), props);
    }

    private static boolean inCi() {
        String ci = System.getenv("CI");
        return ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false");
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static final class PostgresDatabase implements TestDatabase {
        private final String name;
        private final Database database;

        PostgresDatabase(String name) {
            this.name = name;
            Database opened;
            try {
                opened = Database.open(PostgresTestServer.url(name));
            } catch (RuntimeException e) {
                dropDatabase(name);
                throw e;
            }
            this.database = opened;
        }

        @Override
        public Database database() {
            return database;
        }

        @Override
        public String url() {
            return PostgresTestServer.url(name);
        }

        @Override
        public void close() {
            try {
                database.close();
            } finally {
                dropDatabase(name);
            }
        }
    }
}
