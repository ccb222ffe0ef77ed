package org.postern.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeySealerTest {

    @TempDir Path dir;

    @Test
    void sealsSoOnlyTheSameMasterKeyAndIdentityOpen() throws Exception {
        KeySealer sealer = KeySealer.forDataDir(dir.resolve("a"));
        byte[] secret = "-----BEGIN PRIVATE KEY----- pretend".getBytes(StandardCharsets.US_ASCII);
        String sealed = sealer.seal(secret, "postern-dkim:contoso:contoso.test:s1");

        assertThat(new String(java.util.Base64.getDecoder().decode(sealed), StandardCharsets.ISO_8859_1)).doesNotContain("PRIVATE KEY");
        assertThat(sealer.seal(secret, "x")).isNotEqualTo(sealer.seal(secret, "x"));   // a fresh nonce each time
        assertThat(KeySealer.forDataDir(dir.resolve("a")).open(sealed, "postern-dkim:contoso:contoso.test:s1")).isEqualTo(secret);

        assertThatThrownBy(() -> sealer.open(sealed, "postern-dkim:fabrikam:contoso.test:s1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("master key");
        KeySealer other = KeySealer.forDataDir(dir.resolve("b"));
        assertThatThrownBy(() -> other.open(sealed, "postern-dkim:contoso:contoso.test:s1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("master key");

        Path master = dir.resolve("a").resolve(KeySealer.FILE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(master))).isEqualTo("rw-------");
    }
}
