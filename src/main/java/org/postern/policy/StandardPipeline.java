package org.postern.policy;

import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * Postern's phase table (ARCHITECTURE.md): which questions are asked at each phase, in which order.
 * Order is code, never configuration; PhaseTableTest fails when this drifts from the architecture.
 */
public final class StandardPipeline {

    /** The operator settings the stages need. */
    public record Settings(List<Cidr> blockedIps, int connectionsPerIp, int maxConnections, int messagesPerIpPerMinute, int maxRecipients,
                           int connectionsPerNetwork, int recipientsPerIpPerMinute) {
        public Settings(List<Cidr> blockedIps, int connectionsPerIp, int maxConnections, int messagesPerIpPerMinute, int maxRecipients) {
            this(blockedIps, connectionsPerIp, maxConnections, messagesPerIpPerMinute, maxRecipients, Integer.MAX_VALUE, Integer.MAX_VALUE);
        }
    }

    private StandardPipeline() { }

    /**
     * The questions asked of a tenant's own mail to the internet: a submission user's (after AUTH) or what its
     * on-premises connector relays. CONNECT is the inbound table's (the listener is shared); the tenant is the
     * sender's, known from AUTH or the connector, so MAIL already judges the sender's address.
     */
    public static PolicyPipeline outbound(Settings s, ClientCounters counters, OutboundCounters recipients,
                                          SubmitterRestrictions restrictions, WhatToDoWithOutboundMessage.SpamAction spam) {
        return new PolicyPipeline(Map.of(
                Phase.CONNECT, List.of(),
                Phase.MAIL, List.of(
                        IsMessageRateExceeded.atMail(counters, s.messagesPerIpPerMinute()),
                        new IsSubmitterRestricted(restrictions),
                        new DoesSenderOwnAddress()),
                Phase.RCPT, List.of(
                        IsRecipientRateExceeded.atRcpt(counters, s.recipientsPerIpPerMinute()),
                        new IsRecipientLimitReached(s.maxRecipients()),
                        new IsColleagueKnown(),
                        new IsOutboundLimitReached(recipients)),
                // DATA: the same one parse, malware scan and classifier as inbound (EndOfData), judged for the internet.
                Phase.DATA, List.of(
                        new DoesHeaderFromBelongToSender(),
                        new IsMalwareDetected(),
                        new WhatDoTransportRulesSay(),
                        new WhatIsTheSpamConfidence(),
                        new WhatToDoWithOutboundMessage(spam))));
    }

    public static PolicyPipeline build(Settings s, ClientCounters counters) {
        return build(s, counters, new TenantTrusts(), Clock.systemUTC());
    }

    /** @param trusts the tenants' compiled trust settings, shared with the edge (which records the matched connector) */
    public static PolicyPipeline build(Settings s, ClientCounters counters, TenantTrusts trusts, Clock clock) {
        return new PolicyPipeline(Map.of(
                // CONNECT: operator limits only — no tenant is known yet.
                Phase.CONNECT, List.of(
                        new IsClientHardBanned(s.blockedIps()),
                        new IsConnectionLimitExceeded(counters, s.connectionsPerIp(), s.maxConnections(), s.connectionsPerNetwork()),
                        IsMessageRateExceeded.atConnect(counters, s.messagesPerIpPerMinute()),
                        IsRecipientRateExceeded.atConnect(counters, s.recipientsPerIpPerMinute())),
                Phase.MAIL, List.of(
                        IsMessageRateExceeded.atMail(counters, s.messagesPerIpPerMinute())),
                // RCPT: the tenant becomes known, and with it the tenant's own trust (connector > ip-allow > ip-block > DNS lists).
                Phase.RCPT, List.of(
                        IsRecipientRateExceeded.atRcpt(counters, s.recipientsPerIpPerMinute()),
                        new IsRecipientLimitReached(s.maxRecipients()),
                        new WhichTenantOwnsRecipient(),
                        new AreRecipientsOfOneTenant(),
                        new IsRecipientKnown(),
                        new DoesTenantTrustClient(trusts, clock)),
                // DATA: the original client behind a skip-listed hop (enhanced filtering: a connection-filtering
                // refusal, known only now), what authentication found (recorded first among the content questions, so
                // every outcome shows it), malware (never delivered, whatever else holds), own-domain spoofing before
                // the owner's DMARC policy (the more specific question), then the spam confidence, then the disposition.
                Phase.DATA, List.of(
                        new DoesTenantTrustOriginalClient(trusts, clock),
                        new HowDidSenderAuthenticate(),
                        new IsMalwareDetected(),
                        new IsOwnDomainSpoofed(),
                        new IsDmarcRejecting(),
                        new WhatDoTransportRulesSay(),
                        new WhatIsTheSpamConfidence(),
                        new IsSpamRefusedInSession(),
                        new WhatToDoWithMessage())));
    }
}
