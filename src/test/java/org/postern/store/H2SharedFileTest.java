package org.postern.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.postern.store.TenantDocumentStore.StoredTenant;

/**
 * While one process (serve) holds the embedded database, another ({@code postern trace}, {@code apply}) can open
 * it too: H2's AUTO_SERVER, which {@link DatabaseUrl} switches on for file databases.
 */
class H2SharedFileTest {

    /** The second process: opens the store and prints the configuration version. */
    public static void main(String[] args) {
        try (Database db = Database.open(args[0])) {
            System.out.println("version=" + new JdbcTenantDocumentStore(db.dataSource()).latestVersion());
        }
    }

    @Test
    void anotherProcessCanOpenTheDatabaseWhileThisOneHoldsIt() throws Exception {
        try (TestDatabase held = TestDatabase.h2()) {
            JdbcTenantDocumentStore store = new JdbcTenantDocumentStore(held.database().dataSource());
            store.putAll(List.of(new StoredTenant("contoso", "{}", 0)), Map.of());

            Process other = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), H2SharedFileTest.class.getName(), held.url())
                    .redirectErrorStream(true).start();
            boolean exited = other.waitFor(60, TimeUnit.SECONDS);
            String output = new String(other.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!exited) {
                other.destroyForcibly();
            }

            assertThat(exited).as("second process finished").isTrue();
            assertThat(output).contains("version=" + store.latestVersion());
            assertThat(other.exitValue()).as(output).isZero();
        }
    }
}
