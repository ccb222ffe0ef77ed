package org.postern.security;

import com.google.common.net.InetAddresses;
import org.junit.jupiter.api.Test;
import org.postern.dnsbl.Listings;
import org.postern.edge.ReplyCatalogue;
import org.postern.policy.Evidence;
import org.postern.policy.LocalClientCounters;
import org.postern.policy.Phase;
import org.postern.policy.PolicyPipeline;
import org.postern.policy.Reason;
import org.postern.policy.StandardPipeline;
import org.postern.policy.TenantTrusts;
import org.postern.policy.Verdict;
import org.postern.tenant.Domains;
import org.postern.tenant.Tenant;
import org.postern.tenant.TenantDocuments;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One tenant's trust settings never change another tenant's decisions. For random settings of tenant A (ip-allow and
 * ip-block entries with and without expiry, connectors of every kind and trust, enhanced-filtering hops) — drawn from
 * the same small pools of addresses, certificate names and sender domains as the traffic, so they overlap it often —
 * and random traffic to tenant B (client address and network, TLS with a verified, unverified or no certificate,
 * sender, DNS list answers, an original client behind a hop), every decision for B's recipients at RCPT and at end
 * of data is the same, reason by reason and reply by reply, whether A has its settings or none. And no refusal or
 * trace reason given for B names A: not its id, domains or connectors.
 *
 * <p>The decisions come from the production pipeline ({@link StandardPipeline}), tenant documents parsed and
 * validated from YAML as {@code apply} reads them, and the edge's reply catalogue; the session steps are those of
 * the inbound session (listings awaited at the first RCPT with a tenant, the matched connector recorded on
 * acceptance, the original client added before end of data). Seeded: the seed is printed and in every failure,
 * {@code -Dpostern.seed=N} replays a run.
 */
class TenantIsolationPropertyTest {

    private static final int ROUNDS = Integer.getInteger("postern.isolation.rounds", 150);
    private static final int CASES_PER_ROUND = 40;
    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private static final String[] V4_NETS = {"192.0.2.", "198.51.100.", "203.0.113.", "10.20.30."};
    private static final String[] V6_NETS = {"2001:db8:1::", "2001:db8:2::"};
    private static final String[] CERT_NAMES = {"mail.fabrikam.test", "mx1.fabrikam.test", "relay.northwind.test", "gw.shared.test",
            "mail.zzb-bravo.test"};
    private static final String[] CERT_PATTERNS = {"mail.fabrikam.test", "*.fabrikam.test", "relay.northwind.test", "*.shared.test",
            "mail.zzb-bravo.test"};
    private static final String[] SENDER_DOMAINS = {"fabrikam.test", "northwind.test", "example.org", "zzb-bravo.test", "zza-alpha.test"};
    private static final String[] KINDS = {"partner", "on-premises"};
    private static final String[] TRUST = {"none", "bypass-ip-filtering"};

    private final ReplyCatalogue replies = new ReplyCatalogue("mx.isolation.postern.test");

    @Test
    void anotherTenantsTrustSettingsNeverChangeThisTenantsDecisions() {
        long seed = Seeds.seed(getClass());
        Random random = new Random(seed);
        Violations violations = new Violations();
        int cases = 0;
        int refusals = 0;
        Tenant aPlain = tenant(random, "alpha-org", "zza-alpha.test", false);
        for (int round = 0; round < ROUNDS; round++) {
            Tenant b = tenant(random, "bravo-org", "zzb-bravo.test", true);
            Tenant aWithSettings = tenant(random, "alpha-org", "zza-alpha.test", true);
            Run with = new Run(List.of(aWithSettings, b));
            Run without = new Run(List.of(aPlain, b));
            Map<String, Listings> listings = new HashMap<>();
            for (int c = 0; c < CASES_PER_ROUND; c++, cases++) {
                Traffic t = traffic(random, listings);
                List<String> seen = with.decide(t);
                List<String> expected = without.decide(t);
                if (!seen.equals(expected)) {
                    violations.add("B's decisions changed by A's settings", where(round, c, t, aWithSettings, b)
                            + "\nwith A's settings:    " + seen + "\nwithout A's settings: " + expected);
                }
                for (String line : seen) {
                    if (line.startsWith("reply ")) refusals++;
                    for (String name : namesOf(aWithSettings, t.sender)) {
                        if (line.contains(name)) violations.add("B's decision names tenant A", name + " in: " + line + ", " + where(round, c, t, aWithSettings, b));
                    }
                }
            }
        }
        System.out.printf("%d cases, %d refusals of B's recipients%n", cases, refusals);
        assertThat(refusals).as("the generator must produce refusals to compare").isGreaterThan(cases / 20);
        violations.assertNone(seed, cases + " cases");
    }

    private static String where(int round, int c, Traffic t, Tenant a, Tenant b) {
        return "round " + round + " case " + c + " " + t + "\nA: " + TenantDocuments.toYaml(a.document()) + "B: " + TenantDocuments.toYaml(b.document());
    }

