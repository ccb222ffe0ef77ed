package org.postern.trace;

/** Status of a traced message (INTERFACES §4); {@code Queued} means accepted and awaiting delivery. */
public enum TraceStatus {
    Queued, Delivered, Junk, Quarantined, Rejected, Deferred, Failed, Malware, Expanded,
    /** Accepted and dropped on purpose (a transport rule's delete): nothing was delivered. */
    Deleted
}
