package org.postern.auth.dmarc;

import org.postern.dns.DnsResolver;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * RFC 7489 §6.6 for one message: find the single From domain, discover the policy, check alignment, then apply
 * {@code p}/{@code sp} and {@code pct}.
 *
 * <p>From-field edge cases (§6.6.1 leaves them to the receiver): no From domain at all, or mailboxes in more than
 * one distinct domain, give PERMERROR with no disposition, before any DNS query. Several mailboxes in one domain are
 * evaluated as that domain. A caller that wants such messages refused decides so from the PERMERROR.</p>
 */
public final class DmarcEvaluator {

    private final PolicyDiscovery discovery;
    private final OrganizationalDomain organizationalDomain;
    private final RandomGenerator random;

    /**
     * @param random draws the {@code pct} sample ({@code nextInt(100) < pct} applies the policy); inject a fixed
     *               generator in tests. It is only drawn from for failing mail with 0 < pct < 100, and must be safe
     *               for concurrent use when the evaluator is shared between sessions
     */
    public DmarcEvaluator(DnsResolver dns, OrganizationalDomain organizationalDomain, RandomGenerator random) {
        this.discovery = new PolicyDiscovery(dns);
        this.organizationalDomain = organizationalDomain;
        this.random = random;
    }

    /** With Guava's Public Suffix List and a thread-local random source. */
    public DmarcEvaluator(DnsResolver dns) {
        this(dns, OrganizationalDomain.bundled(), () -> ThreadLocalRandom.current().nextLong());
    }

    public DmarcResult evaluate(DmarcInput input) {
        Set<String> domains = new LinkedHashSet<>();
        for (String d : input.headerFromDomains()) domains.add(DomainNames.normalise(d));
        domains.remove("");
        if (domains.isEmpty()) {
            return unevaluated(DmarcOutcome.PERMERROR, Optional.empty(), Optional.empty(),
                    "no RFC5322.From domain (RFC 7489 §6.6.1)", input);
        }
        if (domains.size() > 1) {
            return unevaluated(DmarcOutcome.PERMERROR, Optional.empty(), Optional.empty(),
                    "RFC5322.From has mailboxes in several domains " + domains + " (RFC 7489 §6.6.1)", input);
        }
        String from = domains.iterator().next();
        String org = organizationalDomain.of(from);
        return switch (discovery.discover(from, org)) {
            case PolicyDiscovery.Discovery.TempFail t -> unevaluated(DmarcOutcome.TEMPERROR, Optional.of(from),
                    Optional.of(org), "DNS lookup of " + t.queriedName() + " failed: " + t.why(), input);
            case PolicyDiscovery.Discovery.NoPolicy n -> unevaluated(DmarcOutcome.NONE, Optional.of(from),
                    Optional.of(org), n.why(), input);
            case PolicyDiscovery.Discovery.Unusable u -> unevaluated(DmarcOutcome.PERMERROR, Optional.of(from),
                    Optional.of(org), "unusable DMARC record at _dmarc." + u.policyDomain() + ": " + u.why(), input);
            case PolicyDiscovery.Discovery.Found f -> apply(input, from, org, AppliedPolicy.of(f));
        };
    }

    private DmarcResult apply(DmarcInput input, String from, String org, AppliedPolicy policy) {
        DmarcRecord record = policy.record();
        Alignment alignment = Alignment.of(from, input, record.dkimAlignment(), record.spfAlignment(),
                organizationalDomain);
        String where = "policy " + (policy.subdomainPolicy() ? "sp=" : "p=") + policy.requested().keyword()
                + " from _dmarc." + policy.policyDomain();
        if (alignment.any()) {
            AlignedIdentifier first = alignment.aligned().getFirst();
            return new DmarcResult(DmarcOutcome.PASS, Optional.of(from), Optional.of(org), Optional.of(policy),
                    DmarcDisposition.NONE, List.of(), Optional.of(alignment),
                    first.mechanism().keyword() + " " + first.domain() + " aligned (" + first.mode().keyword()
                            + "); " + where, input);
        }
        DmarcPolicy requested = policy.requested();
        String detail = "no aligned SPF or DKIM pass; " + where;
        if (requested == DmarcPolicy.NONE || sampledIn(record.percent())) {
            return new DmarcResult(DmarcOutcome.FAIL, Optional.of(from), Optional.of(org), Optional.of(policy),
                    DmarcDisposition.of(requested), List.of(), Optional.of(alignment), detail, input);
        }
        DmarcPolicy lowered = requested.nextLower();
        PolicyOverride sampledOut = new PolicyOverride(PolicyOverride.Type.SAMPLED_OUT,
                "pct=" + record.percent() + ": " + requested.keyword() + " applied as " + lowered.keyword());
        return new DmarcResult(DmarcOutcome.FAIL, Optional.of(from), Optional.of(org), Optional.of(policy),
                DmarcDisposition.of(lowered), List.of(sampledOut), Optional.of(alignment),
                detail + "; sampled out by pct=" + record.percent(), input);
    }

    /** RFC 7489 §6.6.4: the policy applies to {@code pct} percent of failing messages. */
    private boolean sampledIn(int percent) {
        if (percent >= 100) return true;
        if (percent <= 0) return false;
        return random.nextInt(100) < percent;
    }

    private static DmarcResult unevaluated(DmarcOutcome outcome, Optional<String> from, Optional<String> org,
                                           String detail, DmarcInput input) {
        return new DmarcResult(outcome, from, org, Optional.empty(), DmarcDisposition.NONE, List.of(),
                Optional.empty(), detail, input);
    }
}
