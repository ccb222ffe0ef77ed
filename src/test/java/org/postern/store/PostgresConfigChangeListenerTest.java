package org.postern.store;

import org.junit.jupiter.api.Test;
import org.postern.tenant.TenantCatalog;
import org.postern.tenant.TenantDocuments;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * LISTEN/NOTIFY on the running PostgreSQL: a tenant written through one store instance (another node, the CLI)
 * reaches a listener on another within 2 s — it is told once when it connects and once per committed change,
 * and not for a write that rolled back.
 */
class PostgresConfigChangeListenerTest extends StoreContract {

    @Override
    protected TestDatabase openDatabase() {
        return TestDatabase.postgres();
    }

    @Test
    void aCommittedTenantChangeIsNotifiedToAnotherNodeAtOnce() throws Exception {
        Semaphore changes = new Semaphore(0);
        try (Database other = Database.open(db.url());
             ConfigChangeListener listener = ConfigChangeListener.start(db.database(), changes::release)) {
            assertThat(changes.tryAcquire(5, TimeUnit.SECONDS)).as("the reload on connecting").isTrue();
            TenantCatalog writer = new TenantCatalog(new JdbcTenantDocumentStore(other.dataSource()));
            long started = System.nanoTime();
            writer.apply(TenantDocuments.parse("id: acme\ndomains: [acme.test]\ndelivery: \"maildir:/tmp/acme\"\n"));
            assertThat(changes.tryAcquire(2, TimeUnit.SECONDS)).as("notified within 2 s").isTrue();
            System.out.printf("PostgresConfigChangeListenerTest: notified %.1f ms after the apply started%n", (System.nanoTime() - started) / 1e6);

            // A conflicting write rolls back: no notification.
            assertThatThrownBy(() -> writer.apply(TenantDocuments.parse(
                    "id: other\ndomains: [acme.test]\ndelivery: \"maildir:/tmp/other\"\n"))).isInstanceOf(RuntimeException.class);
            assertThat(changes.tryAcquire(1500, TimeUnit.MILLISECONDS)).as("no notification for a rolled-back write").isFalse();
        }
    }

    @Test
    void onlyPostgresqlCanListen() {
        try (TestDatabase h2 = TestDatabase.h2()) {
            assertThatThrownBy(() -> ConfigChangeListener.start(h2.database(), () -> { }))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
