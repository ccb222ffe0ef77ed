package org.postern.queue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * The node's durable queue. A message is written to a pending file, then committed together with its envelope:
 * after {@link #commit} returns, content and envelope are fsynced and the message survives a crash.
 */
public interface Spool extends AutoCloseable {

    /** A message being received; not yet queued, removed again by {@link Pending#discard()}. */
    interface Pending {
        OutputStream content() throws IOException;
        /** The content written so far (after the stream was closed: all of it). */
        Path contentFile();
        void discard();
    }

    Pending begin() throws IOException;

    /** Make the message durable (fsync) and schedule its delivery. Throws when it could not be made durable. */
    void commit(Pending pending, Envelope envelope) throws IOException;

    /** Messages waiting for delivery (not yet delivered or failed). */
    int depth();

    @Override void close();
}
