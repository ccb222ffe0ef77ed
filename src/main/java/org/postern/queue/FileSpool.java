package org.postern.queue;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The spool on the local file system, under {@code <dataDir>/spool} (layout in {@link QueueDirectory}).
 *
 * <pre>{@code
 * DeliveryScheduler delivery = DeliveryScheduler.start(DeliverySettings.defaults(hostname), listener, clock);
 * FileSpool spool = FileSpool.open(dataDir, delivery);   // resumes every queued message at once
 * Spool.Pending p = spool.begin();
 * try (OutputStream out = p.content()) { ...received bytes... }
 * spool.commit(p, envelope);                             // durable when this returns: now answer 250
 * spool.close();                                         // also stops the scheduler
 * }</pre>
 *
 * The spool owns the scheduler it is given: closing the spool drains and stops it. Thread-safe.
 */
public final class FileSpool implements Spool {

    private static final Logger log = LoggerFactory.getLogger(FileSpool.class);

    private final QueueDirectory directory;
    private final DeliveryScheduler delivery;
    private final AtomicLong sequence = new AtomicLong();
    private volatile boolean closed;

    private FileSpool(QueueDirectory directory, DeliveryScheduler delivery) {
        this.directory = directory;
        this.delivery = delivery;
    }

    /**
     * Opens (creating as needed) the spool under {@code dataDir}, removes the debris of a crash, and hands every
     * message still queued to {@code delivery}, due at once. One process per data directory.
     */
    public static FileSpool open(Path dataDir, DeliveryScheduler delivery) throws IOException {
        Objects.requireNonNull(delivery, "delivery");
        QueueDirectory directory = QueueDirectory.open(dataDir);
        FileSpool spool = new FileSpool(directory, delivery);
        delivery.bounceInto(spool);
        List<QueueDirectory.Recovered> recovered = directory.recover();
        for (QueueDirectory.Recovered r : recovered) {
            delivery.submit(new QueuedMessage(r.id(), r.envelope(), r.state(), directory));
        }
        if (!recovered.isEmpty()) log.info("spool: resumed {} queued message(s) from {}", recovered.size(), directory.queueDir());
        return spool;
    }

    @Override
    public Pending begin() throws IOException {
        if (closed) throw new IOException("spool is closed");
        while (true) {
            String id = newId();
            try {
                return new FilePending(id, directory.createPending(id));
            } catch (FileAlreadyExistsException e) {
                // practically impossible (time + sequence + random); try another name
            }
        }
    }

    @Override
    public void commit(Pending pending, Envelope envelope) throws IOException {
        Objects.requireNonNull(envelope, "envelope");
        if (!(pending instanceof FilePending p) || p.owner() != this) throw new IllegalArgumentException("not a pending message of this spool");
        if (closed) throw new IOException("spool is closed");
        try {
            p.finishWriting();
        } catch (IOException e) {
            p.discard();
            throw e;
        }
        try {
            directory.commit(p.id, p.file, envelope);
        } catch (IOException | RuntimeException e) {
            // Not acknowledged, so nothing of it may stay queued: the client will send it again.
            p.discard();
            cleanUpFailedCommit(p.id);
            throw e;
        }
        delivery.submit(new QueuedMessage(p.id, envelope, DeliveryState.initial(envelope), directory));
    }

    /** The scheduler delivering this spool's messages (for an operator's flush: {@code delivery().retryNow()}). */
    public DeliveryScheduler delivery() {
        return delivery;
    }

    @Override
    public int depth() {
        return delivery.depth();
    }

    /** Stops delivery (waiting up to the grace period for attempts in flight). Queued messages stay on disk. */
    @Override
    public void close() {
        closed = true;
        delivery.close();
    }

    private void cleanUpFailedCommit(String id) {
        try {
            directory.remove(id);
        } catch (IOException e) {
            log.error("spool: could not clean up failed commit {}: {}", id, e.toString());
        }
    }

    private String newId() {
        // Sortable by time, unique within the process by the sequence, across restarts by time and randomness.
        return Long.toString(System.currentTimeMillis(), 36) + "-" + Long.toString(sequence.incrementAndGet(), 36)
                + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xFFFFFF));
    }

    private final class FilePending implements Pending {
        private final String id;
        private final Path file;
        private OutputStream stream;
        private boolean finished;

        FilePending(String id, Path file) {
            this.id = id;
            this.file = file;
        }

        FileSpool owner() { return FileSpool.this; }

        @Override
        public synchronized OutputStream content() throws IOException {
            if (finished) throw new IOException("message " + id + " is already committed or discarded");
            if (stream == null) stream = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.WRITE), 16 * 1024);
            return stream;
        }

        @Override
        public Path contentFile() {
            return file;
        }

        synchronized void finishWriting() throws IOException {
            if (finished) throw new IllegalStateException("message " + id + " is already committed or discarded");
            finished = true;
            if (stream != null) stream.close();
        }

        @Override
        public synchronized void discard() {
            finished = true;
            try {
                if (stream != null) stream.close();
            } catch (IOException ignored) {
                // the file is deleted next
            }
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                log.warn("spool: could not delete discarded {}: {}", file, e.toString());
            }
        }
    }
}
