package org.postern.trace;

import java.util.List;

/**
 * Durable message trace. Writes throw {@link org.postern.store.StoreUnavailableException} when the store
 * cannot be reached, so the SMTP edge answers 451 4.3.0 instead of accepting silently.
 */
public interface TraceStore {

    /** Insert the record (or replace the record with the same ref). */
    void record(TraceRecord record);

    /** Append a delivery attempt and move the message's status accordingly. */
    void delivery(DeliveryEvent event);

    /** Newest first. */
    List<TraceRecord> search(TraceQuery query);

    /** Attempts for one message, oldest first. */
    List<DeliveryEvent> deliveries(String ref);
}
