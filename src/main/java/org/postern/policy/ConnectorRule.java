package org.postern.policy;

import org.postern.tenant.Domains;
import org.postern.tenant.TenantDocument;

import java.net.InetAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * One inbound connector of a tenant, compiled for matching. Three questions, in this order:
 * <ol>
 *   <li><b>scope</b> — is this the connector's mail? The envelope sender's domain is one of {@code sender-domains};
 *       a connector without sender domains claims the clients it identifies.</li>
 *   <li><b>identity</b> — did the client prove who it is? A name of a certificate whose chain verified against
 *       {@code tls.client-ca} matches {@code tls-cert-names} (CN or SAN; {@code *.example} covers one label), or its
 *       address is in {@code ips}. A sender domain alone proves nothing (anyone can write it into MAIL FROM), so a
 *       connector with only sender domains never grants trust; it can only impose its requirements.</li>
 *   <li><b>requirements</b> — mail in scope that does not meet them is refused: {@code require-tls} (and, with
 *       certificate names, a verified certificate of one of those names) and {@code restrict-to-ips}.</li>
 * </ol>
 */
final class ConnectorRule {

    /** What the connector makes of one client and sender. */
    sealed interface Outcome {
        record NotInScope() implements Outcome { }
        record Matched(MatchedConnector connector) implements Outcome { }
        record InScopeUnidentified() implements Outcome { }
        record Violated(String requirement, String setting) implements Outcome { }
    }

    private static final Outcome NOT_IN_SCOPE = new Outcome.NotInScope();
    private static final Outcome UNIDENTIFIED = new Outcome.InScopeUnidentified();

    private final String tenant;
    private final String name;
    private final String kind;
    private final List<String> certNames;
    private final List<Cidr> ips;
    private final Set<String> senderDomains = new HashSet<>();
    private final List<String> senderSuffixes;
    private final boolean requireTls;
    private final boolean restrictToIps;
    private final boolean bypass;

    ConnectorRule(String tenant, TenantDocument.Connector c) {
        this.tenant = tenant;
        this.name = c.name();
        this.kind = c.kind();
        this.certNames = c.match().tlsCertNames().stream().map(ConnectorRule::configuredName).toList();
        this.ips = c.match().ips().stream().map(Cidr::parse).toList();
        for (String d : c.match().senderDomains()) if (!d.startsWith("*.")) senderDomains.add(configuredName(d));
        this.senderSuffixes = c.match().senderDomains().stream().filter(d -> d.startsWith("*.")).map(d -> configuredName(d).substring(1)).toList();
        this.requireTls = c.requireTls().orElse(false);
        this.restrictToIps = c.restrictToIps().orElse(false);
        this.bypass = c.trust().map("bypass-ip-filtering"::equals).orElse(false);
    }

    String name() {
        return name;
    }

    /** The exact sender domains this connector is about (its index keys); empty when it has none or only wildcards. */
    Set<String> senderDomains() {
        return senderDomains;
    }

    /** Whether a lookup by exact sender domain can skip it: it has sender domains, and none is a wildcard. */
    boolean scopedByExactDomains() {
        return !senderDomains.isEmpty() && senderSuffixes.isEmpty();
    }

