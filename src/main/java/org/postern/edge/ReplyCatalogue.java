package org.postern.edge;

import java.util.regex.Pattern;
import org.postern.policy.Decision;
import org.postern.smtp.Reply;

/**
 * The one place that turns a decision into SMTP digits and words (INTERFACES §5). Every refusal ends with
 * {@code [ref=ID]} so the sender's admin can quote it and ours can find it with {@code trace --ref}.
 * Refusals name the evidence of the recipient's own tenant only, never another tenant's.
 */
public final class ReplyCatalogue {

    private static final Pattern CONTROL_CHARACTERS = Pattern.compile("[\\x00-\\x1f\\x7f]");

    private final String hostname;

    public ReplyCatalogue(String hostname) {
        this.hostname = hostname;
    }

    public Reply refusal(Decision decision, String ref) {
        var reason = decision.primary();
        String tail = " [ref=" + ref + "]";
        return switch (reason.code()) {
            case CLIENT_HARD_BANNED -> Reply.of(554, "5.7.1", hostname + " Service unavailable; client host blocked by operator policy" + tail);
            case TOO_MANY_CONNECTIONS, TOO_MANY_CONNECTIONS_TOTAL -> Reply.of(421, "4.7.0", hostname + " Too many connections from your host, try again later" + tail);
            case MESSAGE_RATE_EXCEEDED -> Reply.of(421, "4.7.0", hostname + " Too many messages from your host, slow down and try again later" + tail);
            case RELAY_DENIED -> Reply.of(554, "5.7.1", "Relay access denied" + tail);
            case UNKNOWN_RECIPIENT -> Reply.of(550, "5.1.1", "Recipient address rejected: user unknown" + tail);
            case RECIPIENTS_OF_SEVERAL_TENANTS -> Reply.of(452, "4.5.3", "Recipients belong to multiple tenants, send this one in a new transaction" + tail);
            case TOO_MANY_RECIPIENTS -> Reply.of(452, "4.5.3", "Too many recipients" + tail);
            case NO_VALID_RECIPIENTS -> Reply.of(554, "5.5.1", "No valid recipients" + tail);
            case STORE_UNAVAILABLE, SPOOL_UNAVAILABLE, STAGE_FAILED -> Reply.of(451, "4.3.0", "Temporary local problem, please try again later" + tail);
            case DMARC_REJECT -> Reply.of(550, "5.7.26", "Unauthenticated email is not accepted due to the sending domain's DMARC policy" + tail);
            case OWN_DOMAIN_SPOOFED -> Reply.of(550, "5.7.1", "Sender spoofs a domain of the recipient's organization without SPF or DKIM authentication" + tail);
            case DNS_TEMPORARY_FAILURE -> Reply.of(451, "4.4.3", "Temporary DNS failure while authenticating the sender, try again later" + tail);
            case MALWARE_DETECTED -> Reply.of(550, "5.7.1", "Message refused: malware detected: " + reason.evidence().split(" \\(", 2)[0] + tail);
            case MALWARE_SCAN_UNAVAILABLE -> Reply.of(451, "4.3.0", "Message could not be scanned for malware, try again later" + tail);
            case TRANSPORT_RULE_REJECT -> Reply.of(550, "5.7.1", oneLine(reason.evidence()) + tail);
            case SPAM_REFUSED -> Reply.of(550, "5.7.1", "Message refused as spam (" + reason.evidence() + ")" + tail);
            case TOO_MANY_CONNECTIONS_NETWORK -> Reply.of(421, "4.7.0", hostname + " Too many connections from your network, try again later" + tail);
            case RECIPIENT_RATE_EXCEEDED -> Reply.of(421, "4.7.0", hostname + " Too many recipients from your host, slow down and try again later" + tail);
            case CLIENT_TALKED_EARLY -> Reply.of(554, "5.7.1", hostname + " Protocol error: you talked before the greeting" + tail);
            case PROXY_HEADER_REFUSED -> Reply.of(554, "5.7.1", hostname + " Service unavailable; connection without a valid PROXY protocol header from a trusted proxy" + tail);
            case CONNECTOR_REQUIREMENT_NOT_MET -> Reply.of(550, "5.7.1", "Rejected by the recipient's connector policy: " + reason.evidence() + tail);
            // "naming the list": the evidence says which list and entry (the recipient's own tenant's, or the operator's DNS list and its TXT)
            case TENANT_IP_BLOCKED, LISTED_ON_DNSBL -> Reply.of(550, "5.7.1", "Service unavailable; " + reason.evidence() + tail);
            case RELAY_TRICK -> Reply.of(554, "5.7.1", "Relay access denied: the local part routes onward (%, ! or @)" + tail);
            case SUBMISSION_AUTH_FAILED -> Reply.of(535, "5.7.8", "Authentication credentials invalid" + tail);
            case SUBMISSION_LOCKED_OUT -> Reply.of(454, "4.7.0", "Too many failed authentications; temporarily locked, try again later" + tail);
            case SUBMISSION_AUTH_REQUIRED -> Reply.of(530, "5.7.0", "Authentication required" + tail);
            case SENDER_NOT_OWNED -> Reply.of(550, "5.7.1", "Sender address rejected: not owned by the authenticated user's organization" + tail);
            case HEADER_FROM_NOT_OWNED -> Reply.of(550, "5.7.1", "Message refused: " + reason.evidence() + tail);
            case SUBMITTER_RESTRICTED -> Reply.of(550, "5.7.1", "Sender restricted after reaching an outbound limit; contact your administrator" + tail);
            case OUTBOUND_LIMIT_REACHED -> Reply.of(550, "5.7.1", "Outbound recipient limit reached (" + reason.evidence() + "); sender restricted" + tail);
            case OUTBOUND_LIMIT_ALERT -> Reply.of(450, "4.7.1", "Outbound recipient limit reached (" + reason.evidence() + "), try again later" + tail);
            case OUTBOUND_SPAM_REFUSED -> Reply.of(550, "5.7.1", "Message refused as spam, not sent (" + reason.evidence() + ")" + tail);
            case MIXED_DIRECTIONS -> Reply.of(452, "4.5.3", "Internal and external recipients in one transaction, send this one in a new transaction" + tail);
            case TENANT_ATTRIBUTED, ACCEPTED_FOR_DELIVERY, SENDER_AUTHENTICATION, DMARC_QUARANTINE, DMARC_REPORT_ONLY,
                 SPAM_CONFIDENCE, SPAM_JUNKED, SPAM_QUARANTINED, MALWARE_NOT_SCANNED, TRANSPORT_RULE,
                 TRANSPORT_RULE_QUARANTINE, TRANSPORT_RULE_DELETE,
                 DMARC_ARC_OVERRIDE, SPOOF_ALLOWED, CONNECTOR_MATCHED, TENANT_IP_ALLOWED, TENANT_IP_ALLOW_EXPIRED,
                 TENANT_IP_BLOCK_EXPIRED, DNSBL_SCORE, DNSBL_LOOKUP_FAILED, TRUST_PRECEDENCE, ENHANCED_FILTERING_HOP,
                 ORIGINAL_CLIENT, SUBMISSION_AUTHENTICATED, OUTBOUND_RELAY, OUTBOUND_ACCEPTED, OUTBOUND_HIGH_RISK -> throw new IllegalArgumentException("not a refusal: " + reason.code());
        };
    }

    /** A tenant's own text in a reply: printable, one line, bounded. */
    private static String oneLine(String text) {
        String t = CONTROL_CHARACTERS.matcher(text).replaceAll(" ").strip();
        return t.length() > 400 ? t.substring(0, 400) : t;
    }

    public Reply greeting() {
        return Reply.of(220, "", hostname + " ESMTP Postern");
    }

    public Reply helo() {
        return Reply.of(250, "", hostname);
    }

    public Reply senderOk() { return Reply.of(250, "2.1.0", "Sender ok"); }

    public Reply recipientOk() { return Reply.of(250, "2.1.5", "Recipient ok"); }

    public Reply dataOk() { return Reply.of(354, "", "End data with <CR><LF>.<CR><LF>"); }

    public Reply queued(String ref) { return Reply.of(250, "2.0.0", "Ok: queued as " + ref + " [ref=" + ref + "]"); }
}
