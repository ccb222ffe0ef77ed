package org.postern.policy;

import org.postern.counters.Counters;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

/**
 * The operator's per-client limits counted for all nodes together ({@code redis:} configured): a client that spreads
 * its connections or its messages over the nodes behind one MX meets the same limits as on one node. The node-wide
 * connection cap ({@code smtp.max-connections}) protects this node's own memory and threads, so it stays local.
 */
public final class SharedClientCounters implements ClientCounters {

    private static final Duration MINUTE = Duration.ofMinutes(1);

    private final Counters shared;
    private final LocalClientCounters node;

    /** @param node this node's own counters: the node-wide total */
    public SharedClientCounters(Counters shared, LocalClientCounters node) {
        this.shared = shared;
        this.node = node;
    }

    /**
     * What the session's own opening counted (with its own connection), for the CONNECT stages that ask right after
     * on the same (virtual) thread: one round trip to Redis instead of three. Another address, or a thread that did
     * not open, asks Redis.
     */
    private record JustOpened(InetAddress client, long fromClient, long fromNetwork) { }

    private final ThreadLocal<JustOpened> justOpened = new ThreadLocal<>();

    @Override
    public void connectionOpened(InetAddress client) {
        node.connectionOpened(client);
        long[] counts = shared.opened(List.of(ipKey(client), networkKey(client)));
        justOpened.set(new JustOpened(client, counts[0], counts[1]));
    }

    @Override
    public void connectionClosed(InetAddress client) {
        justOpened.remove();
        node.connectionClosed(client);
        shared.closed(List.of(ipKey(client), networkKey(client)));
    }

    @Override
    public int openConnections(InetAddress client) {
        JustOpened j = justOpened.get();
        if (j != null && j.client().equals(client)) return (int) j.fromClient();
        return (int) shared.openNow(ipKey(client));
    }

    @Override
    public int totalConnections() {
        return node.totalConnections();
    }

    @Override
    public int openConnectionsInNetwork(InetAddress client) {
        JustOpened j = justOpened.get();
        if (j != null && j.client().equals(client)) return (int) j.fromNetwork();
        return (int) shared.openNow(networkKey(client));
    }

    @Override
    public boolean hasMessageBudget(InetAddress client, int perMinute) {
        return shared.canTake("msg:" + client.getHostAddress(), perMinute, MINUTE);
    }

    @Override
    public boolean takeMessage(InetAddress client, int perMinute) {
        return shared.tryTake("msg:" + client.getHostAddress(), perMinute, MINUTE);
    }

    @Override
    public boolean hasRecipientBudget(InetAddress client, int perMinute) {
        return shared.canTake("rcpt:" + client.getHostAddress(), perMinute, MINUTE);
    }

    @Override
    public boolean takeRecipient(InetAddress client, int perMinute) {
        return shared.tryTake("rcpt:" + client.getHostAddress(), perMinute, MINUTE);
    }

    private static String ipKey(InetAddress client) {
        return "conn:ip:" + client.getHostAddress();
    }

    private static String networkKey(InetAddress client) {
        return "conn:net:" + LocalClientCounters.network(client);
    }
}
