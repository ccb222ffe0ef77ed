package org.postern.trace;

import java.time.Instant;
import java.util.Optional;

/** Filters for a trace search; all present filters must hold. Sender/recipient match case-insensitively. */
public record TraceQuery(Optional<String> tenant, Optional<String> ref, Optional<String> sender,
                         Optional<String> recipient, Optional<Instant> since, Optional<TraceStatus> status,
                         int limit, int offset) {

    public static TraceQuery all() {
        return new TraceQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), 1000, 0);
    }

    public TraceQuery withTenant(String t) { return new TraceQuery(Optional.of(t), ref, sender, recipient, since, status, limit, offset); }
    public TraceQuery withRef(String r) { return new TraceQuery(tenant, Optional.of(r), sender, recipient, since, status, limit, offset); }
    public TraceQuery withSender(String s) { return new TraceQuery(tenant, ref, Optional.of(s), recipient, since, status, limit, offset); }
    public TraceQuery withRecipient(String r) { return new TraceQuery(tenant, ref, sender, Optional.of(r), since, status, limit, offset); }
    public TraceQuery withSince(Instant i) { return new TraceQuery(tenant, ref, sender, recipient, Optional.of(i), status, limit, offset); }
}
