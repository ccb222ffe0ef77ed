package org.postern.content;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * A non-text part: an attachment or an inline image. Its bytes are the decoded content (base64 undone); small ones
 * stay in memory, larger ones live in a temporary file that the owning {@link MessageView} deletes when closed.
 * The first bytes are always kept, so file types can be sniffed without opening anything.
 */
public final class Attachment {

    private final Optional<String> filename;
    private final String declaredType;
    private final String disposition;
    private final long size;
    private final String sha256;
    private final byte[] firstBytes;
    private final Optional<byte[]> inMemory;
    private final Optional<Path> file;

    Attachment(Optional<String> filename, String declaredType, String disposition, long size, String sha256,
               byte[] firstBytes, Optional<byte[]> inMemory, Optional<Path> file) {
        this.filename = Objects.requireNonNull(filename);
        this.declaredType = Objects.requireNonNull(declaredType);
        this.disposition = Objects.requireNonNull(disposition);
        this.size = size;
        this.sha256 = Objects.requireNonNull(sha256);
        this.firstBytes = firstBytes.clone();
        this.inMemory = inMemory;
        this.file = file;
    }

    /** The decoded file name the sender gave (Content-Disposition filename, else Content-Type name). */
    public Optional<String> filename() {
        return filename;
    }

    /** The lower-case extension of the file name without the dot, e.g. "exe"; empty when it has none. */
    public Optional<String> extension() {
        return filename.flatMap(name -> {
            int dot = name.lastIndexOf('.');
            if (dot < 0 || dot == name.length() - 1) return Optional.empty();
            return Optional.of(name.substring(dot + 1).strip().toLowerCase(java.util.Locale.ROOT));
        });
    }

    /** The Content-Type the sender declared (lower-case type/subtype); the real type may differ. */
    public String declaredType() {
        return declaredType;
    }

    /** "attachment", "inline" or "" when the part had no Content-Disposition. */
    public String disposition() {
        return disposition;
    }

    /** Decoded size in bytes. */
    public long size() {
        return size;
    }

    /** SHA-256 of the decoded bytes, lower-case hex. */
    public String sha256() {
        return sha256;
    }

    /** The first decoded bytes (up to {@link ViewLimits#attachmentPrefixBytes()}), for magic-number sniffing. */
    public byte[] firstBytes() {
        return firstBytes.clone();
    }

    /** Whether {@link #open()} can read the bytes: false when the view was made without attachment content. */
    public boolean contentKept() {
        return inMemory.isPresent() || file.isPresent();
    }

    /** Whether the bytes were spilled to a temporary file rather than held in memory. */
    public boolean spilledToFile() {
        return file.isPresent();
    }

    /** Reads the decoded bytes from the start; valid until the owning view is closed. */
    public InputStream open() throws IOException {
        if (inMemory.isPresent()) return new ByteArrayInputStream(inMemory.get());
        if (file.isPresent()) return Files.newInputStream(file.get());
        throw new IOException("attachment content was not kept (view made with keepAttachmentContent=false)");
    }

    Optional<Path> file() {
        return file;
    }

    @Override
    public String toString() {
        return "Attachment[" + filename.orElse("(no name)") + ", " + declaredType + ", " + size + " bytes, sha256="
                + sha256 + ", first=" + Arrays.toString(Arrays.copyOf(firstBytes, Math.min(4, firstBytes.length))) + "]";
    }
}
