package org.postern.auth.dmarc;

import org.postern.dns.DnsResolver;
import org.postern.dns.DnsResolver.Answer;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Policy discovery, RFC 7489 §6.6.3: {@code _dmarc.<From domain>}, and only when that yields no DMARC record,
 * {@code _dmarc.<organizational domain>}.
 *
 * <p>DNS temporary failures are kept apart (§6.6.3 leaves their handling to the receiver; Postern never turns one
 * into a permanent refusal). A temporary failure at the From domain ends discovery: falling back to the
 * organizational domain could apply a parent's policy the subdomain has overridden.</p>
 */
public final class PolicyDiscovery {

    /** What discovery found. */
    public sealed interface Discovery {
        /** Exactly one usable record. */
        record Found(String policyDomain, DmarcRecord record, boolean atOrganizationalDomain) implements Discovery { }

        /** No DMARC record at either name, or several at one (§6.6.3 step 5): DMARC does not apply. */
        record NoPolicy(String why) implements Discovery { }

        /** One DMARC record, but without a usable policy (§6.6.3 step 6.2): reported as permerror. */
        record Unusable(String policyDomain, String why) implements Discovery { }

        /** DNS did not answer for the name queried. */
        record TempFail(String queriedName, String why) implements Discovery { }
    }

    private final DnsResolver dns;

    public PolicyDiscovery(DnsResolver dns) {
        this.dns = dns;
    }

    /** Both names normalised; {@code organizationalDomain} may equal {@code fromDomain}. */
    public Discovery discover(String fromDomain, String organizationalDomain) {
        Lookup atFrom = lookup(fromDomain);
        if (atFrom.tempFail.isPresent()) return atFrom.tempFail.get();
        if (!atFrom.records.isEmpty() || organizationalDomain.equals(fromDomain)) {
            return conclude(fromDomain, atFrom.records, false);
        }
        Lookup atOrg = lookup(organizationalDomain);
        if (atOrg.tempFail.isPresent()) return atOrg.tempFail.get();
        return conclude(organizationalDomain, atOrg.records, true);
    }

    private Discovery conclude(String domain, List<DmarcRecordParser.Parsed> records, boolean atOrg) {
        if (records.isEmpty()) return new Discovery.NoPolicy("no DMARC record at _dmarc." + domain);
        if (records.size() > 1) {
            return new Discovery.NoPolicy(records.size() + " DMARC records at _dmarc." + domain
                    + "; DMARC is not applied (RFC 7489 §6.6.3 step 5)");
        }
        return switch (records.getFirst()) {
            case DmarcRecordParser.Parsed.Valid v -> new Discovery.Found(domain, v.record(), atOrg);
            case DmarcRecordParser.Parsed.Invalid i -> new Discovery.Unusable(domain, i.why());
            case DmarcRecordParser.Parsed.NotDmarc n -> throw new IllegalStateException("discarded above");
        };
    }

    private record Lookup(List<DmarcRecordParser.Parsed> records, Optional<Discovery.TempFail> tempFail) { }

    private Lookup lookup(String domain) {
        String name = "_dmarc." + domain;
        return switch (dns.txt(name)) {
            case Answer.TempFail<String> t -> new Lookup(List.of(), Optional.of(new Discovery.TempFail(name, t.why())));
            case Answer.NotFound<String> n -> new Lookup(List.of(), Optional.empty());
            case Answer.Found<String> found -> {
                List<DmarcRecordParser.Parsed> dmarc = new ArrayList<>();
                for (String txt : found.values()) {
                    DmarcRecordParser.Parsed parsed = DmarcRecordParser.parse(txt);
                    if (!(parsed instanceof DmarcRecordParser.Parsed.NotDmarc)) dmarc.add(parsed);
                }
                yield new Lookup(dmarc, Optional.empty());
            }
        };
    }
}
