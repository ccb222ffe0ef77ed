package org.postern.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * The store: a small connection pool on H2 or PostgreSQL whose schema Flyway has brought up to date.
 *
 * <p>Opening fails fast — within about the connection timeout — with {@link StoreUnavailableException} when the
 * database cannot be reached, so a misconfigured node stops at startup instead of hanging. A PostgreSQL database
 * named in the URL that does not exist yet is created first (through the {@code postgres} maintenance database),
 * so {@code postern serve} against a new database name just works.
 *
 * <pre>{@code
 * try (Database db = Database.open("jdbc:h2:file:./data/postern")) {
 *     TraceStore trace = new JdbcTraceStore(db.dataSource());
 * }
 * }</pre>
 */
public final class Database implements AutoCloseable {

    public enum Kind { H2, POSTGRESQL }

    /** Where the store is and how the pool behaves. User and password may also be given in the URL. */
    public record Settings(String url, Optional<String> user, Optional<String> password, int maxPoolSize,
                           Duration connectionTimeout) {
        public Settings {
            Objects.requireNonNull(url, "url");
            if (maxPoolSize < 1) {
                throw new IllegalArgumentException("maxPoolSize must be at least 1");
            }
            if (connectionTimeout.toMillis() < 250) {
                throw new IllegalArgumentException("connectionTimeout must be at least 250ms");
            }
        }

        public static Settings of(String url) {
            return new Settings(url, Optional.empty(), Optional.empty(), 8, Duration.ofSeconds(2));
        }

        public Settings withCredentials(String newUser, String newPassword) {
            return new Settings(url, Optional.of(newUser), Optional.of(newPassword), maxPoolSize, connectionTimeout);
        }

        public Settings withMaxPoolSize(int size) {
            return new Settings(url, user, password, size, connectionTimeout);
        }

        public Settings withConnectionTimeout(Duration timeout) {
            return new Settings(url, user, password, maxPoolSize, timeout);
        }
    }

    private static final String MIGRATIONS = "classpath:db/migration";
    private static final String DUPLICATE_DATABASE = "42P04";
    private static final String UNKNOWN_DATABASE = "3D000";

    private final DatabaseUrl url;
    private final HikariDataSource pool;

    private Database(DatabaseUrl url, HikariDataSource pool) {
        this.url = url;
        this.pool = pool;
    }

    public static Database open(String url) {
        return open(Settings.of(url));
    }

    public static Database open(String url, String user, String password) {
        return open(Settings.of(url).withCredentials(user, password));
    }

    /**
     * Connects, creates the PostgreSQL database if it is missing, and migrates the schema.
     *
     * @throws StoreUnavailableException when the database cannot be reached or migrated
     * @throws IllegalArgumentException  when the URL is neither H2 nor PostgreSQL
     */
    public static Database open(Settings settings) {
        DatabaseUrl url = DatabaseUrl.parse(settings.url());
        if (url.isH2File() && System.getProperty("h2.bindAddress") == null) {
            // AUTO_SERVER listens for the other local Postern processes only (H2 reads this once, on first use).
            System.setProperty("h2.bindAddress", "127.0.0.1");
        }
        HikariDataSource pool = connect(url, settings);
        try {
            migrate(pool, url.kind());
        } catch (FlywayException e) {
            pool.close();
            throw new StoreUnavailableException("migrating the store schema at " + url.redacted() + " failed: "
                    + e.getMessage(), e);
        }
        return new Database(url, pool);
    }

    /** The pooled data source for repositories; failures surface through {@link Jdbc} as StoreUnavailableException. */
    public DataSource dataSource() {
        return pool;
    }

    /**
     * A connection of its own, outside the pool, with the pool's URL, credentials and driver settings: for a
     * session-bound use such as LISTEN, which a pooled connection would lose when handed to someone else.
     */
    Connection unpooledConnection() throws SQLException {
        Properties props = new Properties();
        pool.getDataSourceProperties().forEach((k, v) -> props.setProperty(k.toString(), v.toString()));
        if (pool.getUsername() != null) props.setProperty("user", pool.getUsername());
        if (pool.getPassword() != null) props.setProperty("password", pool.getPassword());
        return DriverManager.getConnection(url.jdbcUrl(), props);
    }

    public Kind kind() {
        return url.kind();
    }

    /** The JDBC URL in use, password hidden. */
    public String describe() {
        return url.redacted();
    }

