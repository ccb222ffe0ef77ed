package org.postern.edge;

import org.postern.store.JdbcDmarcResultStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Keeps DMARC results for aggregate reports off the SMTP path: sessions hand rows over, one thread writes them in
 * batches. Aggregate reports are statistics, so a crash may lose the last batch (at most {@code every}); a store
 * outage keeps rows queued up to a bound and then drops the oldest, saying so in the log.
 */
final class DmarcResultRecorder implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DmarcResultRecorder.class);
    private static final int MAX_QUEUED = 100_000;

    private final JdbcDmarcResultStore store;
    private final LinkedBlockingQueue<JdbcDmarcResultStore.StoredResult> queue = new LinkedBlockingQueue<>(MAX_QUEUED);
    private final Thread writer;
    private final Duration every;
    private volatile boolean closed;

    DmarcResultRecorder(JdbcDmarcResultStore store, Duration every) {
        this.store = store;
        this.every = every;
        this.writer = Thread.ofVirtual().name("postern-dmarc-results").start(this::run);
    }

    void record(JdbcDmarcResultStore.StoredResult result) {
        while (!queue.offer(result)) {
            if (queue.poll() != null) log.warn("DMARC result queue full: dropped the oldest row");
        }
    }

    private void run() {
        List<JdbcDmarcResultStore.StoredResult> batch = new ArrayList<>();
        while (!closed || !queue.isEmpty()) {
            try {
                var first = queue.poll(every.toMillis(), TimeUnit.MILLISECONDS);
                if (first == null) continue;
                batch.add(first);
                queue.drainTo(batch, 999);
                store.record(batch);
                batch.clear();
            } catch (InterruptedException e) {
                if (closed) break;
            } catch (RuntimeException e) {
                log.warn("cannot store {} DMARC results, retrying: {}", batch.size(), e.getMessage());
                batch.forEach(queue::offer);
                batch.clear();
                try {
                    Thread.sleep(every);
                } catch (InterruptedException stop) {
                    if (closed) break;
                }
            }
        }
    }

    /** Writes what is queued, then stops. */
    @Override
    public void close() {
        closed = true;
        try {
            writer.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
