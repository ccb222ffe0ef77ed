package org.postern.quarantine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Held messages: on the node's disk ({@link FileQuarantine}) or in the shared store ({@link JdbcQuarantine}, so
 * every node of a fleet sees and releases every message). A held message is durable before {@link #hold} returns.
 */
public interface Quarantine {

    /** Holds a message: {@code headers} then the received content, durable before returning. */
    void hold(QuarantinedMessage m, String headers, Path content) throws IOException;

    /** The tenant's held messages, newest first. */
    List<QuarantinedMessage> list(String tenant) throws IOException;

    Optional<QuarantinedMessage> find(String tenant, String id) throws IOException;

    /** The held message as it would be delivered. */
    InputStream open(String tenant, String id) throws IOException;

    /**
     * Hands the message to delivery: it leaves the tenant's list now and a running node spools it.
     *
     * @param by who released it (an admin's name), for the trace
     */
    boolean release(String tenant, String id, String by, Instant at) throws IOException;

    boolean delete(String tenant, String id) throws IOException;

    /** Deletes the tenant's messages held before {@code cutoff} (its retention); returns how many. */
    int expire(String tenant, Instant cutoff) throws IOException;

    /** Tenants with held messages. */
    List<String> tenants() throws IOException;

    /** Released messages this node is to spool now (a store-backed quarantine claims them for this node). */
    List<QuarantinedMessage> released() throws IOException;

    /** The content of a message {@link #released()} returned. */
    InputStream openReleased(String id) throws IOException;

    /** The released message is in the spool: forget it. */
    void forgetReleased(String id) throws IOException;
}