    @Override
    public void close() {
        if (url.isH2Memory() && !pool.isClosed()) {
            // DB_CLOSE_DELAY=-1 keeps a memory database for the JVM's life; closing the store ends it.
            Jdbc.query(pool, "shutting down the in-memory store", c -> {
                try (Statement s = c.createStatement()) {
                    return s.execute("SHUTDOWN");
                }
            });
        }
        pool.close();
    }

    private static HikariDataSource connect(DatabaseUrl url, Settings settings) {
        try {
            return new HikariDataSource(poolConfig(url, settings));
        } catch (HikariPool.PoolInitializationException e) {
            Optional<String> missing = url.postgresDatabase().filter(db -> hasSqlState(e, UNKNOWN_DATABASE));
            if (missing.isEmpty()) {
                throw unreachable(url, e);
            }
            createPostgresDatabase(url, settings, missing.get());
            try {
                return new HikariDataSource(poolConfig(url, settings));
            } catch (HikariPool.PoolInitializationException again) {
                throw unreachable(url, again);
            }
        }
    }

    private static HikariConfig poolConfig(DatabaseUrl url, Settings settings) {
        long timeoutMillis = settings.connectionTimeout().toMillis();
        HikariConfig config = new HikariConfig();
        config.setPoolName("postern-store");
        config.setJdbcUrl(url.jdbcUrl());
        settings.user().ifPresent(config::setUsername);
        settings.password().ifPresent(config::setPassword);
        config.setMaximumPoolSize(settings.maxPoolSize());
        config.setMinimumIdle(Math.min(2, settings.maxPoolSize()));
        config.setConnectionTimeout(timeoutMillis);
        config.setValidationTimeout(Math.max(250, timeoutMillis / 2));
        config.setInitializationFailTimeout(1);
        Properties props = driverProperties(url, settings);
        props.stringPropertyNames().forEach(k -> config.addDataSourceProperty(k, props.getProperty(k)));
        return config;
    }

    /**
     * PostgreSQL driver defaults that keep an unreachable or silent server from hanging a node; a URL parameter
     * of the same name wins. The socket timeout bounds a query on a dead connection, and is generous because
     * retention purges run long.
     */
    private static Properties driverProperties(DatabaseUrl url, Settings settings) {
        Properties props = new Properties();
        if (url.kind() == Kind.POSTGRESQL) {
            String seconds = Long.toString(Math.max(1, settings.connectionTimeout().toSeconds()));
            props.setProperty("connectTimeout", seconds);
            props.setProperty("loginTimeout", seconds);
            props.setProperty("socketTimeout", "120");
            props.setProperty("tcpKeepAlive", "true");
            props.setProperty("reWriteBatchedInserts", "true");
            props.setProperty("ApplicationName", "postern");
        }
        return props;
    }

    private static void createPostgresDatabase(DatabaseUrl url, Settings settings, String name) {
        Properties props = driverProperties(url, settings);
        settings.user().ifPresent(u -> props.setProperty("user", u));
        settings.password().ifPresent(p -> props.setProperty("password", p));
        try (Connection c = DriverManager.getConnection(url.postgresMaintenanceUrl(), props);
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE \"" + name.replace("\"", "\"\"") + "\"");
        } catch (SQLException e) {
            if (!DUPLICATE_DATABASE.equals(e.getSQLState())) { // another node won the race: fine
                throw new StoreUnavailableException("database '" + name + "' does not exist and creating it at "
                        + DatabaseUrl.redact(url.postgresMaintenanceUrl()) + " failed: " + e.getMessage(), e);
            }
        }
    }

    /**
     * The shared migrations, then the vendor's own (trace partitioning exists on PostgreSQL only; H2 gets the
     * column it needs): a version number is used by at most one of {@code db/h2} and {@code db/postgresql} and
     * never by {@code db/migration}.
     */
    private static void migrate(DataSource dataSource, Kind kind) {
        Flyway.configure()
                .dataSource(dataSource)
                .locations(MIGRATIONS, kind == Kind.POSTGRESQL ? "classpath:db/postgresql" : "classpath:db/h2")
                .failOnMissingLocations(true)
                .cleanDisabled(true)
                .load()
                .migrate();
    }

    private static StoreUnavailableException unreachable(DatabaseUrl url, RuntimeException e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return new StoreUnavailableException("store unreachable at " + url.redacted() + ": " + root.getMessage(), e);
    }

    private static boolean hasSqlState(Throwable e, String state) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && state.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
