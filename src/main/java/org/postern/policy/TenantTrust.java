package org.postern.policy;

import org.postern.tenant.Domains;
import org.postern.tenant.Tenant;
import org.postern.tenant.TenantDocument;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One tenant's trust settings compiled for RCPT: IP allow and block lists as indexes ({@link IpList}), its connectors
 * indexed by the sender domains they are about (a sender asks only its own connectors and those without sender
 * domains), and the hops named for enhanced filtering. Built once per version of the tenant document (see {@link TenantTrusts}).
 */
public final class TenantTrust {

    /** What the tenant's connectors make of a client and sender: the first that matched, else the first refusal. */
    record ConnectorVerdict(Optional<MatchedConnector> matched, Optional<ConnectorRule.Outcome.Violated> violated) {
        static final ConnectorVerdict NONE = new ConnectorVerdict(Optional.empty(), Optional.empty());
    }

    private final String tenant;
    private final IpList allow;
    private final IpList block;
    private final IpList skipHops;
    private final List<ConnectorRule> connectors;
    /** Connectors by exact sender domain, and the rest (no sender domains, or wildcards), each in document order. */
    private final Map<String, List<Integer>> byDomain = new HashMap<>();
    private final List<Integer> alwaysAsked = new ArrayList<>();

    private TenantTrust(String tenant, IpList allow, IpList block, IpList skipHops, List<ConnectorRule> connectors) {
        this.tenant = tenant;
        this.allow = allow;
        this.block = block;
        this.skipHops = skipHops;
        this.connectors = List.copyOf(connectors);
        for (int i = 0; i < connectors.size(); i++) {
            ConnectorRule c = connectors.get(i);
            if (c.scopedByExactDomains()) {
                for (String d : c.senderDomains()) byDomain.computeIfAbsent(d, k -> new ArrayList<>()).add(i);
            } else {
                alwaysAsked.add(i);
            }
        }
    }

    public static TenantTrust compile(Tenant t) {
        TenantDocument d = t.document();
        List<ConnectorRule> connectors = new ArrayList<>();
        for (var c : d.connectors()) connectors.add(new ConnectorRule(t.id(), c));
        List<IpList.Entry> hops = new ArrayList<>();
        List<String> skip = d.enhancedFiltering().map(TenantDocument.EnhancedFiltering::skipIps).orElse(List.of());
        for (int i = 0; i < skip.size(); i++) hops.add(new IpList.Entry(Cidr.parse(skip.get(i)), Optional.empty(), Optional.empty(), i));
        return new TenantTrust(t.id(), entries(d.ipAllow()), entries(d.ipBlock()), IpList.of(hops), connectors);
    }

    private static IpList entries(List<TenantDocument.IpEntry> list) {
        List<IpList.Entry> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            var e = list.get(i);
            out.add(new IpList.Entry(Cidr.parse(e.cidr()), e.expires(), e.comment(), i));
        }
        return IpList.of(out);
    }

    public String tenant() { return tenant; }

    public IpList allow() { return allow; }

    public IpList block() { return block; }

    /** Nothing to judge: no lists, no connectors, no hops. */
    boolean isEmpty() {
        return allow.size() == 0 && block.size() == 0 && skipHops.size() == 0 && connectors.isEmpty();
    }

    /** The address is a hop the tenant named in enhanced-filtering.skip-ips (a gateway in front of Postern). */
    public boolean isSkippedHop(InetAddress ip) {
        return skipHops.lookup(ip, java.time.Instant.EPOCH).active().isPresent();
    }

    ConnectorVerdict connectors(Evidence e) {
        if (connectors.isEmpty()) return ConnectorVerdict.NONE;
        String senderDomain = e.mailFrom().map(Domains::ofAddress).orElse("");
        List<String> presentedNames = ConnectorRule.verifiedNames(e);
        Optional<ConnectorRule.Outcome.Violated> violated = Optional.empty();
        // Only the connectors that can be about this sender, in document order (the first that matches wins).
        List<Integer> forDomain = byDomain.getOrDefault(senderDomain, List.of());
        List<Integer> candidates = alwaysAsked;
        if (!forDomain.isEmpty()) {
            candidates = new ArrayList<>(alwaysAsked);
            candidates.addAll(forDomain);
            candidates.sort(null);
        }
        for (int i : candidates) {
            ConnectorRule c = connectors.get(i);
            switch (c.assess(e, senderDomain, presentedNames)) {
                case ConnectorRule.Outcome.Matched m -> {
                    return new ConnectorVerdict(Optional.of(m.connector()), Optional.empty());
                }
                case ConnectorRule.Outcome.Violated v -> {
                    if (violated.isEmpty()) violated = Optional.of(v);
                }
                default -> { }
            }
        }
        return new ConnectorVerdict(Optional.empty(), violated);
    }

    /** The connector to record on an accepted transaction (on-premises mail, the report header). */
    public Optional<MatchedConnector> matchedConnector(Evidence e) {
        return connectors(e).matched();
    }
}
