package org.postern.policy;

import java.net.InetAddress;

/**
 * Per-client counters behind the operator's limits: {@link LocalClientCounters} on one node, or
 * {@link SharedClientCounters} shared by every node through Redis. The stages do not know which.
 */
public interface ClientCounters {

    /** A client connected (the session counts it before CONNECT is judged). */
    void connectionOpened(InetAddress client);

    /** The client's connection ended. */
    void connectionClosed(InetAddress client);

    /** Connections currently open from this address (including the one being judged). */
    int openConnections(InetAddress client);

    /** Connections currently open from all clients together (including the one being judged). */
    int totalConnections();

    /** Whether the client has message budget left this minute, without using it. */
    boolean hasMessageBudget(InetAddress client, int perMinute);

    /** Uses one message of the client's budget; false when none was left. */
    boolean takeMessage(InetAddress client, int perMinute);

    /** Connections currently open from the client's network: its /24 (IPv4) or /64 (IPv6). */
    default int openConnectionsInNetwork(InetAddress client) { return openConnections(client); }

    /** Whether the client has recipient budget left this minute, without using it. */
    default boolean hasRecipientBudget(InetAddress client, int perMinute) { return true; }

    /** Uses one recipient of the client's budget; false when none was left. */
    default boolean takeRecipient(InetAddress client, int perMinute) { return true; }
}
