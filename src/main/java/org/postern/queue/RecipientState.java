package org.postern.queue;

import java.time.Instant;
import java.util.Objects;

/**
 * Where delivery to one recipient stands; persisted after every attempt.
 *
 * @param attempts    attempts made so far
 * @param nextAttempt for a PENDING recipient, when it is due (informational: a restart retries at once);
 *                    for a finished one, when it finished
 * @param detail      the last attempt's reply or error, "" before the first attempt
 * @param delayReported a DSN "delayed" was queued for this recipient (sent once)
 */
public record RecipientState(String address, Status status, int attempts, Instant nextAttempt, String detail,
                             boolean delayReported) {

    public enum Status { PENDING, DELIVERED, FAILED }

    public RecipientState(String address, Status status, int attempts, Instant nextAttempt, String detail) {
        this(address, status, attempts, nextAttempt, detail, false);
    }

    public RecipientState withDelayReported() {
        return new RecipientState(address, status, attempts, nextAttempt, detail, true);
    }

    @com.fasterxml.jackson.annotation.JsonCreator
    public RecipientState {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(nextAttempt, "nextAttempt");
        detail = detail == null ? "" : detail;
    }

    public static RecipientState fresh(String address, Instant due) {
        return new RecipientState(address, Status.PENDING, 0, due, "");
    }

    public boolean pending() {
        return status == Status.PENDING;
    }
}