    /** One gateway's view: its tenants, pipeline and compiled trust, used the way the inbound session uses them. */
    private final class Run {
        private final Map<String, Tenant> byDomain = new HashMap<>();
        private final TenantTrusts trusts = new TenantTrusts();
        private final PolicyPipeline pipeline;

        Run(List<Tenant> tenants) {
            for (Tenant t : tenants) for (String d : t.domains()) byDomain.put(d, t);
            pipeline = StandardPipeline.build(new StandardPipeline.Settings(List.of(), 1000, 100_000, 1_000_000, 500, 1000, 1_000_000),
                    new LocalClientCounters(CLOCK), trusts, CLOCK);
        }

        /** What B's recipients were told and why, phase by phase. */
        List<String> decide(Traffic t) {
            List<String> out = new ArrayList<>();
            Evidence e = Evidence.connected(t.ip, Optional.empty(), "smtp").withHelo("client.test");
            if (t.tls.isPresent()) e = e.withTls(t.tls.get());
            e = e.withMailFrom(t.sender);
            boolean listingsAwaited = false;
            Tenant accepted = null;
            for (String rcpt : t.recipients) {
                String domain = Domains.ofAddress(rcpt);
                Optional<Tenant> owner = Optional.ofNullable(byDomain.get(domain));
                if (owner.isPresent() && !listingsAwaited) {
                    e = e.withListings(t.listings);
                    listingsAwaited = true;
                }
                Evidence judged = e.judging(new Evidence.RecipientCandidate(rcpt, domain, owner));
                Verdict v = pipeline.run(Phase.RCPT, judged);
                record(out, "RCPT " + rcpt, v);
                if (v.proceeds()) {
                    accepted = owner.orElseThrow();
                    e = judged.recipientAccepted(accepted).withConnector(trusts.of(accepted).matchedConnector(judged));
                }
            }
            if (accepted == null) return out;
            out.add("connector " + e.connector().map(c -> c.name() + "/" + c.kind() + "/" + c.bypassesIpFiltering()).orElse("none"));
            if (trusts.of(accepted).isSkippedHop(t.ip) && t.original.isPresent()) {
                e = e.withOriginalClient(new Evidence.OriginalClient(t.original.get(), "Received field 1", t.originalListings));
            }
            record(out, "DATA", pipeline.run(Phase.DATA, e));
            return out;
        }

        private void record(List<String> out, String what, Verdict v) {
            out.add(what + " " + v.decision().outcome());
            for (Verdict.Step s : v.chain()) {
                for (Reason r : s.decision().reasons()) out.add("  " + s.stage() + " " + r.code().id() + ": " + r.evidence() + " [" + r.setting() + "]");
            }
            if (!v.proceeds()) out.add("reply " + replies.refusal(v.decision(), "REF"));
        }
    }

    private record Traffic(InetAddress ip, Optional<Evidence.TlsFacts> tls, String sender, List<String> recipients, Listings listings,
                           Optional<InetAddress> original, Listings originalListings) {
        @Override
        public String toString() {
            return "client " + ip.getHostAddress() + " tls " + tls.map(f -> f.certificateVerified() + " " + f.certificateNames()).orElse("none")
                    + " from <" + sender + "> to " + recipients + " lists " + listings.summary()
                    + original.map(o -> " original " + o.getHostAddress() + " " + originalListings.summary()).orElse("");
        }
    }

    private Traffic traffic(Random r, Map<String, Listings> listings) {
        InetAddress ip = address(r);
        Optional<Evidence.TlsFacts> tls = switch (r.nextInt(4)) {
            case 0 -> Optional.empty();
            case 1 -> Optional.of(new Evidence.TlsFacts("TLSv1.3", "TLS_AES_128_GCM_SHA256", Optional.empty(), List.of(), false));
            default -> {
                boolean verified = r.nextInt(3) > 0;
                String name = pick(r, CERT_NAMES);
                // as the edge builds it: names only from a verified certificate
                yield Optional.of(new Evidence.TlsFacts("TLSv1.3", "TLS_AES_128_GCM_SHA256", Optional.of("CN=" + name),
                        verified ? List.of(name) : List.of(), verified));
            }
        };
        String sender = r.nextInt(10) == 0 ? "" : "user" + r.nextInt(3) + "@" + pick(r, SENDER_DOMAINS);
        List<String> recipients = new ArrayList<>();
        if (r.nextInt(5) == 0) recipients.add("someone@unowned.test");
        int n = 1 + r.nextInt(3);
        for (int i = 0; i < n; i++) recipients.add(pick(r, new String[] {"alice", "bob", "mallory"}) + "@zzb-bravo.test");
        Optional<InetAddress> original = r.nextBoolean() ? Optional.of(address(r)) : Optional.empty();
        return new Traffic(ip, tls, sender, recipients, listings.computeIfAbsent(ip.getHostAddress(), k -> listings(r, k)),
                original, original.map(o -> listings.computeIfAbsent(o.getHostAddress(), k -> listings(r, k))).orElse(Listings.notLooked()));
    }

