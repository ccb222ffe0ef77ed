package org.postern.queue;

import org.postern.trace.TraceStatus;

/** What one delivery attempt did for one recipient, and the downstream's words (or the local error) why. */
public record RecipientResult(String recipient, Outcome outcome, String detail) {

    public enum Outcome {
        /** The downstream took responsibility (2xx), or the file is in the Maildir. */
        DELIVERED,
        /** Try again later: 4xx, a broken connection, a timeout, a full disk. */
        DEFERRED,
        /** Never try again: 5xx, or a target or address that cannot work. */
        FAILED;

        public TraceStatus traceStatus() {
            return switch (this) {
                case DELIVERED -> TraceStatus.Delivered;
                case DEFERRED -> TraceStatus.Deferred;
                case FAILED -> TraceStatus.Failed;
            };
        }
    }

    public static RecipientResult delivered(String recipient, String detail) {
        return new RecipientResult(recipient, Outcome.DELIVERED, detail);
    }

    public static RecipientResult deferred(String recipient, String detail) {
        return new RecipientResult(recipient, Outcome.DEFERRED, detail);
    }

    public static RecipientResult failed(String recipient, String detail) {
        return new RecipientResult(recipient, Outcome.FAILED, detail);
    }
}
