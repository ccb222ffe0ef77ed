package org.postern.outbound;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals private keys for storage: AES-256-GCM with a 96-bit random nonce, the key's identity (tenant, domain,
 * selector) as associated data so a sealed key copied to another row does not open. The master key is 32 random
 * bytes in {@code <data-dir>/secrets/dkim-master.key} (mode 0600), made on first use; every node that signs needs
 * the same file (copy it when adding a node; with it lost, the keys must be generated again).
 */
public final class KeySealer {

    static final String FILE = "secrets/dkim-master.key";
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    private KeySealer(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
    }

    /** The sealer of this data directory, creating its master key when there is none yet. */
    public static KeySealer forDataDir(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        try {
            if (!Files.exists(file)) create(file);
            byte[] k = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).strip());
            if (k.length != 32) throw new IllegalStateException(file + " does not hold a 256-bit key");
            return new KeySealer(k);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the DKIM master key " + file + ": " + e.getMessage(), e);
        }
    }

    private static void create(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(tmp);
        }
        Files.writeString(tmp, Base64.getEncoder().encodeToString(k) + "\n");
        try {
            Files.move(tmp, file);   // not replacing: a concurrent creator's key wins, ours is dropped
        } catch (FileAlreadyExistsException e) {
            Files.deleteIfExists(tmp);
        }
    }

    /** base64(nonce || ciphertext || tag). */
    public String seal(byte[] plaintext, String identity) {
        try {
            byte[] nonce = new byte[NONCE];
            random.nextBytes(nonce);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(identity.getBytes(StandardCharsets.UTF_8));
            byte[] ct = c.doFinal(plaintext);
            byte[] out = Arrays.copyOf(nonce, NONCE + ct.length);
            System.arraycopy(ct, 0, out, NONCE, ct.length);
            return Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    /** @throws IllegalArgumentException when the value was not sealed by this master key for this identity */
    public byte[] open(String sealed, String identity) {
        try {
            byte[] all = Base64.getDecoder().decode(sealed);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 0, NONCE));
            c.updateAAD(identity.getBytes(StandardCharsets.UTF_8));
            return c.doFinal(all, NONCE, all.length - NONCE);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new IllegalArgumentException("sealed DKIM key does not open with this node's master key (" + FILE + ")");
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("unreadable sealed DKIM key: " + e.getMessage());
        }
    }
}