    private static Listings listings(Random r, String address) {
        List<Listings.Hit> hits = new ArrayList<>();
        List<Listings.Failure> failures = new ArrayList<>();
        if (r.nextInt(3) == 0) hits.add(new Listings.Hit("zen.dnsbl.test", 10, List.of("127.0.0.2"), Optional.of("listed: " + address)));
        if (r.nextInt(4) == 0) hits.add(new Listings.Hit("minor.dnsbl.test", 4, List.of("127.0.0.3"), Optional.empty()));
        if (r.nextInt(5) == 0) hits.add(new Listings.Hit("list.dnswl.test", -5, List.of("127.0.10.1"), Optional.empty()));
        if (r.nextInt(6) == 0) failures.add(new Listings.Failure("slow.dnsbl.test", "no answer within 2000 ms"));
        return new Listings(address, hits, failures, 10, true);
    }

    /** A tenant document as an admin would write it; {@code withSettings} false: domains and delivery only. */
    private static Tenant tenant(Random r, String id, String domain, boolean withSettings) {
        StringBuilder y = new StringBuilder("id: " + id + "\ndomains: [" + domain + "]\ndelivery: \"maildir:/tmp/unused\"\n");
        if (withSettings && domain.startsWith("zzb") && r.nextBoolean()) y.append("recipients: [alice@").append(domain).append(", bob@").append(domain).append("]\n");
        if (withSettings) {
            y.append("ip-allow: [").append(entries(r)).append("]\n");
            y.append("ip-block: [").append(entries(r)).append("]\n");
            y.append("connectors:\n");
            int connectors = r.nextInt(4);
            for (int i = 0; i < connectors; i++) y.append(connector(r, id, i));
            if (connectors == 0) y.setLength(y.length() - "connectors:\n".length());
            if (r.nextInt(3) == 0) y.append("enhanced-filtering: { skip-ips: [").append(cidr(r)).append("] }\n");
        }
        return TenantDocuments.parse(y.toString()).get(0);
    }

    private static String entries(Random r) {
        List<String> out = new ArrayList<>();
        int n = r.nextInt(5);
        for (int i = 0; i < n; i++) {
            String expires = switch (r.nextInt(3)) {
                case 0 -> ", expires: " + NOW.minusSeconds(3600);
                case 1 -> ", expires: " + NOW.plusSeconds(3600);
                default -> "";
            };
            out.add("{ cidr: \"" + cidr(r) + "\"" + expires + " }");
        }
        return String.join(", ", out);
    }

    private static String connector(Random r, String tenant, int i) {
        List<String> match = new ArrayList<>();
        boolean ips = r.nextBoolean();
        if (r.nextBoolean()) match.add("tls-cert-names: [\"" + pick(r, CERT_PATTERNS) + "\"]");
        if (ips) match.add("ips: [\"" + cidr(r) + "\"]");
        if (match.isEmpty() || r.nextBoolean()) match.add("sender-domains: [" + pick(r, SENDER_DOMAINS) + "]");
        return "  - name: " + tenant + "-conn" + i + "\n    kind: " + pick(r, KINDS) + "\n    match: { " + String.join(", ", match) + " }\n"
                + (r.nextBoolean() ? "    require-tls: true\n" : "")
                + (ips && r.nextBoolean() ? "    restrict-to-ips: true\n" : "")
                + "    trust: " + pick(r, TRUST) + "\n";
    }

    private static String cidr(Random r) {
        if (r.nextInt(4) == 0) return pick(r, V6_NETS) + (r.nextBoolean() ? "/48" : r.nextInt(4) + "/128");
        String net = pick(r, V4_NETS);
        return switch (r.nextInt(3)) {
            case 0 -> net + "0/24";
            case 1 -> net + (r.nextInt(2) * 128) + "/25";
            default -> net + r.nextInt(6);
        };
    }

    private static InetAddress address(Random r) {
        if (r.nextInt(4) == 0) return InetAddresses.forString(pick(r, V6_NETS) + r.nextInt(4));
        return InetAddresses.forString(pick(r, V4_NETS) + (r.nextBoolean() ? r.nextInt(6) : r.nextInt(256)));
    }

    /**
     * What would identify tenant A in a text: its id, its connectors' names, and its domains (unless the traffic
     * itself used one: a sender in A's domain may be named back to its own client).
     */
    private static List<String> namesOf(Tenant t, String sender) {
        List<String> names = new ArrayList<>();
        for (String d : t.domains()) if (!sender.endsWith("@" + d)) names.add(d);
        names.add(t.id());
        t.document().connectors().forEach(c -> names.add(c.name()));
        return names;
    }

    private static String pick(Random r, String[] from) {
        return from[r.nextInt(from.length)];
    }
}
