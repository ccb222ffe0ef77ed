package org.postern.queue;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.postern.trace.DeliveryEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides when each queued message is tried, and tries it: a queue of messages ordered by due time, one
 * dispatcher, and at most {@code workers} attempts at once, each on its own virtual thread. One attempt delivers
 * all pending recipients of one message in one transaction. After it, the recipients' state is made durable,
 * then every recipient's result is reported to the listener; a message with recipients still pending goes back
 * into the queue at its next due time ({@link RetryPolicy}).
 *
 * <p>Due times come from the injected {@link Clock}. The dispatcher re-reads the clock at least once a second, so
 * a test clock moved forward takes effect without {@link #retryNow()}; {@code retryNow()} is immediate.
 */
public final class DeliveryScheduler implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DeliveryScheduler.class);
    private static final Duration MAX_IDLE_WAIT = Duration.ofSeconds(1);

    private record Due(Instant at, long order, QueuedMessage message) {}

    private final DeliverySettings settings;
    private final DeliveryListener listener;
    private final Clock clock;
    private final DeliveryAgents agents;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final PriorityQueue<Due> waiting = new PriorityQueue<>(Comparator.comparing(Due::at).thenComparingLong(Due::order));
    private final Semaphore workers;
    private final ExecutorService executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("delivery-", 0).factory());
    private Thread dispatcher;
    private long order;
    /** Messages being attempted, with the flush generation current when their attempt began. */
    private final Map<QueuedMessage, Long> inFlight = new IdentityHashMap<>();
    private long flushes;
    private boolean running = true;
    private final Optional<DsnPolicy> dsn;
    private volatile Spool bounces;

    /** Where DSNs are queued (the spool that owns this scheduler; {@link FileSpool#open} sets it). */
    void bounceInto(Spool spool) {
        this.bounces = spool;
    }

    private DeliveryScheduler(DeliverySettings settings, Optional<OutboundSettings> outbound, DeliveryListener listener, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.agents = new DeliveryAgents(settings, outbound, clock);
        this.workers = new Semaphore(settings.workers());
        this.dsn = outbound.map(o -> new DsnPolicy(settings.hostname(), o.dsnDelay(), clock));
    }

    /** A running scheduler; give it to {@link FileSpool#open}, which then owns it. */
    public static DeliveryScheduler start(DeliverySettings settings, DeliveryListener listener, Clock clock) {
        return start(settings, Optional.empty(), listener, clock);
    }

    /** As above, also delivering outbound mail ({@link DeliveryTarget#INTERNET}) and sending DSNs for it. */
    public static DeliveryScheduler start(DeliverySettings settings, Optional<OutboundSettings> outbound, DeliveryListener listener, Clock clock) {
        DeliveryScheduler s = new DeliveryScheduler(settings, outbound, listener, clock);
        s.dispatcher = Thread.ofVirtual().name("delivery-dispatcher").start(s::dispatch);
        return s;
    }

    /** Queues a message, due now. */
    void submit(QueuedMessage message) {
        enqueue(message, clock.instant());
    }

    /**
     * Makes every unfinished message due now (an operator's "flush", and how tests skip the backoff): those waiting
     * at once, those being attempted as soon as their attempt ends, if it leaves recipients pending.
     */
    public void retryNow() {
        lock.lock();
        try {
            flushes++;
            Instant now = clock.instant();
            List<Due> all = new ArrayList<>(waiting);
            waiting.clear();
            for (Due d : all) waiting.add(new Due(now, d.order(), d.message()));
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Messages not yet finished: waiting for their next attempt or being attempted now. */
    public int depth() {
        lock.lock();
        try {
            return waiting.size() + inFlight.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops dispatching, waits up to the shutdown grace for attempts in flight, then interrupts them. Whatever is
     * unfinished stays in the spool for the next start; an interrupted attempt may be repeated then.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            if (!running) return;
            running = false;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            dispatcher.interrupt();   // it may be waiting for a free worker
            dispatcher.join();
            executor.shutdown();
            if (!executor.awaitTermination(settings.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("delivery: interrupting attempts still running after {}", settings.shutdownGrace());
                executor.shutdownNow();
                executor.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        } finally {
            agents.close();
        }
    }

    private void enqueue(QueuedMessage message, Instant at) {
        lock.lock();
        try {
            if (!running) return;   // it stays on disk and is resumed at the next start
            waiting.add(new Due(at, order++, message));
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void dispatch() {
        while (true) {
            QueuedMessage next = takeDue();
            if (next == null) return;
            try {
                workers.acquire();
            } catch (InterruptedException e) {
                settle(next, Optional.empty());   // stays on disk; resumed at the next start
                return;
            }
            executor.execute(() -> {
                try {
                    attempt(next);
                } finally {
                    workers.release();
                }
            });
        }
    }

    /** The next due message, counted as in flight; null once stopped. */
    private QueuedMessage takeDue() {
        lock.lock();
        try {
            while (running) {
                Due head = waiting.peek();
                if (head == null) {
                    changed.await();
                    continue;
                }
                Duration wait = Duration.between(clock.instant(), head.at());
                if (wait.isNegative() || wait.isZero()) {
                    waiting.poll();
                    inFlight.put(head.message(), flushes);
                    return head.message();
                }
                changed.await(Math.min(wait.toNanos(), MAX_IDLE_WAIT.toNanos()), TimeUnit.NANOSECONDS);
            }
            return null;
        } catch (InterruptedException e) {
            return null;
        } finally {
            lock.unlock();
        }
    }

    private void attempt(QueuedMessage message) {
        Envelope envelope = message.envelope();
        DeliveryState before = message.state();
        Optional<Instant> next = Optional.empty();
        boolean settled = false;
        try {
            List<RecipientResult> results = agents.deliver(envelope, message.content(), before.pendingAddresses());
            Instant now = clock.instant();
            DeliveryState after = before.after(results, now, envelope.receivedAt(), settings.retry());
            after = notifySender(message, before, after, now);
            try {
                message.record(after);
            } catch (IOException e) {
                // Delivery happened; only a crash before the next successful write could repeat it.
                log.error("spool: could not record delivery state of {}: {}", message, e.toString());
            }
            next = after.nextDue();
            if (next.isEmpty()) {
                // Finished: leave the queue before telling the listener, so depth() agrees with the trace.
                settle(message, next);
                settled = true;
            }
            // Reported before a retry is queued, so one message's events reach the trace in order.
            report(envelope, results, after, now);
        } catch (RuntimeException e) {
            log.error("delivery of {} failed unexpectedly; retrying after the first backoff", message, e);
            next = Optional.of(clock.instant().plus(settings.retry().initialBackoff()));
        } finally {
            if (!settled) settle(message, next);
        }
    }

    /**
     * Queues the DSN this attempt calls for (outbound mail of an authenticated sender only, {@link DsnPolicy}),
     * before the state that says it was sent is recorded: a crash in between repeats a DSN rather than losing it.
     */
    private DeliveryState notifySender(QueuedMessage message, DeliveryState before, DeliveryState after, Instant now) {
        Spool spool = bounces;
        if (dsn.isEmpty() || spool == null) return after;
        try {
            Optional<DsnPolicy.Dsn> d = dsn.get().after(message.envelope(), message.content(), before, after, now);
            if (d.isEmpty()) return after;
            Spool.Pending pending = spool.begin();
            try (var out = pending.content()) {
                out.write(d.get().content());
            }
            try {
                listener.notificationQueued(d.get().trace(settings.node())); // first: the DSN's attempts follow it
            } catch (RuntimeException e) {
                log.error("delivery listener failed on the DSN {}: {}", d.get().envelope().ref(), e.toString());
            }
            spool.commit(pending, d.get().envelope());
            log.info("dsn ref={} for {} queued as {} to <{}>", message.envelope().ref(), message, d.get().envelope().ref(),
                    message.envelope().mailFrom());
            return after.withDelayReported(d.get().delayedRecipients());
        } catch (IOException | RuntimeException e) {
            log.error("dsn for {} could not be queued: {}", message, e.toString());
            return after;
        }
    }

    /** The attempt is over: the message is no longer in flight, and waits for its next attempt if it has one. */
    private void settle(QueuedMessage message, Optional<Instant> next) {
        lock.lock();
        try {
            Long flushesAtStart = inFlight.remove(message);
            boolean flushedMeanwhile = flushesAtStart != null && flushesAtStart != flushes;
            if (running && next.isPresent()) {
                waiting.add(new Due(flushedMeanwhile ? clock.instant() : next.get(), order++, message));
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void report(Envelope envelope, List<RecipientResult> results, DeliveryState after, Instant now) {
        for (RecipientResult result : results) {
            RecipientState state = after.recipient(result.recipient()).orElse(null);
            if (state == null) continue;
            RecipientResult.Outcome outcome = switch (state.status()) {
                case DELIVERED -> RecipientResult.Outcome.DELIVERED;
                case FAILED -> RecipientResult.Outcome.FAILED;
                case PENDING -> RecipientResult.Outcome.DEFERRED;
            };
            DeliveryEvent event = new DeliveryEvent(envelope.ref(), envelope.tenant(), state.address(), now,
                    outcome.traceStatus(), state.attempts(), envelope.deliveryTarget(), state.detail(), settings.node());
            log.info("delivery ref={} to=<{}> target={} attempt={} status={} detail={}", envelope.ref(), state.address(),
                    envelope.deliveryTarget(), state.attempts(), event.outcome(), state.detail());
            try {
                listener.attempted(event);
            } catch (RuntimeException e) {
                log.error("delivery listener failed on {}: {}", event, e.toString());
            }
        }
    }
}
