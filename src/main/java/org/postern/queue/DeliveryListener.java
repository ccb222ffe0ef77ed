package org.postern.queue;

import org.postern.trace.DeliveryEvent;
import org.postern.trace.TraceRecord;

/** Told about every delivery attempt, per recipient (the trace listens). Must not throw. */
@FunctionalInterface
public interface DeliveryListener {
    void attempted(DeliveryEvent event);

    /** A delivery status notification was queued (its own trace record, before any attempt of it). Must not throw. */
    default void notificationQueued(TraceRecord dsn) {
    }
}
