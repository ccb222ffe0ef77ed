package org.postern.smtp;

/** Why a session ended; {@link #label()} is what {@link SessionHandler#closed(String)} receives. */
enum CloseReason {
    QUIT("quit", true),
    DISCONNECTED("disconnected", false),
    TIMEOUT("timeout", true),
    TLS_FAILED("tls-failed", false),
    BARE_LF("bare-lf", true),
    TOO_MANY_ERRORS("too-many-errors", true),
    TOO_MANY_COMMANDS("too-many-commands", true),
    TOO_MANY_TRANSACTIONS("too-many-transactions", true),
    /** The handler answered 421 (at the greeting or later). */
    HANDLER_CLOSED("handler-closed", true),
    CROSS_PROTOCOL("cross-protocol", true),
    /** The client talked before the banner (greet pause). */
    EARLY_TALKER("early-talker", true),
    SHUTDOWN("shutdown", false),
    WRITE_STALLED("write-stalled", false),
    INTERNAL_ERROR("internal-error", true);

    private final String label;
    private final boolean lastReplySent;

    CloseReason(String label, boolean lastReplySent) {
        this.label = label;
        this.lastReplySent = lastReplySent;
    }

    String label() {
        return label;
    }

    /** The session wrote a final reply that the client should get to read before the connection closes. */
    boolean lastReplySent() {
        return lastReplySent;
    }
}
