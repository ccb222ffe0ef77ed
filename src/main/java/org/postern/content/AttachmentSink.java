package org.postern.content;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Reads one decoded attachment body in a single pass: counts it, hashes it, keeps its first bytes, and keeps the
 * content in memory up to a threshold or in a temporary file beyond it (or not at all). Memory stays bounded by the
 * threshold whatever the attachment's size.
 */
final class AttachmentSink {

    private final ViewLimits limits;

    AttachmentSink(ViewLimits limits) {
        this.limits = limits;
    }

    Attachment read(InputStream decoded, Optional<String> filename, String declaredType, String disposition)
            throws IOException {
        MessageDigest sha = sha256();
        byte[] prefix = new byte[limits.attachmentPrefixBytes()];
        int prefixLength = 0;
        long size = 0;
        ByteArrayOutputStream memory = limits.keepAttachmentContent() ? new ByteArrayOutputStream() : null;
        Path file = null;
        OutputStream out = null;
        byte[] buffer = new byte[16 * 1024];
        try {
            for (int n; (n = decoded.read(buffer)) > 0; ) {
                sha.update(buffer, 0, n);
                if (prefixLength < prefix.length) {
                    int take = Math.min(n, prefix.length - prefixLength);
                    System.arraycopy(buffer, 0, prefix, prefixLength, take);
                    prefixLength += take;
                }
                size += n;
                if (memory != null) {
                    if (out == null && size > limits.attachmentInMemoryBytes()) {
                        file = createSpillFile();
                        out = Files.newOutputStream(file);
                        memory.writeTo(out);
                        memory = null;
                    } else if (out == null) {
                        memory.write(buffer, 0, n);
                        continue;
                    }
                }
                if (out != null) out.write(buffer, 0, n);
            }
        } catch (IOException | RuntimeException e) {
            if (out != null) out.close();
            if (file != null) Files.deleteIfExists(file);
            throw e;
        }
        if (out != null) out.close();
        return new Attachment(filename, declaredType, disposition, size, HexFormat.of().formatHex(sha.digest()),
                Arrays.copyOf(prefix, prefixLength), Optional.ofNullable(memory).map(ByteArrayOutputStream::toByteArray),
                Optional.ofNullable(file));
    }

    private Path createSpillFile() throws IOException {
        // createTempFile makes the file readable by its owner only (rw-------) on POSIX systems.
        return limits.spillDirectory().isPresent()
                ? Files.createTempFile(limits.spillDirectory().get(), "postern-part-", ".bin")
                : Files.createTempFile("postern-part-", ".bin");
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
