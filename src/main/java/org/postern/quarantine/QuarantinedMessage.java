package org.postern.quarantine;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One message held in quarantine: what the tenant's admin sees in the list and what release needs to deliver it.
 *
 * @param id             the message's reference (the same as in the trace)
 * @param reason         why it was held, as the trace states it
 * @param deliveryTarget where release delivers it (the tenant's {@code delivery} when it was held)
 * @param releasedBy     who released it, once released
 */
public record QuarantinedMessage(String id, String tenant, Instant heldAt, String mailFrom, List<String> recipients,
                                 String subject, long size, String reason, String deliveryTarget,
                                 Optional<String> releasedBy, Optional<Instant> releasedAt) {
    public QuarantinedMessage {
        recipients = List.copyOf(recipients);
        releasedBy = releasedBy == null ? Optional.empty() : releasedBy;
        releasedAt = releasedAt == null ? Optional.empty() : releasedAt;
    }

    /** A message just held: not released. */
    public static QuarantinedMessage held(String id, String tenant, Instant heldAt, String mailFrom, List<String> recipients,
                                          String subject, long size, String reason, String deliveryTarget) {
        return new QuarantinedMessage(id, tenant, heldAt, mailFrom, recipients, subject, size, reason, deliveryTarget,
                Optional.empty(), Optional.empty());
    }

    QuarantinedMessage releasedBy(String by, Instant at) {
        return new QuarantinedMessage(id, tenant, heldAt, mailFrom, recipients, subject, size, reason, deliveryTarget,
                Optional.of(by), Optional.of(at));
    }
}
