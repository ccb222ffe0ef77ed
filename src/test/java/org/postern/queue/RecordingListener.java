package org.postern.queue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.postern.trace.DeliveryEvent;
import org.postern.trace.TraceStatus;

/** Keeps every delivery event, and lets a test wait for the ones it expects. */
final class RecordingListener implements DeliveryListener {

    private final List<DeliveryEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void attempted(DeliveryEvent event) {
        events.add(event);
        synchronized (this) {
            notifyAll();
        }
    }

    List<DeliveryEvent> events() {
        return List.copyOf(events);
    }

    /** Waits until {@code count} events match, then returns all matching events. */
    List<DeliveryEvent> await(int count, Predicate<DeliveryEvent> which, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (true) {
                List<DeliveryEvent> matching = new ArrayList<>(events.stream().filter(which).toList());
                if (matching.size() >= count) return matching;
                long left = deadline - System.nanoTime();
                if (left <= 0) throw new AssertionError("expected " + count + " matching delivery event(s) within "
                        + timeout + ", got: " + events);
                try {
                    wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    throw new AssertionError("interrupted", e);
                }
            }
        }
    }

    DeliveryEvent awaitOne(String recipient, TraceStatus outcome, Duration timeout) {
        return await(1, e -> e.recipient().equals(recipient) && e.outcome() == outcome, timeout).getFirst();
    }

    DeliveryEvent awaitAny(String recipient, Duration timeout) {
        return await(1, e -> e.recipient().equals(recipient), timeout).getFirst();
    }
}
