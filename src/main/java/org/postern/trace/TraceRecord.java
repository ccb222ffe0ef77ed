package org.postern.trace;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The message trace record of one transaction, or of one refusal (a refused session or recipient is its own
 * record with its own reference). Field names are those of INTERFACES §4.
 *
 * @param phase      where it was decided: CONNECT, HELO, MAIL, RCPT, DATA, DELIVERY
 * @param smtpReply  what the client was told, as sent
 * @param node       the node that received it
 */
public record TraceRecord(String ref, Optional<String> tenant, Instant receivedAt, String clientIp,
                          Optional<String> helo, Optional<String> tls, Optional<String> mailFrom,
                          List<String> recipients, Optional<String> messageId, Optional<String> subject,
                          long size, OptionalInt scl, TraceStatus status, String phase, String smtpReply,
                          List<DecisionEntry> decisions, String node) {
    public TraceRecord {
        recipients = List.copyOf(recipients);
        decisions = List.copyOf(decisions);
    }

    public TraceRecord withStatus(TraceStatus newStatus) {
        return new TraceRecord(ref, tenant, receivedAt, clientIp, helo, tls, mailFrom, recipients, messageId,
                subject, size, scl, newStatus, phase, smtpReply, decisions, node);
    }
}
