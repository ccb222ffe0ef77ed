package org.postern.store;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.postern.trace.TraceQuery;
import org.postern.trace.TraceRecord;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Upgrading a PostgreSQL store that already holds trace (schema version 10, one plain table) to the partitioned
 * trace: every record and recipient moves into its day's partition and is found as before.
 */
class PostgresTracePartitionMigrationTest {

    @Test
    void existingTraceMovesIntoDayPartitions() throws Exception {
        PostgresTestServer.requireServer();
        String name = PostgresTestServer.randomName();
        PostgresTestServer.execute("CREATE DATABASE " + name);
        String url = PostgresTestServer.url(name);
        try {
            Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration", "classpath:db/postgresql")
                    .target("10").load().migrate();
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                for (String[] row : new String[][] {{"OLD1", "2026-01-15 10:00:00+00"}, {"OLD2", "2026-03-02 23:59:59+00"}}) {
                    s.execute("INSERT INTO trace (ref, tenant_id, received_at, client_ip, recipients, size_bytes, status, verdict,"
                            + " phase, smtp_reply, decisions, node) VALUES ('" + row[0] + "', 'contoso', TIMESTAMPTZ '" + row[1]
                            + "', '203.0.113.7', '[\"alice@contoso.test\"]', 1, 'Delivered', 'Delivered', 'DATA', '250 ok', '[]', 'mx1')");
                    s.execute("INSERT INTO trace_recipient (ref, address) VALUES ('" + row[0] + "', 'alice@contoso.test')");
                }
            }
            try (Database db = Database.open(url)) {
                JdbcTraceStore trace = new JdbcTraceStore(db.dataSource());
                assertThat(trace.search(TraceQuery.all().withRecipient("alice@contoso.test"))).extracting(TraceRecord::ref)
                        .containsExactlyInAnyOrder("OLD1", "OLD2");
                try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT ref, tableoid::regclass::text FROM trace ORDER BY ref")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(2)).isEqualTo("trace_p20260115");
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(2)).isEqualTo("trace_p20260302");
                }
                try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM trace_default")) {
                    rs.next();
                    assertThat(rs.getLong(1)).isZero();
                }
            }
        } finally {
            PostgresTestServer.dropDatabase(name);
        }
    }
}
