package org.postern.queue;

import java.time.Instant;
import java.util.List;

/**
 * Everything delivery needs besides the message content: who sent it, to whom, where it goes, and the header
 * lines Postern prepends (Received, X-Postern-*), kept apart so the received bytes are never copied twice.
 *
 * @param mailFrom        reverse-path, "" for the null sender
 * @param deliveryTarget  smtp://host:port, lmtp://host:port or maildir:PATH (the tenant's {@code delivery})
 * @param prependHeaders  complete header lines, each ending in CRLF, written before the content on delivery
 * @param senderVerified  SPF pass or aligned DKIM pass; only then may a DSN ever be sent
 */
public record Envelope(String ref, String tenant, String mailFrom, List<String> recipients, String deliveryTarget,
                       Instant receivedAt, String prependHeaders, boolean senderVerified) {
    public Envelope {
        recipients = List.copyOf(recipients);
        if (recipients.isEmpty()) throw new IllegalArgumentException("an envelope needs a recipient");
    }
}
