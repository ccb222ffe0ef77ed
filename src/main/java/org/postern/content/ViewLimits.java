package org.postern.content;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How much of a message a {@link MessageView} keeps in memory. Whatever the message's size, the view holds at most
 * these many characters of text and bytes of attachment prefixes; attachment bodies go to temporary files (or are
 * only counted and hashed), so a 50 MB message costs a few MB of heap at most.
 *
 * @param maxTextBytesPerPart     decoded bytes of one text part that are turned into text; the rest is counted only
 * @param maxTextCharsTotal       characters of text kept over all text parts of the message
 * @param maxHeaderChars          characters kept of one header field's value (longer ones are cut, and say so)
 * @param maxHeaderFields         header fields kept of the top-level message
 * @param maxParts                MIME parts read; parsing stops after this many so a million tiny parts cost little
 * @param maxDepth                multipart/message nesting below which parts are counted but not read
 * @param maxLinks                links kept
 * @param attachmentPrefixBytes   first bytes of each attachment kept in memory for file-type sniffing
 * @param attachmentInMemoryBytes attachments up to this size stay in memory; larger ones are spilled to a file
 * @param keepAttachmentContent   whether attachment bodies are kept at all (false: prefix, size and SHA-256 only,
 *                                which is all the classifier needs)
 * @param spillDirectory          where attachment files go; the system temporary directory when empty
 */
public record ViewLimits(int maxTextBytesPerPart, long maxTextCharsTotal, int maxHeaderChars, int maxHeaderFields,
                         int maxParts, int maxDepth, int maxLinks, int attachmentPrefixBytes,
                         int attachmentInMemoryBytes, boolean keepAttachmentContent, Optional<Path> spillDirectory) {

    public ViewLimits {
        Objects.requireNonNull(spillDirectory);
        if (maxTextBytesPerPart < 1 || maxTextCharsTotal < 1 || maxHeaderChars < 1 || maxHeaderFields < 1
                || maxParts < 1 || maxDepth < 1 || maxLinks < 0 || attachmentPrefixBytes < 0 || attachmentInMemoryBytes < 0) {
            throw new IllegalArgumentException("view limits must be positive");
        }
    }

    /** For the gateway: 1 MB of text per part, 4 M characters in all, attachments kept (spilled past 256 KiB). */
    public static ViewLimits defaults() {
        return new ViewLimits(1 << 20, 4L << 20, 64 * 1024, 5000, 10_000, 40, 2000, 4096, 256 * 1024, true,
                Optional.empty());
    }

    /** For training and batch classification: the same text, attachment bodies counted and hashed, never stored. */
    public static ViewLimits forClassification() {
        return defaults().withoutAttachmentContent();
    }

    public ViewLimits withSpillDirectory(Path directory) {
        return new ViewLimits(maxTextBytesPerPart, maxTextCharsTotal, maxHeaderChars, maxHeaderFields, maxParts,
                maxDepth, maxLinks, attachmentPrefixBytes, attachmentInMemoryBytes, keepAttachmentContent,
                Optional.of(directory));
    }

    public ViewLimits withoutAttachmentContent() {
        return new ViewLimits(maxTextBytesPerPart, maxTextCharsTotal, maxHeaderChars, maxHeaderFields, maxParts,
                maxDepth, maxLinks, attachmentPrefixBytes, attachmentInMemoryBytes, false, spillDirectory);
    }

    public ViewLimits withMaxTextBytesPerPart(int bytes) {
        return new ViewLimits(bytes, maxTextCharsTotal, maxHeaderChars, maxHeaderFields, maxParts, maxDepth, maxLinks,
                attachmentPrefixBytes, attachmentInMemoryBytes, keepAttachmentContent, spillDirectory);
    }

    public ViewLimits withMaxParts(int parts) {
        return new ViewLimits(maxTextBytesPerPart, maxTextCharsTotal, maxHeaderChars, maxHeaderFields, parts, maxDepth,
                maxLinks, attachmentPrefixBytes, attachmentInMemoryBytes, keepAttachmentContent, spillDirectory);
    }
}
