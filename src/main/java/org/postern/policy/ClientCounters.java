package org.postern.policy;

import java.net.InetAddress;

/**
 * Per-client counters behind the operator's limits. Local to a node for now; a shared (Redis) implementation
 * can replace it without touching the stages.
 */
public interface ClientCounters {

    /** Connections currently open from this address (including the one being judged). */
    int openConnections(InetAddress client);

    /** Connections currently open from all clients together (including the one being judged). */
    int totalConnections();

    /** Whether the client has message budget left this minute, without using it. */
    boolean hasMessageBudget(InetAddress client, int perMinute);

    /** Uses one message of the client's budget; false when none was left. */
    boolean takeMessage(InetAddress client, int perMinute);
}
