package org.postern.auth.dmarc;

import java.util.Optional;

/** Identifier alignment mode, {@code adkim} and {@code aspf} (RFC 7489 §3.1): relaxed is the default. */
public enum AlignmentMode {
    RELAXED("r"), STRICT("s");

    private final String keyword;

    AlignmentMode(String keyword) {
        this.keyword = keyword;
    }

    public String keyword() {
        return keyword;
    }

    static Optional<AlignmentMode> parse(String value) {
        return switch (value) {
            case "r", "R" -> Optional.of(RELAXED);
            case "s", "S" -> Optional.of(STRICT);
            default -> Optional.empty();
        };
    }
}
