package org.postern.content;

import java.util.Arrays;
import java.util.Optional;

/**
 * Why the content filter said what it said. Each code has a stable dotted name that the trace stores and
 * {@code classify --json} prints: never rename or reuse one. How much each weighs lives apart, in
 * {@code scl-weights.properties} ({@link SclWeights}).
 */
public enum ContentReasonCode {
    /** The classifier's spam probability, as log-odds; detail names the words that weighed most. */
    CLASSIFIER("classifier.score"),

    /** An allow entry, connector or rule said to trust the message: SCL −1. */
    TRUSTED("policy.trusted"),

    SPF_FAIL("auth.spf-fail"),
    SPF_SOFTFAIL("auth.spf-softfail"),
    DKIM_FAIL("auth.dkim-fail"),
    DMARC_FAIL("auth.dmarc-fail"),
    /** SPF or DKIM passed for the From domain (DMARC pass): a known sender, weighs towards ham. */
    AUTH_ALIGNED_PASS("auth.aligned-pass"),

    /** The client was listed on DNS blocklists at RCPT; the blocklist score is the detail and scales the weight. */
    IP_BLOCKLISTED("blocklist.ip"),
    /** A link's domain is on a URI blocklist (a DBL-style zone), looked up by the caller. */
    URI_BLOCKLISTED("blocklist.uri"),

    MISSING_DATE("header.missing-date"),
    MISSING_MESSAGE_ID("header.missing-message-id"),
    MISSING_FROM("header.missing-from"),
    DATE_IN_FUTURE("header.date-in-future"),
    DATE_LONG_AGO("header.date-long-ago"),
    /** The HELO name claims one of the tenant's own domains from outside. */
    HELO_CLAIMS_TENANT("header.helo-claims-tenant"),
    /** The HELO name is not a fully qualified domain name nor an address literal (RFC 5321 §4.1.1.1). */
    HELO_NOT_FQDN("header.helo-not-fqdn"),
    /** The HELO address literal is not the client's address. */
    HELO_IP_MISMATCH("header.helo-ip-mismatch"),
    /** The HELO name's organisation is not the one of the client's verified reverse DNS name. */
    HELO_PTR_MISMATCH("header.helo-ptr-mismatch"),
    /** A Received field claims to be written by this gateway, before the gateway saw the message. */
    FORGED_RECEIVED("header.forged-received"),

    /** Malformed MIME; detail lists the {@link ParseProblem} ids. */
    MALFORMED_MIME("mime.malformed"),

    /** A link shows one host and leads to another organisation's. */
    LINK_MISMATCH("link.shown-host-mismatch"),
    LINK_IP_LITERAL("link.ip-literal"),
    LINK_SHORTENER("link.shortener"),
    LINK_PUNYCODE("link.punycode"),
    LINK_USERINFO("link.userinfo"),

    /** The From display name names a tenant user or domain while the address is outside the tenant. */
    DISPLAY_NAME_SPOOF("phish.display-name"),
    /** A domain in From, Reply-To, the envelope sender or a link looks like one of the tenant's own. */
    LOOKALIKE_DOMAIN("phish.lookalike-domain"),

    /** The bulk complaint level reached the tenant's threshold; detail has the BCL and its signs. */
    BULK("bulk.level");

    private final String id;

    ContentReasonCode(String id) {
        this.id = id;
    }

    /** The stable name shown in the trace and by {@code classify}. */
    public String id() {
        return id;
    }

    public static Optional<ContentReasonCode> byId(String id) {
        return Arrays.stream(values()).filter(c -> c.id.equals(id)).findFirst();
    }
}
