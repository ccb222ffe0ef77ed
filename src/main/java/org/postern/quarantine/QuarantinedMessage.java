package org.postern.quarantine;

import java.time.Instant;
import java.util.List;

/**
 * One message held in quarantine: what the tenant's admin sees in the list and what release needs to deliver it.
 *
 * @param id             the message's reference (the same as in the trace)
 * @param reason         why it was held, as the trace states it
 * @param deliveryTarget where release delivers it (the tenant's {@code delivery} when it was held)
 */
public record QuarantinedMessage(String id, String tenant, Instant heldAt, String mailFrom, List<String> recipients,
                                 String subject, long size, String reason, String deliveryTarget) {
    public QuarantinedMessage {
        recipients = List.copyOf(recipients);
    }
}
