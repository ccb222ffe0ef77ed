package org.postern.quarantine;

import org.postern.queue.Envelope;
import org.postern.queue.Spool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.time.Duration;

/**
 * Takes released messages into the node's spool, once a second: release (CLI, later the console) only moves files,
 * so it works whether or not a node runs, and a node that was down spools them when it starts. The message keeps its
 * reference, so its trace record shows the delivery.
 */
public final class QuarantineReleaser implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(QuarantineReleaser.class);

    private final FileQuarantine quarantine;
    private final Spool spool;
    private final Thread loop;
    private volatile boolean closed;

    private QuarantineReleaser(FileQuarantine quarantine, Spool spool, Duration every) {
        this.quarantine = quarantine;
        this.spool = spool;
        this.loop = Thread.ofVirtual().name("postern-quarantine-release").unstarted(() -> run(every));
    }

    public static QuarantineReleaser start(FileQuarantine quarantine, Spool spool, Duration every) {
        QuarantineReleaser r = new QuarantineReleaser(quarantine, spool, every);
        r.loop.start();
        return r;
    }

    private void run(Duration every) {
        while (!closed) {
            spoolReleased();
            try {
                Thread.sleep(every);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One pass; a message that cannot be spooled now stays released and is tried again on the next pass. */
    void spoolReleased() {
        try {
            for (QuarantinedMessage m : quarantine.released()) {
                Spool.Pending pending = spool.begin();
                try (InputStream in = Files.newInputStream(quarantine.releasedContent(m.id()))) {
                    OutputStream out = pending.content();
                    in.transferTo(out);
                    out.close();
                    // The held copy already carries Postern's headers; nothing is prepended twice.
                    spool.commit(pending, new Envelope(m.id(), m.tenant(), m.mailFrom(), m.recipients(), m.deliveryTarget(),
                            m.heldAt(), "", false));
                } catch (IOException | RuntimeException e) {
                    pending.discard();
                    throw e;
                }
                quarantine.forgetReleased(m.id());
                log.info("released message {} of tenant {} spooled for delivery", m.id(), m.tenant());
            }
        } catch (IOException | RuntimeException e) {
            if (!closed) log.warn("could not spool released messages (will retry): {}", e.toString());
        }
    }

    @Override
    public void close() {
        closed = true;
        loop.interrupt();
    }
}
