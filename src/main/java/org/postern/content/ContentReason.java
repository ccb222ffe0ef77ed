package org.postern.content;

import java.util.Objects;

/**
 * One named reason: a code, the evidence as an administrator reads it, and what it added to the score (log-odds;
 * positive towards spam).
 */
public record ContentReason(ContentReasonCode code, String detail, double weight) {
    public ContentReason {
        Objects.requireNonNull(code);
        Objects.requireNonNull(detail);
    }

    /** "code (detail)", or the code alone. */
    @Override
    public String toString() {
        return detail.isEmpty() ? code.id() : code.id() + " (" + detail + ")";
    }
}