    /**
     * @param senderDomain   the envelope sender's normalized domain, "" for the null sender
     * @param presentedNames the names of the client's certificate, lower case, only when its chain verified
     */
    Outcome assess(Evidence e, String senderDomain, List<String> presentedNames) {
        // Scope by sender domain first: most connectors are not about this sender, and that costs nothing to see.
        if (hasSenderDomains() && !coversSender(senderDomain)) return NOT_IN_SCOPE;
        Optional<String> certName = verifiedCertName(presentedNames);
        Optional<Cidr> ipRange = ipRange(e.clientIp());
        if (!hasSenderDomains() && certName.isEmpty() && ipRange.isEmpty()) return NOT_IN_SCOPE;
        Optional<String> identity = certName.map(n -> "verified certificate name " + n)
                .or(() -> ipRange.map(r -> "IP " + e.clientIp().getHostAddress() + " in " + r));
        String whose = hasSenderDomains() ? "mail from " + senderDomain : "mail from " + e.clientIp().getHostAddress();
        if (requireTls && e.tls().isEmpty()) {
            return new Outcome.Violated(whose + " must arrive over TLS (connector " + name + ")", setting() + ".require-tls");
        }
        if (requireTls && !certNames.isEmpty() && certName.isEmpty()) {
            return new Outcome.Violated(whose + " must present a verified TLS certificate named " + String.join(" or ", certNames)
                    + " (connector " + name + ")", setting() + ".require-tls");
        }
        if (restrictToIps && ipRange.isEmpty()) {
            return new Outcome.Violated(whose + " must come from the connector's IP addresses, not "
                    + e.clientIp().getHostAddress() + " (connector " + name + ")", setting() + ".restrict-to-ips");
        }
        if (identity.isEmpty()) return UNIDENTIFIED;
        return new Outcome.Matched(new MatchedConnector(tenant, name, kind, identity.get(), bypass));
    }

    private String setting() {
        return "tenants." + tenant + ".connectors." + name;
    }

    private boolean hasSenderDomains() {
        return !senderDomains.isEmpty() || !senderSuffixes.isEmpty();
    }

    private boolean coversSender(String domain) {
        if (domain.isEmpty()) return false;
        if (senderDomains.contains(domain)) return true;
        for (String suffix : senderSuffixes) if (domain.endsWith(suffix)) return true;
        return false;
    }

    /** Only names of a certificate whose chain verified: a stranger's certificate may say anything. */
    static List<String> verifiedNames(Evidence e) {
        if (e.tls().isEmpty() || !e.tls().get().certificateVerified()) return List.of();
        List<String> names = new java.util.ArrayList<>(e.tls().get().certificateNames().size());
        for (String n : e.tls().get().certificateNames()) names.add(lower(n));
        return names;
    }

    private Optional<String> verifiedCertName(List<String> presentedNames) {
        if (certNames.isEmpty()) return Optional.empty();
        for (String n : presentedNames) {
            for (String wanted : certNames) if (namesMatch(wanted, n)) return Optional.of(n);
        }
        return Optional.empty();
    }

    private Optional<Cidr> ipRange(InetAddress ip) {
        for (Cidr c : ips) if (c.contains(ip)) return Optional.of(c);
        return Optional.empty();
    }

    /**
     * {@code wanted} as configured, {@code presented} from the certificate. A wildcard covers exactly one leftmost
     * label (RFC 6125 §6.4.3): "*.fabrikam.test" matches "mx1.fabrikam.test", not "a.mx1.fabrikam.test" or
     * "fabrikam.test"; a certificate for "*.fabrikam.test" is accepted where "mx1.fabrikam.test" is configured.
     */
    static boolean namesMatch(String wanted, String presented) {
        if (wanted.equals(presented)) return true;
        if (wanted.startsWith("*.") && !presented.startsWith("*.")) return coveredBy(presented, wanted.substring(1));
        if (presented.startsWith("*.") && !wanted.startsWith("*.")) return coveredBy(wanted, presented.substring(1));
        return false;
    }

    /** name is one label followed by suffix (".fabrikam.test"). */
    private static boolean coveredBy(String name, String suffix) {
        if (!name.endsWith(suffix) || name.length() == suffix.length()) return false;
        return name.substring(0, name.length() - suffix.length()).indexOf('.') < 0;
    }

    /** A configured name in the form DNS and certificates use: A-labels, lower case; "*." kept. */
    static String configuredName(String s) {
        boolean wildcard = s.trim().startsWith("*.");
        String bare = wildcard ? s.trim().substring(2) : s;
        try {
            return (wildcard ? "*." : "") + Domains.normalize(bare);
        } catch (IllegalArgumentException e) {
            return lower(s); // the validator refuses such names; stay total anyway
        }
    }

    private static String lower(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        return t.endsWith(".") ? t.substring(0, t.length() - 1) : t;
    }
}
