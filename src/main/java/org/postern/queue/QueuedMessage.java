package org.postern.queue;

import java.io.IOException;
import java.nio.file.Path;

/**
 * One committed message as delivery sees it: its envelope, its content file and where each recipient stands.
 * The scheduler hands a message to one worker at a time, so the state needs no lock of its own.
 */
final class QueuedMessage {

    private final String id;
    private final Envelope envelope;
    private final QueueDirectory directory;
    private DeliveryState state;

    QueuedMessage(String id, Envelope envelope, DeliveryState state, QueueDirectory directory) {
        this.id = id;
        this.envelope = envelope;
        this.state = state;
        this.directory = directory;
    }

    String id() { return id; }
    Envelope envelope() { return envelope; }
    DeliveryState state() { return state; }
    Path content() { return directory.content(id); }

    /**
     * Adopts the state after an attempt and makes it durable: rewritten while recipients are pending, the
     * message removed once none are. The in-memory state is adopted even if the disk write fails, so this
     * process does not deliver twice; only a crash before the next successful write could.
     */
    void record(DeliveryState next) throws IOException {
        state = next;
        if (next.finished()) directory.remove(id);
        else directory.writeState(id, next);
    }

    @Override
    public String toString() {
        return id + " (ref " + envelope.ref() + ")";
    }
}
