package org.postern.queue;

import org.postern.trace.DeliveryEvent;

/** Told about every delivery attempt, per recipient (the trace listens). Must not throw. */
@FunctionalInterface
public interface DeliveryListener {
    void attempted(DeliveryEvent event);
}
