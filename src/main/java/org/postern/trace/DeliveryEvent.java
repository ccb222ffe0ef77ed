package org.postern.trace;

import java.time.Instant;

/**
 * One delivery attempt for one recipient of a traced message.
 *
 * @param outcome Delivered, Deferred (will retry) or Failed (permanent, or expired)
 * @param detail  the downstream's reply or the connection error, as an admin would want to read it
 * @param target  where it was sent (smtp://..., lmtp://..., maildir:...)
 */
public record DeliveryEvent(String ref, String tenant, String recipient, Instant at, TraceStatus outcome,
                            int attempt, String target, String detail, String node) {
}
