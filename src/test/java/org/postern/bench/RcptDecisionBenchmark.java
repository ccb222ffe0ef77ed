package org.postern.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.net.InetAddresses;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;
import org.postern.dnsbl.Listings;
import org.postern.policy.Cidr;
import org.postern.policy.Decision;
import org.postern.policy.Evidence;
import org.postern.policy.LocalClientCounters;
import org.postern.policy.Phase;
import org.postern.policy.PolicyPipeline;
import org.postern.policy.Reason;
import org.postern.policy.ReasonCode;
import org.postern.policy.Stage;
import org.postern.policy.StandardPipeline;
import org.postern.policy.TenantTrusts;
import org.postern.policy.Verdict;
import org.postern.tenant.Domains;
import org.postern.tenant.Tenant;
import org.postern.tenant.TenantDocuments;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The cost of one RCPT decision with 1,000 tenants, each holding 1,000 CIDR entries (ip-allow and ip-block, some
 * expiring) and 10 connectors: the recipient's domain to its tenant, then the whole RCPT phase of the production
 * pipeline (rates, limits, attribution, recipient, the tenant's trust). Traffic is a fixed random mix of clients
 * inside and outside the tenants' ranges, with and without TLS certificates, listed or not.
 *
 * <p>The baseline, in the same run, is the same pipeline whose trust stage scans each list entry by entry (what the
 * index replaces); the ratio is index / scan. Run with {@code bench/rcpt-decision/run.sh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g"})
public class RcptDecisionBenchmark {

    static final int TENANTS = 1_000;
    static final int ENTRIES = 1_000;
    static final int CONNECTORS = 10;
    private static final int CASES = 1 << 14;
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T12:00:00Z"), ZoneOffset.UTC);

    private final Map<String, Tenant> byDomain = new HashMap<>();
    private PolicyPipeline indexed;
    private PolicyPipeline scanning;
    private Evidence[] sessions;
    private String[] recipients;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        Random r = new Random(20261128);
        List<Tenant> tenants = new ArrayList<>();
        for (int t = 0; t < TENANTS; t++) tenants.add(tenant(r, t));
        for (Tenant t : tenants) for (String d : t.domains()) byDomain.put(d, t);
        var settings = new StandardPipeline.Settings(List.of(), 1_000_000, 1_000_000, Integer.MAX_VALUE, 500, 1_000_000, Integer.MAX_VALUE);
        TenantTrusts trusts = new TenantTrusts();
        indexed = StandardPipeline.build(settings, new LocalClientCounters(CLOCK), trusts, CLOCK);
        scanning = withTrustStage(StandardPipeline.build(settings, new LocalClientCounters(CLOCK), trusts, CLOCK),
                new ScanningTrust(tenants, trusts));
        sessions = new Evidence[CASES];
        recipients = new String[CASES];
        for (int i = 0; i < CASES; i++) {
            Tenant t = tenants.get(r.nextInt(TENANTS));
            recipients[i] = "user" + r.nextInt(100) + "@" + t.domains().iterator().next();
            sessions[i] = session(r, t);
        }
        for (Tenant t : tenants) trusts.of(t); // compiled when the directory loads them, not on the first RCPT
        int refused = 0;
        for (int i = 0; i < CASES; i++) {
            Verdict a = decide(indexed, i);
            Verdict b = decide(scanning, i);
            if (!a.decision().outcome().equals(b.decision().outcome())) {
                throw new IllegalStateException("index and scan disagree on case " + i + ": " + a + " / " + b);
            }
            if (!a.proceeds()) refused++;
        }
        System.out.printf("%n%d tenants x %d entries + %d connectors; %d of %d sample RCPTs refused%n", TENANTS, ENTRIES, CONNECTORS, refused, CASES);
    }

    /*
     * CPU time per decision, beside JMH's wall-clock score: on a shared machine a thread waiting for a core inflates
     * the wall clock, not the CPU time it used. Measured over the measurement iterations only.
     */
    private long cpuAtIterationStart;
    private int opsAtIterationStart;
    private long measuredCpuNanos;
    private long measuredOps;

    @Setup(Level.Iteration)
    public void startIteration() {
        cpuAtIterationStart = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        opsAtIterationStart = next;
    }

    @TearDown(Level.Iteration)
    public void endIteration(IterationParams iteration) {
        if (iteration.getType() != IterationType.MEASUREMENT) return;
        measuredCpuNanos += ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpuAtIterationStart;
        measuredOps += next - opsAtIterationStart;
    }

    @TearDown(Level.Trial)
    public void report(BenchmarkParams benchmark) {
        String name = benchmark.getBenchmark().substring(benchmark.getBenchmark().lastIndexOf('.') + 1);
        System.out.printf("%nCPU-TIME %s %.3f us/op over %d ops%n", name, measuredCpuNanos / 1e3 / measuredOps, measuredOps);
    }

    @Benchmark
    public Verdict rcptDecisionIndexed() {
        return decide(indexed, next++ & (CASES - 1));
    }

    @Benchmark
    public Verdict rcptDecisionLinearScanBaseline() {
        return decide(scanning, next++ & (CASES - 1));
    }

    /** As the inbound session does it: recipient domain to tenant, then the RCPT phase. */
    private Verdict decide(PolicyPipeline pipeline, int i) {
        String rcpt = recipients[i];
        String domain = Domains.ofAddress(rcpt);
        Optional<Tenant> owner = Optional.ofNullable(byDomain.get(domain));
        return pipeline.run(Phase.RCPT, sessions[i].judging(new Evidence.RecipientCandidate(rcpt, domain, owner)));
    }

    private static Evidence session(Random r, Tenant t) {
        InetAddress ip = r.nextBoolean() ? address(r, t.id().hashCode()) : address(r, r.nextInt());
        Evidence e = Evidence.connected(ip, Optional.empty(), "smtp").withHelo("client.example");
        String sender = "someone@example.org";
        if (r.nextInt(3) == 0) { // a partner of the tenant, with its certificate
            String partner = "partner" + r.nextInt(CONNECTORS) + "-" + t.id() + ".test";
            String name = "mx" + r.nextInt(3) + "." + partner;
            e = e.withTls(new Evidence.TlsFacts("TLSv1.3", "TLS_AES_128_GCM_SHA256", Optional.of("CN=" + name), List.of(name), true));
            sender = "news@" + partner;
        }
        Listings listings = r.nextInt(4) == 0
                ? new Listings(ip.getHostAddress(), List.of(new Listings.Hit("zen.dnsbl.test", 10, List.of("127.0.0.2"), Optional.empty())), List.of(), 10, true)
                : new Listings(ip.getHostAddress(), List.of(), List.of(), 10, true);
        return e.withMailFrom(sender).withListings(listings);
    }

    /** Each tenant's ranges cluster in a few /16s derived from its seed, so traffic from "its" clients hits entries. */
    private static InetAddress address(Random r, int seed) {
        int base = 0x0A000000 | ((seed & 0x3f) << 16);
        int v = base | (r.nextInt(4) << 16) | r.nextInt(1 << 16);
        return InetAddresses.fromInteger(v);
    }

    private static Tenant tenant(Random r, int n) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        String id = "t" + n;
        ObjectNode doc = f.objectNode().put("id", id).put("delivery", "smtp://127.0.0.1:2626");
        doc.putArray("domains").add(id + ".test");
        ArrayNode allow = doc.putArray("ip-allow");
        ArrayNode block = doc.putArray("ip-block");
        for (int i = 0; i < ENTRIES; i++) {
            InetAddress a = address(r, id.hashCode());
            int prefix = switch (r.nextInt(4)) { case 0 -> 32; case 1 -> 28; case 2 -> 24; default -> 30; };
            ObjectNode e = (i % 5 == 0 ? allow : block).addObject().put("cidr", new Cidr(a, prefix).toString());
            if (r.nextInt(10) == 0) e.put("expires", "2026-" + (r.nextBoolean() ? "06" : "12") + "-01T00:00:00Z");
        }
        ArrayNode connectors = doc.putArray("connectors");
        for (int c = 0; c < CONNECTORS; c++) {
            String partner = "partner" + c + "-" + id + ".test";
            ObjectNode con = connectors.addObject().put("name", "p" + c).put("kind", c == 0 ? "on-premises" : "partner");
            ObjectNode match = con.putObject("match");
            match.putArray("tls-cert-names").add("*." + partner);
            match.putArray("sender-domains").add(partner);
            if (c % 3 == 0) match.putArray("ips").add(new Cidr(address(r, id.hashCode()), 24).toString());
            con.put("require-tls", c % 2 == 0);
            con.put("trust", c % 2 == 0 ? "bypass-ip-filtering" : "none");
        }
        return TenantDocuments.fromTree(doc).get(0);
    }

    private static PolicyPipeline withTrustStage(PolicyPipeline p, Stage trust) {
        Map<Phase, List<Stage>> stages = new HashMap<>();
        for (Phase phase : Phase.values()) {
            List<Stage> list = new ArrayList<>();
            for (Stage s : p.stages(phase)) list.add(s.name().equals("DoesTenantTrustClient") ? trust : s);
            stages.put(phase, list);
        }
        return new PolicyPipeline(stages);
    }

    /**
     * The baseline: the tenant's lists checked entry by entry (connectors as in production). Same precedence, so it
     * reaches the same outcomes; only the list lookups differ.
     */
    static final class ScanningTrust implements Stage {
        private record Entry(Cidr cidr, Optional<Instant> expires) { }

        private final Map<Tenant, List<Entry>> allow = new IdentityHashMap<>();
        private final Map<Tenant, List<Entry>> block = new IdentityHashMap<>();
        private final TenantTrusts trusts;

        ScanningTrust(List<Tenant> tenants, TenantTrusts trusts) {
            this.trusts = trusts;
            for (Tenant t : tenants) {
                allow.put(t, t.document().ipAllow().stream().map(e -> new Entry(Cidr.parse(e.cidr()), e.expires())).toList());
                block.put(t, t.document().ipBlock().stream().map(e -> new Entry(Cidr.parse(e.cidr()), e.expires())).toList());
            }
        }

        @Override
        public String name() {
            return "DoesTenantTrustClient";
        }

        @Override
        public Decision decide(Evidence e) {
            Tenant t = e.recipient().flatMap(Evidence.RecipientCandidate::owner).orElseThrow();
            var connector = trusts.of(t).matchedConnector(e);
            if (connector.isPresent() && connector.get().bypassesIpFiltering()) {
                return Decision.Continue.because(Reason.of(ReasonCode.CONNECTOR_MATCHED, connector.get().name()));
            }
            Instant now = CLOCK.instant();
            if (scan(allow.get(t), e.clientIp(), now)) return Decision.Continue.because(Reason.of(ReasonCode.TENANT_IP_ALLOWED, "scan"));
            if (scan(block.get(t), e.clientIp(), now)) return Decision.Reject.because(Reason.of(ReasonCode.TENANT_IP_BLOCKED, "scan"));
            if (e.trust().listings().refuse()) return Decision.Reject.because(Reason.of(ReasonCode.LISTED_ON_DNSBL, "scan"));
            return Decision.Continue.silent();
        }

        private static boolean scan(List<Entry> entries, InetAddress ip, Instant now) {
            for (Entry x : entries) {
                if (x.cidr().contains(ip) && x.expires().map(now::isBefore).orElse(true)) return true;
            }
            return false;
        }
    }
}
