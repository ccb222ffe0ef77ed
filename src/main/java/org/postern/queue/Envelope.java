package org.postern.queue;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;

import java.time.Instant;
import java.util.List;

/**
 * Everything delivery needs besides the message content: who sent it, to whom, where it goes, and the header
 * lines Postern prepends (Received, X-Postern-*), kept apart so the received bytes are never copied twice.
 *
 * <p>The seam between submission and internet delivery: mail a tenant sends (an authenticated submission user, or
 * the tenant's on-premises connector relaying) is queued with {@link Direction#OUTBOUND}, the tenant, the
 * authenticated user ({@code ""} for a connector) and {@code highRisk} when the outbound content verdict was spam;
 * its {@code deliveryTarget} is {@link #INTERNET}, which internet delivery ({@code MxDelivery}) resolves per
 * recipient domain. A high-risk message, and every DSN, leaves from the high-risk pool (its own source address and
 * HELO).</p>
 *
 * @param mailFrom        reverse-path, "" for the null sender
 * @param deliveryTarget  smtp://host:port, lmtp://host:port or maildir:PATH (the tenant's {@code delivery}), or
 *                        {@link #INTERNET} for outbound mail
 * @param prependHeaders  complete header lines, each ending in CRLF, written before the content on delivery
 * @param senderVerified  SPF pass or aligned DKIM pass (inbound), or an authenticated sender (outbound); only then
 *                        may a DSN ever be sent
 * @param direction       inbound (to a tenant) or outbound (a tenant's mail to the internet); absent in envelopes
 *                        spooled before it existed, which were all inbound
 * @param authUser        the authenticated submission user of an outbound message; "" when none
 * @param highRisk        outbound mail the content filter judged spam: sent from the high-risk pool
 * @param requireTls      the sender asked for REQUIRETLS (RFC 8689): delivered only over verified TLS, and only to
 *                        a next hop that offers REQUIRETLS itself
 */
public record Envelope(String ref, String tenant, String mailFrom, List<String> recipients, String deliveryTarget,
                       Instant receivedAt, String prependHeaders, boolean senderVerified,
                       Direction direction, String authUser, boolean highRisk, boolean requireTls) {

    /** The delivery target of outbound mail: the recipients' MX hosts (RFC 5321 §5). */
    public static final String INTERNET = "mx:";

    public enum Direction { INBOUND, OUTBOUND }

    @JsonCreator
    public Envelope {
        recipients = List.copyOf(recipients);
        if (recipients.isEmpty()) throw new IllegalArgumentException("an envelope needs a recipient");
        direction = direction == null ? Direction.INBOUND : direction;
        authUser = authUser == null ? "" : authUser;
    }

    /** An inbound message for a tenant. */
    public Envelope(String ref, String tenant, String mailFrom, List<String> recipients, String deliveryTarget,
                    Instant receivedAt, String prependHeaders, boolean senderVerified) {
        this(ref, tenant, mailFrom, recipients, deliveryTarget, receivedAt, prependHeaders, senderVerified,
                Direction.INBOUND, "", false, false);
    }

    /** A tenant's message to the internet, delivered by MX; {@code authUser} "" when an on-premises connector relayed it. */
    public static Envelope outbound(String ref, String tenant, String mailFrom, List<String> recipients, Instant receivedAt,
                                    String prependHeaders, String authUser, boolean highRisk) {
        return outbound(ref, tenant, mailFrom, recipients, receivedAt, prependHeaders, authUser, highRisk, false);
    }

    /** As above; {@code requireTls} when the client gave MAIL FROM ... REQUIRETLS (RFC 8689). */
    public static Envelope outbound(String ref, String tenant, String mailFrom, List<String> recipients, Instant receivedAt,
                                    String prependHeaders, String authUser, boolean highRisk, boolean requireTls) {
        return new Envelope(ref, tenant, mailFrom, recipients, INTERNET, receivedAt, prependHeaders, true,
                Direction.OUTBOUND, authUser, highRisk, requireTls);
    }

    @JsonIgnore
    public boolean outbound() {
        return direction == Direction.OUTBOUND;
    }

    /** A delivery status notification Postern made (RFC 3464): outbound, with the null sender. */
    @JsonIgnore
    public boolean isDsn() {
        return outbound() && mailFrom.isEmpty();
    }

    /** The same envelope with other prepended header lines (e.g. DKIM-Signature fields in front). */
    public Envelope withPrependHeaders(String headers) {
        return new Envelope(ref, tenant, mailFrom, recipients, deliveryTarget, receivedAt, headers, senderVerified,
                direction, authUser, highRisk, requireTls);
    }
}
