package org.postern.queue;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.time.Instant;
import java.util.List;

/**
 * Everything delivery needs besides the message content: who sent it, to whom, where it goes, and the header
 * lines Postern prepends (Received, X-Postern-*), kept apart so the received bytes are never copied twice.
 *
 * <p>Outbound mail (submitted by a tenant's user or on-premises server, for the internet) has the delivery
 * target {@link DeliveryTarget#INTERNET}: each recipient's domain is looked up in DNS (MX) at delivery time.
 *
 * @param mailFrom          reverse-path, "" for the null sender
 * @param deliveryTarget    smtp://host:port, lmtp://host:port or maildir:PATH (the tenant's {@code delivery}), or
 *                          {@link DeliveryTarget#INTERNET} for outbound mail
 * @param prependHeaders    complete header lines, each ending in CRLF, written before the content on delivery
 * @param senderVerified    SPF pass or aligned DKIM pass, or an authenticated submitter; only then may a DSN be sent
 * @param authenticatedUser the SMTP AUTH identity that submitted the message, "" when none (inbound, connector)
 * @param highRisk          outbound mail the content filter judged spam: sent from the high-risk pool
 * @param requireTls        the sender asked for REQUIRETLS (RFC 8689): delivered only over verified TLS
 */
public record Envelope(String ref, String tenant, String mailFrom, List<String> recipients, String deliveryTarget,
                       Instant receivedAt, String prependHeaders, boolean senderVerified,
                       String authenticatedUser, boolean highRisk, boolean requireTls) {

    @JsonCreator
    public Envelope {
        recipients = List.copyOf(recipients);
        if (recipients.isEmpty()) throw new IllegalArgumentException("an envelope needs a recipient");
        // Envelopes spooled before these fields existed read them as absent.
        if (authenticatedUser == null) authenticatedUser = "";
    }

    /** Inbound mail for a tenant's own servers. */
    public Envelope(String ref, String tenant, String mailFrom, List<String> recipients, String deliveryTarget,
                    Instant receivedAt, String prependHeaders, boolean senderVerified) {
        this(ref, tenant, mailFrom, recipients, deliveryTarget, receivedAt, prependHeaders, senderVerified, "", false, false);
    }

    /**
     * Outbound mail for the internet, accepted from {@code authenticatedUser} ("" for an on-premises connector).
     * The submitter's ownership of {@code mailFrom} was checked at submission, so it counts as verified.
     */
    public static Envelope outbound(String ref, String tenant, String mailFrom, List<String> recipients, Instant receivedAt,
                                    String prependHeaders, String authenticatedUser, boolean highRisk, boolean requireTls) {
        return new Envelope(ref, tenant, mailFrom, recipients, DeliveryTarget.INTERNET, receivedAt, prependHeaders,
                true, authenticatedUser, highRisk, requireTls);
    }

    /** Mail for the internet rather than a tenant's own server. */
    public boolean outbound() {
        return DeliveryTarget.INTERNET.equals(deliveryTarget);
    }

    /** A delivery status notification we made (RFC 3464): null sender, internet-bound. */
    public boolean isDsn() {
        return outbound() && mailFrom.isEmpty();
    }
}
