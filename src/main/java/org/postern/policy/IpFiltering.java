package org.postern.policy;

import org.postern.dnsbl.Listings;

import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The tenant's verdict on a client address, after its connectors: ip-allow, then ip-block, then the operator's DNS
 * lists; the first that applies decides. The winning rule and what it overrode are traced as {@code trust.precedence},
 * so an admin reads in one line why a listed client got in or an allowed one did not.
 */
final class IpFiltering {

    static final String ORDER = "connector > ip-allow > ip-block > dnsbl";

    private IpFiltering() { }

    /**
     * @param chain reasons gathered before (a matched connector without trust, the original client); extended here
     */
    static Decision judge(TenantTrust t, InetAddress ip, Listings listings, Instant now, List<Reason> chain) {
        String tenant = t.tenant();
        String addr = ip.getHostAddress();
        IpList.Match allow = t.allow().lookup(ip, now);
        IpList.Match block = t.block().lookup(ip, now);
        if (allow.active().isEmpty()) {
            allow.expired().ifPresent(x -> chain.add(new Reason(ReasonCode.TENANT_IP_ALLOW_EXPIRED,
                    addr + " in expired ip-allow " + x.describe() + ": no longer applies", setting(tenant, "ip-allow", x))));
        }
        if (block.active().isEmpty()) {
            block.expired().ifPresent(x -> chain.add(new Reason(ReasonCode.TENANT_IP_BLOCK_EXPIRED,
                    addr + " in expired ip-block " + x.describe() + ": no longer applies", setting(tenant, "ip-block", x))));
        }
        if (allow.active().isPresent()) {
            IpList.Entry a = allow.active().get();
            chain.add(new Reason(ReasonCode.TENANT_IP_ALLOWED, addr + " in ip-allow " + a.describe(), setting(tenant, "ip-allow", a)));
            chain.add(precedence("ip-allow " + a.cidr() + " decides", overridden(block, listings), setting(tenant, "ip-allow", a)));
            return new Decision.Continue(chain);
        }
        if (block.active().isPresent()) {
            IpList.Entry b = block.active().get();
            List<Reason> reasons = new ArrayList<>();
            reasons.add(new Reason(ReasonCode.TENANT_IP_BLOCKED, "client host [" + addr + "] blocked by the ip-block list of "
                    + tenant + " (" + b.describe() + ")", setting(tenant, "ip-block", b)));
            reasons.addAll(chain);
            reasons.add(precedence("ip-block " + b.cidr() + " decides: no connector bypasses IP filtering, not on ip-allow", List.of(),
                    setting(tenant, "ip-block", b)));
            return new Decision.Reject(reasons);
        }
        observeLists(listings, chain);
        if (listings.refuse()) {
            List<Reason> reasons = new ArrayList<>();
            reasons.add(new Reason(ReasonCode.LISTED_ON_DNSBL, blocked(addr, listings), "dnsbl"));
            reasons.addAll(chain);
            reasons.add(precedence("DNS lists decide: no connector bypasses IP filtering, not on ip-allow or ip-block", List.of(), "dnsbl-threshold"));
            return new Decision.Reject(reasons);
        }
        return chain.isEmpty() ? Decision.Continue.silent() : new Decision.Continue(chain);
    }

    /** A connector trusted with bypass-ip-filtering decides; ip-block and the DNS lists do not count. */
    static Decision bypassed(TenantTrust t, MatchedConnector c, InetAddress ip, Listings listings, Instant now, List<Reason> chain) {
        IpList.Match block = t.block().lookup(ip, now);
        chain.add(precedence("connector " + c.name() + " decides (trust: bypass-ip-filtering)", overridden(block, listings), c.setting()));
        return new Decision.Continue(chain);
    }

    /** Postfix's wording: "client host [192.0.2.1] blocked using zen.example; <TXT of the listing>". */
    private static String blocked(String addr, Listings listings) {
        List<Listings.Hit> hits = listings.blocklistHits();
        String zones = String.join(", ", hits.stream().map(Listings.Hit::zone).toList());
        Optional<String> txt = hits.stream().flatMap(h -> h.txt().stream()).findFirst();
        return "client host [" + addr + "] blocked using " + zones + txt.map(s -> "; " + s).orElse("");
    }

    private static void observeLists(Listings listings, List<Reason> chain) {
        if (!listings.hits().isEmpty()) chain.add(new Reason(ReasonCode.DNSBL_SCORE, listings.address() + ": " + listings.summary(), "dnsbl"));
        for (Listings.Failure f : listings.failures()) {
            chain.add(new Reason(ReasonCode.DNSBL_LOOKUP_FAILED, f.zone() + ": " + f.why() + "; counted as not listed", "dnsbl"));
        }
    }

    private static List<String> overridden(IpList.Match block, Listings listings) {
        List<String> out = new ArrayList<>();
        block.active().ifPresent(b -> out.add("ip-block " + b.cidr()));
        if (listings.refuse()) out.add("DNS lists (" + listings.summary() + ")");
        return out;
    }

    private static Reason precedence(String winner, List<String> overridden, String setting) {
        return new Reason(ReasonCode.TRUST_PRECEDENCE, winner + (overridden.isEmpty() ? "" : "; overrides " + String.join(", ", overridden))
                + " [" + ORDER + "]", setting);
    }

    static String setting(String tenant, String list, IpList.Entry e) {
        return "tenants." + tenant + "." + list + "[" + e.index() + "]";
    }
}
