package org.postern.auth.dmarc;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * What DMARC needs from one message.
 *
 * @param headerFromDomains the domain of every mailbox in the RFC5322.From field(s), as found: empty when the message
 *                          has no From or no parsable address; more than one distinct domain is a permerror here
 *                          (see {@link DmarcEvaluator})
 * @param spf               the SPF result for MAIL FROM (or HELO, for the null reverse-path), when SPF ran
 * @param dkim              every DKIM signature's result, passing or not (the aggregate report lists them all)
 * @param sourceIp          the connecting client, for the report row
 */
public record DmarcInput(
        List<String> headerFromDomains,
        Optional<SpfIdentifier> spf,
        List<DkimIdentifier> dkim,
        Optional<InetAddress> sourceIp) {

    public DmarcInput {
        headerFromDomains = List.copyOf(headerFromDomains);
        dkim = List.copyOf(dkim);
    }

    /** The common case: one From domain. */
    public static DmarcInput of(String headerFromDomain, Optional<SpfIdentifier> spf, List<DkimIdentifier> dkim,
                                Optional<InetAddress> sourceIp) {
        return new DmarcInput(List.of(headerFromDomain), spf, dkim, sourceIp);
    }
}
