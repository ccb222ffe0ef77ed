package org.postern.policy;

import java.net.InetAddress;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * In-memory counters: open connections per address and per network, and token buckets of messages and of recipients
 * per address that refill continuously at the per-minute rate (so a client is not let through in bursts at each
 * minute boundary).
 */
public final class LocalClientCounters implements ClientCounters {

    private final Clock clock;
    private final ConcurrentHashMap<InetAddress, AtomicInteger> open = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<InetAddress, Bucket> buckets = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Cidr, AtomicInteger> openPerNetwork = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<InetAddress, Bucket> recipientBuckets = new ConcurrentHashMap<>();
    private final AtomicInteger total = new AtomicInteger();

    public LocalClientCounters(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void connectionOpened(InetAddress client) {
        open.computeIfAbsent(client, k -> new AtomicInteger()).incrementAndGet();
        openPerNetwork.computeIfAbsent(network(client), k -> new AtomicInteger()).incrementAndGet();
        total.incrementAndGet();
    }

    @Override
    public void connectionClosed(InetAddress client) {
        open.computeIfPresent(client, (k, v) -> v.decrementAndGet() <= 0 ? null : v);
        openPerNetwork.computeIfPresent(network(client), (k, v) -> v.decrementAndGet() <= 0 ? null : v);
        total.decrementAndGet();
    }

    @Override
    public int openConnections(InetAddress client) {
        AtomicInteger n = open.get(client);
        return n == null ? 0 : n.get();
    }

    @Override
    public int totalConnections() {
        return total.get();
    }

    @Override
    public boolean hasMessageBudget(InetAddress client, int perMinute) {
        Bucket b = buckets.get(client);
        return b == null || b.available(clock.millis(), perMinute) >= 1;
    }

    @Override
    public boolean takeMessage(InetAddress client, int perMinute) {
        return buckets.computeIfAbsent(client, k -> new Bucket(perMinute, clock.millis())).take(clock.millis(), perMinute);
    }

    @Override
    public int openConnectionsInNetwork(InetAddress client) {
        AtomicInteger n = openPerNetwork.get(network(client));
        return n == null ? 0 : n.get();
    }

    @Override
    public boolean hasRecipientBudget(InetAddress client, int perMinute) {
        Bucket b = recipientBuckets.get(client);
        return b == null || b.available(clock.millis(), perMinute) >= 1;
    }

    @Override
    public boolean takeRecipient(InetAddress client, int perMinute) {
        return recipientBuckets.computeIfAbsent(client, k -> new Bucket(perMinute, clock.millis())).take(clock.millis(), perMinute);
    }

    /** The network a client shares with its neighbours: /24 for IPv4, /64 for IPv6 (one customer's usual allocation). */
    static Cidr network(InetAddress client) {
        return new Cidr(client, client.getAddress().length == 4 ? 24 : 64);
    }

    private static final class Bucket {
        private double tokens;
        private long lastMillis;

        Bucket(int capacity, long now) {
            this.tokens = capacity;
            this.lastMillis = now;
        }

        synchronized double available(long now, int perMinute) {
            refill(now, perMinute);
            return tokens;
        }

        synchronized boolean take(long now, int perMinute) {
            refill(now, perMinute);
            if (tokens < 1) return false;
            tokens -= 1;
            return true;
        }

        private void refill(long now, int perMinute) {
            if (now > lastMillis) {
                tokens = Math.min(perMinute, tokens + (now - lastMillis) * perMinute / 60_000.0);
                lastMillis = now;
            }
        }
    }
}
