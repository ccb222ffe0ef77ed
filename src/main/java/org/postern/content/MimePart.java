package org.postern.content;

import java.util.Objects;
import java.util.Optional;

/**
 * One entity of the MIME tree in document order, multiparts included: the message's structure without its content.
 *
 * @param depth             nesting depth (0 = the message itself)
 * @param mimeType          lower-case type/subtype as declared (mime4j's default when absent)
 * @param transferEncoding  lower-case Content-Transfer-Encoding, "7bit" when absent
 * @param charset           the declared charset parameter, "" when absent
 * @param disposition       lower-case Content-Disposition type, "" when absent
 * @param filename          the decoded file name (Content-Disposition filename or Content-Type name)
 * @param decodedSize       bytes after transfer decoding (0 for multiparts)
 */
public record MimePart(int depth, String mimeType, String transferEncoding, String charset, String disposition,
                       Optional<String> filename, long decodedSize) {
    public MimePart {
        Objects.requireNonNull(mimeType);
        Objects.requireNonNull(transferEncoding);
        Objects.requireNonNull(charset);
        Objects.requireNonNull(disposition);
        Objects.requireNonNull(filename);
    }

    public boolean isMultipart() {
        return mimeType.startsWith("multipart/");
    }
}
