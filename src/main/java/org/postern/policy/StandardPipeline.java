package org.postern.policy;

import java.util.List;
import java.util.Map;

/**
 * Postern's phase table (ARCHITECTURE.md): which questions are asked at each phase, in which order.
 * Order is code, never configuration; PhaseTableTest fails when this drifts from the architecture.
 */
public final class StandardPipeline {

    /** The operator settings the stages need. */
    public record Settings(List<Cidr> blockedIps, int connectionsPerIp, int maxConnections, int messagesPerIpPerMinute, int maxRecipients) { }

    private StandardPipeline() { }

    public static PolicyPipeline build(Settings s, ClientCounters counters) {
        return new PolicyPipeline(Map.of(
                // CONNECT: operator limits only — no tenant is known yet.
                Phase.CONNECT, List.of(
                        new IsClientHardBanned(s.blockedIps()),
                        new IsConnectionLimitExceeded(counters, s.connectionsPerIp(), s.maxConnections()),
                        IsMessageRateExceeded.atConnect(counters, s.messagesPerIpPerMinute())),
                Phase.MAIL, List.of(
                        IsMessageRateExceeded.atMail(counters, s.messagesPerIpPerMinute())),
                // RCPT: the tenant becomes known; its trust decisions join here in later stages.
                Phase.RCPT, List.of(
                        new IsRecipientLimitReached(s.maxRecipients()),
                        new WhichTenantOwnsRecipient(),
                        new AreRecipientsOfOneTenant(),
                        new IsRecipientKnown()),
                // DATA: what authentication found (recorded first, so every outcome shows it), malware (never
                // delivered, whatever else holds), own-domain spoofing before the owner's DMARC policy (the more
                // specific question), then the spam confidence, then the disposition.
                Phase.DATA, List.of(
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
