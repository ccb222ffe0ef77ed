package org.postern.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PostgresDatabaseTest extends DatabaseContract {
    @Override
    protected TestDatabase openDatabase() {
        return TestDatabase.postgres();
    }

    @Override
    protected Database.Kind expectedKind() {
        return Database.Kind.POSTGRESQL;
    }

    @Test
    void createsTheDatabaseNamedInTheUrlWhenItIsMissing() {
        String name = PostgresTestServer.randomName();
        assertThat(PostgresTestServer.databaseExists(name)).isFalse();
        try (Database created = Database.open(PostgresTestServer.url(name))) {
            assertThat(PostgresTestServer.databaseExists(name)).isTrue();
            assertThat(new JdbcTenantDocumentStore(created.dataSource()).latestVersion()).isZero();
        } finally {
            PostgresTestServer.dropDatabase(name);
        }
    }

    @Test
    void acceptsUserAndPasswordOutsideTheUrl() {
        String url = db.url().replaceAll("[?&]user=[^&]*", "").replaceAll("[?&]password=[^&]*", "");
        try (Database db2 = Database.open(url, PostgresTestServer.USER, PostgresTestServer.PASSWORD)) {
            assertThat(new JdbcTenantDocumentStore(db2.dataSource()).latestVersion()).isZero();
        }
    }

    @Test
    void aDatabaseThatGoesAwayFailsRequestsWithinSeconds() {
        String name = PostgresTestServer.randomName();
        try (Database doomed = Database.open(PostgresTestServer.url(name))) {
            JdbcTenantDocumentStore store = new JdbcTenantDocumentStore(doomed.dataSource());
            assertThat(store.latestVersion()).isZero();

            PostgresTestServer.dropDatabase(name); // terminates the pool's connections too

            long start = System.nanoTime();
            assertThatThrownBy(store::latestVersion).isInstanceOf(StoreUnavailableException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(6));
        } finally {
            PostgresTestServer.dropDatabase(name);
        }
    }
}
