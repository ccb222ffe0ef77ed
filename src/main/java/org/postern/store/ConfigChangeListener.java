package org.postern.store;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * Tells a node at once when any node or tool changed the configuration: PostgreSQL {@code LISTEN} on
 * {@value #CHANNEL}, which every tenant write notifies on commit ({@link JdbcTenantDocumentStore}). One connection
 * of its own outside the pool (a pooled connection would be handed to others and lose the LISTEN), reopened after
 * a failure. Missing a notification costs little: the tenant directory still polls the configuration version.
 */
public final class ConfigChangeListener implements AutoCloseable {

    public static final String CHANNEL = "postern_config";
    private static final Logger log = LoggerFactory.getLogger(ConfigChangeListener.class);
    private static final Duration RECONNECT_AFTER = Duration.ofSeconds(2);

    private final Database database;
    private final Runnable onChange;
    private final Thread thread;
    private volatile boolean closed;
    private volatile Connection connection;

    private ConfigChangeListener(Database database, Runnable onChange) {
        this.database = database;
        this.onChange = onChange;
        this.thread = Thread.ofVirtual().name("postern-config-listener").unstarted(this::run);
    }

    /** Starts listening; {@code onChange} runs on the listener's thread once per notification batch. */
    public static ConfigChangeListener start(Database database, Runnable onChange) {
        if (database.kind() != Database.Kind.POSTGRESQL) {
            throw new IllegalArgumentException("LISTEN/NOTIFY needs PostgreSQL, not " + database.kind());
        }
        ConfigChangeListener l = new ConfigChangeListener(database, onChange);
        l.thread.start();
        return l;
    }

    private void run() {
        while (!closed) {
            try (Connection c = database.unpooledConnection()) {
                connection = c;
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + CHANNEL);
                }
                // A change made while we were not listening would be missed: reload once per (re)connection.
                onChange.run();
                PGConnection pg = c.unwrap(PGConnection.class);
                while (!closed) {
                    PGNotification[] got = pg.getNotifications(1000);
                    if (got != null && got.length > 0) {
                        log.debug("configuration version {} notified", got[got.length - 1].getParameter());
                        onChange.run();
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (closed) return;
                log.warn("configuration listener lost its connection (polling continues; reconnecting): {}", e.getMessage());
                try {
                    Thread.sleep(RECONNECT_AFTER);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        Connection c = connection;
        try {
            if (c != null) c.close();
        } catch (SQLException ignored) {
            // closing anyway
        }
        thread.interrupt();
    }
}
