package org.postern.queue;

import java.time.Duration;
import java.util.Objects;

/**
 * How delivery behaves on this node.
 *
 * @param hostname       this node's host name: sent in EHLO/LHLO, written into Maildir file names
 * @param node           this node among several (node.name): recorded as the {@code node} of every delivery event
 *                       (the trace's "deliveredBy"); the host name unless set
 * @param retry          backoff and expiry of temporary failures
 * @param workers        how many deliveries run at once (each on a virtual thread)
 * @param connectTimeout TCP connect to a downstream
 * @param readTimeout    waiting for any reply, and for a blocked write to make progress (RFC 5321 §4.5.3.2
 *                       suggests 5 minutes for most replies; one value keeps this simple)
 * @param shutdownGrace  how long {@code close()} waits for attempts in flight before interrupting them
 */
public record DeliverySettings(String hostname, RetryPolicy retry, int workers, Duration connectTimeout,
                               Duration readTimeout, Duration shutdownGrace, String node) {

    /** A node named after its host name. */
    public DeliverySettings(String hostname, RetryPolicy retry, int workers, Duration connectTimeout, Duration readTimeout, Duration shutdownGrace) {
        this(hostname, retry, workers, connectTimeout, readTimeout, shutdownGrace, hostname);
    }

    public DeliverySettings {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(readTimeout, "readTimeout");
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        if (hostname.isBlank() || hostname.chars().anyMatch(c -> c <= ' ' || c >= 127))
            throw new IllegalArgumentException("hostname must be a non-empty ASCII name: '" + hostname + "'");
        if (workers < 1) throw new IllegalArgumentException("workers must be at least 1");
        if (connectTimeout.toMillis() < 1 || readTimeout.toMillis() < 1)
            throw new IllegalArgumentException("timeouts must be at least 1 ms");
    }

    /** 50 workers, connect 30 s, replies 5 min, shutdown grace 30 s, {@link RetryPolicy#defaults()}. */
    public static DeliverySettings defaults(String hostname) {
        return new DeliverySettings(hostname, RetryPolicy.defaults(), 50, Duration.ofSeconds(30),
                Duration.ofMinutes(5), Duration.ofSeconds(30));
    }

    public DeliverySettings withRetry(RetryPolicy r) {
        return new DeliverySettings(hostname, r, workers, connectTimeout, readTimeout, shutdownGrace, node);
    }

    public DeliverySettings withWorkers(int n) {
        return new DeliverySettings(hostname, retry, n, connectTimeout, readTimeout, shutdownGrace, node);
    }

    public DeliverySettings withTimeouts(Duration connect, Duration read) {
        return new DeliverySettings(hostname, retry, workers, connect, read, shutdownGrace, node);
    }

    /** Records deliveries as made by {@code name} (node.name). */
    public DeliverySettings withNode(String name) {
        return new DeliverySettings(hostname, retry, workers, connectTimeout, readTimeout, shutdownGrace, name);
    }

    public DeliverySettings withShutdownGrace(Duration grace) {
        return new DeliverySettings(hostname, retry, workers, connectTimeout, readTimeout, grace, node);
    }
}
