package org.postern.policy;

/**
 * Why a stage spoke. Each code has a stable dotted name that the trace stores: never rename or reuse one.
 * The SMTP reply for a refusal is chosen from the code by the edge's reply catalogue, not here.
 */
public enum ReasonCode {
    CLIENT_HARD_BANNED("operator.blocked-ip"),
    TOO_MANY_CONNECTIONS("operator.connections-per-ip"),
    TOO_MANY_CONNECTIONS_TOTAL("operator.max-connections"),
    MESSAGE_RATE_EXCEEDED("operator.messages-per-ip-per-minute"),
    TENANT_ATTRIBUTED("tenant.attributed"),
    RELAY_DENIED("tenant.relay-denied"),
    UNKNOWN_RECIPIENT("tenant.unknown-recipient"),
    RECIPIENTS_OF_SEVERAL_TENANTS("tenant.multiple-tenants"),
    TOO_MANY_RECIPIENTS("operator.max-recipients"),
    ACCEPTED_FOR_DELIVERY("disposition.deliver"),
    NO_VALID_RECIPIENTS("protocol.no-valid-recipients"),
    STORE_UNAVAILABLE("system.store-unavailable"),
    SPOOL_UNAVAILABLE("system.spool-unavailable"),
    STAGE_FAILED("system.stage-failed"),
    SENDER_AUTHENTICATION("auth.results"),
    DMARC_REJECT("auth.dmarc-reject"),
    DMARC_QUARANTINE("auth.dmarc-quarantine"),
    DMARC_REPORT_ONLY("auth.dmarc-report-only"),
    DMARC_ARC_OVERRIDE("auth.dmarc-arc-override"),
    OWN_DOMAIN_SPOOFED("auth.own-domain-spoofed"),
    SPOOF_ALLOWED("auth.spoof-allowed"),
    DNS_TEMPORARY_FAILURE("system.dns-temporary-failure"),
    SPAM_CONFIDENCE("content.scl"),
    SPAM_REFUSED("content.spam-refused"),
    SPAM_JUNKED("disposition.junk"),
    SPAM_QUARANTINED("disposition.quarantine"),
    MALWARE_DETECTED("malware.detected"),
    MALWARE_SCAN_UNAVAILABLE("malware.scan-unavailable"),
    MALWARE_NOT_SCANNED("malware.fail-open"),
    TRANSPORT_RULE("rules.hit"),
    TRANSPORT_RULE_REJECT("rules.reject"),
    TRANSPORT_RULE_QUARANTINE("rules.quarantine"),
    TRANSPORT_RULE_DELETE("rules.delete"),
    TOO_MANY_CONNECTIONS_NETWORK("operator.connections-per-network"),
    RECIPIENT_RATE_EXCEEDED("operator.recipients-per-ip-per-minute"),
    CLIENT_TALKED_EARLY("operator.early-talker"),
    PROXY_HEADER_REFUSED("operator.proxy-protocol"),
    CONNECTOR_MATCHED("trust.connector"),
    CONNECTOR_REQUIREMENT_NOT_MET("trust.connector-requirement"),
    TENANT_IP_ALLOWED("trust.ip-allow"),
    TENANT_IP_ALLOW_EXPIRED("trust.ip-allow-expired"),
    TENANT_IP_BLOCKED("trust.ip-block"),
    TENANT_IP_BLOCK_EXPIRED("trust.ip-block-expired"),
    LISTED_ON_DNSBL("trust.dnsbl-listed"),
    DNSBL_SCORE("trust.dnsbl-score"),
    DNSBL_LOOKUP_FAILED("trust.dnsbl-tempfail"),
    TRUST_PRECEDENCE("trust.precedence"),
    ENHANCED_FILTERING_HOP("trust.enhanced-filtering-hop"),
    ORIGINAL_CLIENT("trust.original-client"),
    RELAY_TRICK("tenant.relay-trick"),
    SUBMISSION_AUTHENTICATED("submission.auth"),
    SUBMISSION_AUTH_FAILED("submission.auth-failed"),
    SUBMISSION_LOCKED_OUT("submission.auth-locked"),
    SUBMISSION_AUTH_REQUIRED("submission.auth-required"),
    SENDER_NOT_OWNED("submission.sender-not-owned"),
    HEADER_FROM_NOT_OWNED("submission.header-from-not-owned"),
    SUBMITTER_RESTRICTED("submission.user-restricted"),
    OUTBOUND_LIMIT_REACHED("submission.recipient-limit"),
    OUTBOUND_LIMIT_ALERT("submission.recipient-limit-alert"),
    OUTBOUND_RELAY("outbound.relay"),
    OUTBOUND_ACCEPTED("outbound.deliver"),
    OUTBOUND_HIGH_RISK("outbound.high-risk"),
    OUTBOUND_SPAM_REFUSED("outbound.spam-refused"),
    MIXED_DIRECTIONS("outbound.mixed-directions");

    private final String id;

    ReasonCode(String id) {
        this.id = id;
    }

    /** The stable name stored in the trace and printed by explain. */
    public String id() {
        return id;
    }
}
