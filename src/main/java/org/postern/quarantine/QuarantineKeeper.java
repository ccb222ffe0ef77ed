package org.postern.quarantine;

import org.postern.config.Units;
import org.postern.queue.Envelope;
import org.postern.queue.Spool;
import org.postern.trace.DecisionEntry;
import org.postern.trace.TraceQuery;
import org.postern.trace.TraceRecord;
import org.postern.trace.TraceStatus;
import org.postern.trace.TraceStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The node's quarantine housekeeping, once a second: released messages go into the spool (release itself only moves
 * files, so it works whether or not a node runs, and a node that was down spools them when it starts), and once an
 * hour each tenant's messages older than its {@code quarantine.retention} are deleted. A released message keeps its
 * reference; its trace record gains who released it and when.
 */
public final class QuarantineKeeper implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(QuarantineKeeper.class);
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(30);
    private static final Duration EXPIRY_EVERY = Duration.ofHours(1);

    private final Quarantine quarantine;
    private final Spool spool;
    private final TraceStore trace;
    private final Function<String, Duration> retentionOf;
    private final Clock clock;
    private final Thread loop;
    private Instant lastExpiry = Instant.MIN;
    private volatile boolean closed;

    /** @param retentionOf a tenant id's retention ({@link #retention(String)} parses the tenant setting) */
    private QuarantineKeeper(Quarantine quarantine, Spool spool, TraceStore trace, Function<String, Duration> retentionOf,
                             Clock clock, Duration every) {
        this.quarantine = quarantine;
        this.spool = spool;
        this.trace = trace;
        this.retentionOf = retentionOf;
        this.clock = clock;
        this.loop = Thread.ofVirtual().name("postern-quarantine").unstarted(() -> run(every));
    }

    public static QuarantineKeeper start(Quarantine quarantine, Spool spool, TraceStore trace,
                                         Function<String, Duration> retentionOf, Clock clock, Duration every) {
        QuarantineKeeper k = new QuarantineKeeper(quarantine, spool, trace, retentionOf, clock, every);
        k.loop.start();
        return k;
    }

    /** A tenant's {@code quarantine.retention} setting, or the default when it has none. */
    public static Duration retention(java.util.Optional<String> setting) {
        return setting.map(Units::duration).orElse(DEFAULT_RETENTION);
    }

    private void run(Duration every) {
        while (!closed) {
            spoolReleased();
            if (Duration.between(lastExpiry, clock.instant()).compareTo(EXPIRY_EVERY) >= 0) {
                expireOld();
                lastExpiry = clock.instant();
            }
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
                // The trace first: once spooled, delivery may record its outcome at any moment.
                traceRelease(m);
                Spool.Pending pending = spool.begin();
                try (InputStream in = quarantine.openReleased(m.id())) {
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

    private void traceRelease(QuarantinedMessage m) {
        try {
            List<TraceRecord> found = trace.search(TraceQuery.all().withRef(m.id()));
            if (found.isEmpty()) return;
            TraceRecord r = found.get(0);
            DecisionEntry release = new DecisionEntry("QUARANTINE/Release", "release", "quarantine.released: by "
                    + m.releasedBy().orElse("unknown") + " at " + m.releasedAt().map(Instant::toString).orElse("?"), "");
            if (r.decisions().contains(release)) return; // a retried pass
            List<DecisionEntry> decisions = new ArrayList<>(r.decisions());
            decisions.add(release);
            trace.record(new TraceRecord(r.ref(), r.tenant(), r.receivedAt(), r.clientIp(), r.helo(), r.tls(), r.mailFrom(),
                    r.recipients(), r.messageId(), r.subject(), r.size(), r.scl(), TraceStatus.Queued, r.phase(), r.smtpReply(),
                    decisions, r.node()));
        } catch (RuntimeException e) {
            log.warn("released message {} spooled, but its trace could not be updated: {}", m.id(), e.getMessage());
        }
    }

    void expireOld() {
        try {
            for (String tenant : quarantine.tenants()) {
                int n = quarantine.expire(tenant, clock.instant().minus(retentionOf.apply(tenant)));
                if (n > 0) log.info("quarantine of tenant {}: {} messages past retention deleted", tenant, n);
            }
        } catch (IOException | RuntimeException e) {
            log.warn("quarantine retention pass failed (will retry): {}", e.toString());
        }
    }

    @Override
    public void close() {
        closed = true;
        loop.interrupt();
    }
}
