package org.postern.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.postern.store.TenantDocumentStore.StoredTenant;
import org.postern.trace.TraceQuery;

/** What {@link Database} promises on either database. */
abstract class DatabaseContract extends StoreContract {

    protected abstract Database.Kind expectedKind();

    @Test
    void knowsWhichDatabaseItIs() {
        assertThat(db.database().kind()).isEqualTo(expectedKind());
    }

    @Test
    void schemaIsMigratedOnceAndReopeningKeepsTheData() {
        new JdbcTenantDocumentStore(db.database().dataSource())
                .putAll(List.of(new StoredTenant("contoso", "{}", 0)), Map.of("contoso", List.of("contoso.test")));

        try (Database again = Database.open(db.url())) {
            assertThat(new JdbcTenantDocumentStore(again.dataSource()).get("contoso")).isPresent();
            int migrations = Jdbc.query(again.dataSource(), "counting migrations", c -> {
                try (Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM \"flyway_schema_history\""
                             + " WHERE \"success\" AND \"version\" = '1'")) {
                    rs.next();
                    return rs.getInt(1);
                }
            });
            assertThat(migrations).isEqualTo(1);
        }
    }

    @Test
    void aClosedStoreFailsWithStoreUnavailable() {
        Database closed = Database.open(db.url());
        closed.close();

        assertThatThrownBy(() -> new JdbcTenantDocumentStore(closed.dataSource()).latestVersion())
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("configuration version");
        assertThatThrownBy(() -> new JdbcTraceStore(closed.dataSource()).search(TraceQuery.all()))
                .isInstanceOf(StoreUnavailableException.class);
    }

    @Test
    void describeHidesThePassword() {
        assertThat(db.database().describe()).doesNotContainPattern("(?i)password=[^*&;]");
    }
}
