package org.postern.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.postern.auth.dkim.DkimKeys;
import org.postern.outbound.DkimKeyring;
import org.postern.outbound.KeySealer;

/** Tenants' DKIM keys (migration V8), sealed, on both databases. */
abstract class DkimKeyringContract extends StoreContract {

    private DkimKeyring keyring(Path dataDir) {
        return new DkimKeyring(db.database().dataSource(), KeySealer.forDataDir(dataDir), Clock.systemUTC());
    }

    @Test
    void storesAPairSealedAndOpensItForSigningWithTheRecordsThatMatch() throws Exception {
        Path dataDir = Files.createTempDirectory("postern-dkim-");
        String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
        List<DkimKeyring.PublishedKey> published = keyring(dataDir).generate(tenant, "Contoso.test", "s1",
                List.of(DkimKeyring.Algorithm.RSA, DkimKeyring.Algorithm.ED25519));
        assertThat(published).extracting(DkimKeyring.PublishedKey::recordName)
                .containsExactly("s1-rsa._domainkey.contoso.test", "s1-ed25519._domainkey.contoso.test");

        List<DkimKeyring.SigningKey> keys = keyring(dataDir).signingKeys(tenant, "contoso.test", "S1");
        assertThat(keys).extracting(DkimKeyring.SigningKey::selector).containsExactly("s1-rsa", "s1-ed25519");
        for (int i = 0; i < 2; i++) {
            assertThat(DkimKeys.keyRecord(DkimKeys.publicKeyOf(keys.get(i).key()))).isEqualTo(published.get(i).keyRecord());
        }
        assertThat(keyring(dataDir).list(tenant)).hasSize(2);
        assertThat(keyring(dataDir).signingKeys("other-tenant", "contoso.test", "s1")).isEmpty();

        // Generating again replaces the keys at those selectors.
        List<DkimKeyring.PublishedKey> again = keyring(dataDir).generate(tenant, "contoso.test", "s1", List.of(DkimKeyring.Algorithm.RSA, DkimKeyring.Algorithm.ED25519));
        assertThat(keyring(dataDir).list(tenant)).extracting(DkimKeyring.PublishedKey::keyRecord)
                .containsExactlyInAnyOrderElementsOf(again.stream().map(DkimKeyring.PublishedKey::keyRecord).toList());
    }
}
