package org.postern.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postern.store.TenantDocumentStore.DomainConflictException;
import org.postern.store.TenantDocumentStore.StoredTenant;

abstract class TenantDocumentStoreContract extends StoreContract {

    private JdbcTenantDocumentStore store;

    @BeforeEach
    void newStore() {
        store = new JdbcTenantDocumentStore(db.database().dataSource(),
                Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC));
    }

    private static StoredTenant tenant(String id, String json) {
        return new StoredTenant(id, json, 0);
    }

    @Test
    void storesAndReadsBackATenantDocument() {
        store.putAll(List.of(tenant("contoso", "{\"id\":\"contoso\",\"delivery\":\"smtp://127.0.0.1:2626\"}")),
                Map.of("contoso", List.of("contoso.test")));

        StoredTenant stored = store.get("contoso").orElseThrow();
        assertThat(stored.documentJson()).isEqualTo("{\"id\":\"contoso\",\"delivery\":\"smtp://127.0.0.1:2626\"}");
        assertThat(stored.version()).isEqualTo(store.latestVersion()).isPositive();
        assertThat(store.ownerOf("contoso.test")).contains("contoso");
    }

    @Test
    void unknownTenantIsEmpty() {
        assertThat(store.get("nobody")).isEmpty();
        assertThat(store.all()).isEmpty();
    }

    @Test
    void replacingATenantStoresTheNewDocumentUnderANewVersion() {
        store.putAll(List.of(tenant("contoso", "{\"v\":1}")), Map.of());
        long first = store.get("contoso").orElseThrow().version();

        store.putAll(List.of(tenant("contoso", "{\"v\":2}")), Map.of());

        StoredTenant replaced = store.get("contoso").orElseThrow();
        assertThat(replaced.documentJson()).isEqualTo("{\"v\":2}");
        assertThat(replaced.version()).isGreaterThan(first);
        assertThat(store.all()).hasSize(1);
    }

    @Test
    void listsAllTenantsOrderedById() {
        store.putAll(List.of(tenant("fabrikam", "{}"), tenant("contoso", "{}")), Map.of());
        store.putAll(List.of(tenant("adatum", "{}")), Map.of());

        assertThat(store.all()).extracting(StoredTenant::id).containsExactly("adatum", "contoso", "fabrikam");
    }

    @Test
    void oneBatchGivesAllItsTenantsTheSameVersion() {
        store.putAll(List.of(tenant("a", "{}"), tenant("b", "{}")), Map.of());

        assertThat(store.all()).extracting(StoredTenant::version).containsOnly(store.latestVersion());
    }

    @Test
    void latestVersionStartsAtZeroAndChangesOnEveryPutAndDelete() {
        assertThat(store.latestVersion()).isZero();

        store.putAll(List.of(tenant("contoso", "{}")), Map.of());
        long afterPut = store.latestVersion();
        store.putAll(List.of(tenant("contoso", "{}")), Map.of());
        long afterSecondPut = store.latestVersion();
        assertThat(store.delete("contoso")).isTrue();
        long afterDelete = store.latestVersion();

        assertThat(afterPut).isPositive();
        assertThat(afterSecondPut).isGreaterThan(afterPut);
        assertThat(afterDelete).isGreaterThan(afterSecondPut);
    }

    @Test
    void deletingAnUnknownTenantChangesNothing() {
        store.putAll(List.of(tenant("contoso", "{}")), Map.of());
        long before = store.latestVersion();

        assertThat(store.delete("nobody")).isFalse();
        assertThat(store.latestVersion()).isEqualTo(before);
    }

    @Test
    void deletingATenantReleasesItsDomains() {
        store.putAll(List.of(tenant("contoso", "{}")), Map.of("contoso", List.of("contoso.test")));

        assertThat(store.delete("contoso")).isTrue();

        assertThat(store.get("contoso")).isEmpty();
        assertThat(store.ownerOf("contoso.test")).isEmpty();
        store.putAll(List.of(tenant("fabrikam", "{}")), Map.of("fabrikam", List.of("contoso.test")));
        assertThat(store.ownerOf("contoso.test")).contains("fabrikam");
    }

    @Test
    void domainOwnedByAnotherTenantRejectsTheWholeBatchAndWritesNothing() {
        store.putAll(List.of(tenant("contoso", "{\"v\":1}")), Map.of("contoso", List.of("contoso.test")));
        long before = store.latestVersion();

        assertThatThrownBy(() -> store.putAll(
                List.of(tenant("fabrikam", "{}"), tenant("adatum", "{}")),
                Map.of("fabrikam", List.of("fabrikam.test", "contoso.test"),
                        "adatum", List.of("adatum.test"))))
                .isInstanceOf(DomainConflictException.class)
                .hasMessageContaining("contoso.test")
                .satisfies(e -> {
                    DomainConflictException conflict = (DomainConflictException) e;
                    assertThat(conflict.domain()).isEqualTo("contoso.test");
                    assertThat(conflict.owner()).isEqualTo("contoso");
                });

        assertThat(store.get("fabrikam")).isEmpty();
        assertThat(store.get("adatum")).isEmpty();
        assertThat(store.get("contoso").orElseThrow().documentJson()).isEqualTo("{\"v\":1}");
        assertThat(store.ownerOf("contoso.test")).contains("contoso");
        assertThat(store.ownerOf("fabrikam.test")).isEmpty();
        assertThat(store.ownerOf("adatum.test")).isEmpty();
        assertThat(store.latestVersion()).isEqualTo(before);
    }

    @Test
    void conflictMessageDoesNotNameTheOwningTenant() {
        store.putAll(List.of(tenant("contoso", "{}")), Map.of("contoso", List.of("contoso.test")));

        assertThatThrownBy(() -> store.putAll(List.of(tenant("fabrikam", "{}")),
                Map.of("fabrikam", List.of("contoso.test"))))
                .isInstanceOf(DomainConflictException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("contoso "))
                .satisfies(e -> assertThat(((DomainConflictException) e).owner()).isEqualTo("contoso"));
    }

    @Test
    void domainClaimedTwiceInOneBatchIsRejected() {
        assertThatThrownBy(() -> store.putAll(List.of(tenant("a", "{}"), tenant("b", "{}")),
                Map.of("a", List.of("shared.test"), "b", List.of("SHARED.test"))))
                .isInstanceOf(DomainConflictException.class);

        assertThat(store.all()).isEmpty();
        assertThat(store.latestVersion()).isZero();
    }

    @Test
    void reclaimingItsOwnDomainIsNoConflict() {
        store.putAll(List.of(tenant("contoso", "{}")), Map.of("contoso", List.of("contoso.test")));

        store.putAll(List.of(tenant("contoso", "{}")), Map.of("contoso", List.of("contoso.test", "contoso.example")));

        assertThat(store.ownerOf("contoso.test")).contains("contoso");
        assertThat(store.ownerOf("contoso.example")).contains("contoso");
    }

    @Test
    void replacingATenantReleasesDomainsItNoLongerLists() {
        store.putAll(List.of(tenant("contoso", "{}")), Map.of("contoso", List.of("contoso.test", "old.test")));

        store.putAll(List.of(tenant("contoso", "{}")), Map.of("contoso", List.of("contoso.test")));

        assertThat(store.ownerOf("old.test")).isEmpty();
        store.putAll(List.of(tenant("fabrikam", "{}")), Map.of("fabrikam", List.of("old.test")));
        assertThat(store.ownerOf("old.test")).contains("fabrikam");
    }

    @Test
    void aDomainMayMoveBetweenTwoTenantsOfOneBatch() {
        store.putAll(List.of(tenant("a", "{}"), tenant("b", "{}")), Map.of("a", List.of("moving.test")));

        store.putAll(List.of(tenant("a", "{}"), tenant("b", "{}")), Map.of("b", List.of("moving.test")));

        assertThat(store.ownerOf("moving.test")).contains("b");
    }

    @Test
    void domainsAreStoredLowerCase() {
        store.putAll(List.of(tenant("contoso", "{}")), Map.of("contoso", List.of("Contoso.TEST")));

        assertThat(store.ownerOf("contoso.test")).contains("contoso");
        assertThat(store.ownerOf("CONTOSO.test")).contains("contoso");
    }

    @Test
    void domainsForATenantOutsideTheBatchAreAnError() {
        assertThatThrownBy(() -> store.putAll(List.of(tenant("a", "{}")), Map.of("b", List.of("b.test"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.putAll(List.of(tenant("a", "{}"), tenant("a", "{}")), Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void largeUnicodeDocumentRoundTrips() {
        StringBuilder json = new StringBuilder("{\"recipients\":[");
        for (int i = 0; i < 20_000; i++) {
            json.append(i == 0 ? "" : ",").append("\"usér").append(i).append("@contoso.test\"");
        }
        json.append("],\"note\":\"日本語 ✓\"}");

        store.putAll(List.of(tenant("contoso", json.toString())), Map.of());

        assertThat(store.get("contoso").orElseThrow().documentJson()).isEqualTo(json.toString());
    }

    @Test
    void concurrentWritersCannotClaimOneDomainForTwoTenants() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 10; round++) {
                String domain = "race" + round + ".test";
                List<Callable<Boolean>> writers = new ArrayList<>();
                for (String id : List.of("a" + round, "b" + round, "c" + round, "d" + round)) {
                    writers.add(() -> {
                        try {
                            store.putAll(List.of(tenant(id, "{}")), Map.of(id, List.of(domain)));
                            return true;
                        } catch (DomainConflictException e) {
                            return false;
                        }
                    });
                }
                int winners = 0;
                for (Future<Boolean> f : pool.invokeAll(writers)) {
                    winners += f.get() ? 1 : 0;
                }
                assertThat(winners).as("writers that claimed %s", domain).isEqualTo(1);
                assertThat(store.ownerOf(domain)).isPresent();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
