package org.postern.admin;

import org.postern.quarantine.Quarantine;
import org.postern.quarantine.QuarantinedMessage;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the admin listener needs of the quarantine: the seam to the node's quarantine store, so a different store
 * (one in the database) is a change of the one line that builds it ({@link #of}).
 */
public interface QuarantineAccess {

    List<QuarantinedMessage> list(String tenant) throws IOException;

    Optional<QuarantinedMessage> find(String tenant, String id) throws IOException;

    InputStream open(String tenant, String id) throws IOException;

    boolean release(String tenant, String id, String by, Instant at) throws IOException;

    boolean delete(String tenant, String id) throws IOException;

    static QuarantineAccess of(Quarantine q) {
        return new QuarantineAccess() {
            public List<QuarantinedMessage> list(String tenant) throws IOException { return q.list(tenant); }
            public Optional<QuarantinedMessage> find(String tenant, String id) throws IOException { return q.find(tenant, id); }
            public InputStream open(String tenant, String id) throws IOException { return q.open(tenant, id); }
            public boolean release(String tenant, String id, String by, Instant at) throws IOException { return q.release(tenant, id, by, at); }
            public boolean delete(String tenant, String id) throws IOException { return q.delete(tenant, id); }
        };
    }
}
