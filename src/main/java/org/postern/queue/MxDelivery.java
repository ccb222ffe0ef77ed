package org.postern.queue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.postern.dns.DnsResolver;
import org.postern.dns.DnsResolver.Answer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers outbound mail to the internet, one recipient domain at a time (RFC 5321 §5.1): the domain's MX hosts
 * in preference order, each host's addresses in turn, until every recipient has a final answer; without MX
 * records the domain itself (its A/AAAA) is the one host; a null MX (RFC 7505) or a domain that does not exist
 * fails at once. A domain with an MTA-STS policy in enforce mode (RFC 8461) is only delivered to the MX hosts the
 * policy names, over TLS with a certificate valid for the host; REQUIRETLS (RFC 8689) asks the same and is passed
 * on to the next hop. The message is DKIM-signed first; high-risk mail and DSNs go out of the high-risk pool.
 */
final class MxDelivery {

    private static final Logger log = LoggerFactory.getLogger(MxDelivery.class);

    private final DeliverySettings settings;
    private final OutboundSettings outbound;
    private final SmtpConnectionCache cache;
    private final DestinationLimits limits;

    MxDelivery(DeliverySettings settings, OutboundSettings outbound, SmtpConnectionCache cache, DestinationLimits limits) {
        this.settings = settings;
        this.outbound = outbound;
        this.cache = cache;
        this.limits = limits;
    }

    List<RecipientResult> deliver(Envelope envelope, Path content, List<String> recipients) {
        Envelope signed = withSignature(envelope, content);
        Map<String, List<String>> byDomain = new LinkedHashMap<>();
        for (String r : recipients) byDomain.computeIfAbsent(domainOf(r), k -> new ArrayList<>()).add(r);
        Map<String, RecipientResult> results = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : byDomain.entrySet()) {
            for (RecipientResult r : toDomain(signed, content, e.getKey(), e.getValue())) results.put(r.recipient(), r);
        }
        return recipients.stream().map(results::get).toList();
    }

    /** The envelope with the DKIM-Signature fields in front of the prepended headers; unsigned when signing fails. */
    private Envelope withSignature(Envelope envelope, Path content) {
        byte[] prepend = envelope.prependHeaders().getBytes(StandardCharsets.UTF_8);
        try {
            String signature = outbound.signer().sign(envelope,
                    () -> new SequenceInputStream(new ByteArrayInputStream(prepend), Files.newInputStream(content)));
            if (signature.isEmpty()) return envelope;
            return envelope.withPrependHeaders(signature + envelope.prependHeaders());
        } catch (IOException | RuntimeException e) {
            // An unsigned message still reaches most receivers; refusing to send would lose it for a key problem.
            log.warn("outbound {}: not DKIM-signed: {}", envelope.ref(), e.toString());
            return envelope;
        }
    }

    private List<RecipientResult> toDomain(Envelope envelope, Path content, String domain, List<String> recipients) {
        if (domain.isEmpty() || domain.startsWith("[")) {
            return all(recipients, RecipientResult.Outcome.FAILED, "5.1.2 no deliverable domain in the address (address literals are not delivered)");
        }
        Route route = route(domain);
        if (route instanceof Route.Fail f) return all(recipients, f.outcome(), f.detail());
        List<String> hosts = ((Route.Hosts) route).names();

        Optional<MtaStsPolicies.Policy> policy = mtaStsPolicy(domain);
        TlsPolicy domainTls = new TlsPolicy.Opportunistic();
        if (policy.isPresent() && policy.get().mode() == MtaStsPolicies.Mode.ENFORCE) {
            List<String> allowed = hosts.stream().filter(h -> policy.get().allows(h)).toList();
            if (allowed.isEmpty()) {
                return all(recipients, RecipientResult.Outcome.DEFERRED, "no MX host of " + domain + " (" + String.join(", ", hosts)
                        + ") is named by its MTA-STS policy (mode enforce, RFC 8461 §4.1)");
            }
            hosts = allowed;
            domainTls = new TlsPolicy.Verified(outbound.trust(), "the MTA-STS policy of " + domain, true);
        }

        Optional<OutboundSettings.SourcePool> pool = (envelope.highRisk() || envelope.isDsn()) ? outbound.highRiskPool() : Optional.empty();
        String helo = pool.map(OutboundSettings.SourcePool::helo).orElse(outbound.helo());
        Optional<InetAddress> source = pool.map(OutboundSettings.SourcePool::sourceAddress);

        try (DestinationLimits.Permit ignored = limits.acquire(domain)) {
            return tryHosts(envelope, content, domain, recipients, hosts, helo, source, domainTls);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return all(recipients, RecipientResult.Outcome.DEFERRED, "delivery interrupted (shutting down)");
        }
    }

    /** What one MX host gets: a TLS policy to deliver with, or a reason not to use it. */
    private sealed interface HostTls {
        record Use(TlsPolicy tls) implements HostTls { }
        /** @param requireTlsUnmet REQUIRETLS mail and nothing verifies this host (vs. a lookup to retry later) */
        record Skip(String note, boolean requireTlsUnmet) implements HostTls { }
    }

    /**
     * The TLS one MX host gets: DANE when its TLSA records are DNSSEC-secure (RFC 7672; it takes precedence over
     * MTA-STS, RFC 8461 §2), else the domain's MTA-STS policy, else opportunistic. Skipped after a failed secure
     * lookup, or for REQUIRETLS mail when nothing verifies the host.
     */
    private HostTls tlsFor(Envelope envelope, String domain, String host, TlsPolicy domainTls) {
        TlsPolicy tls = domainTls;
        switch (outbound.dane().tlsaFor(domain, host, outbound.mxPort())) {
            case DanePolicies.Answer.TempFail t -> {
                return new HostTls.Skip(host + ": " + t.why() + " (DANE: deferred, RFC 7672 §2.2)", false);
            }
            case DanePolicies.Answer.Secure secure -> tls = new TlsPolicy.Verified(daneContext(secure, host),
                    "DANE (TLSA " + secure.records().getFirst() + (secure.records().size() > 1 ? ", ..." : "") + ")", false);
            case DanePolicies.Answer.None none -> { }
        }
        if (envelope.requireTls()) {
            if (!(tls instanceof TlsPolicy.Verified v)) return new HostTls.Skip(host + ": no MTA-STS (enforce) or DANE to verify it", true);
            tls = new TlsPolicy.Verified(v.context(), "REQUIRETLS and " + v.why(), v.checkName());
        }
        return new HostTls.Use(tls);
    }

    private static javax.net.ssl.SSLContext daneContext(DanePolicies.Answer.Secure secure, String host) {
        try {
            javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
            ctx.init(null, new javax.net.ssl.TrustManager[] {new DaneTrustManager(secure.records(), host)}, null);
            return ctx;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("no TLS in this JVM", e);
        }
    }

    /** Each host in order, each of its addresses in turn, while any recipient is still deferred. */
    private List<RecipientResult> tryHosts(Envelope envelope, Path content, String domain, List<String> recipients, List<String> hosts,
                                           String helo, Optional<InetAddress> source, TlsPolicy domainTls) {
        Map<String, RecipientResult> results = new LinkedHashMap<>();
        for (String r : recipients) results.put(r, RecipientResult.deferred(r, "no MX host could be reached"));
        List<String> pending = recipients;
        List<String> notes = new ArrayList<>();
        boolean requireTlsUnmet = false;
        boolean tried = false;
        for (String host : hosts) {
            TlsPolicy tls;
            switch (tlsFor(envelope, domain, host, domainTls)) {
                case HostTls.Skip skip -> {
                    notes.add(skip.note());
                    requireTlsUnmet |= skip.requireTlsUnmet();
                    continue;
                }
                case HostTls.Use use -> tls = use.tls();
            }
            Answer<InetAddress> addresses = outbound.dns().addresses(host);
            if (!(addresses instanceof Answer.Found<InetAddress> found)) {
                notes.add(host + ": " + (addresses instanceof Answer.TempFail<InetAddress> t ? "DNS failed (" + t.why() + ")" : "no address"));
                continue;
            }
            for (InetAddress address : found.values()) {
                tried = true;
                SmtpClient.ClientProfile profile = new SmtpClient.ClientProfile(helo, source, Optional.of(host), tls, envelope.requireTls());
                List<RecipientResult> attempt = new SmtpClient(false, address.getHostAddress(), outbound.mxPort(), settings, cache, profile)
                        .deliver(envelope, content, pending);
                for (RecipientResult r : attempt) results.put(r.recipient(), r);
                pending = attempt.stream().filter(r -> r.outcome() == RecipientResult.Outcome.DEFERRED).map(RecipientResult::recipient).toList();
                if (pending.isEmpty()) return List.copyOf(results.values());
            }
        }
        if (!tried && requireTlsUnmet) {
            // RFC 8689 §4.1: no MX could be verified, so the message cannot be sent as its sender demanded.
            return all(recipients, RecipientResult.Outcome.FAILED, "5.7.30 REQUIRETLS: no MX host of " + domain
                    + " can be verified (" + String.join("; ", notes) + ")");
        }
        if (!notes.isEmpty()) {
            String why = String.join("; ", notes);
            for (String r : pending) {
                RecipientResult last = results.get(r);
                results.put(r, RecipientResult.deferred(r, last.detail() + " (" + why + ")"));
            }
        }
        return List.copyOf(results.values());
    }

    /** Where mail for a domain goes: its MX hosts by preference, or the domain itself, or nowhere. */
    sealed interface Route {
        record Hosts(List<String> names) implements Route { }
        record Fail(RecipientResult.Outcome outcome, String detail) implements Route { }
    }

    Route route(String domain) {
        Answer<DnsResolver.Mx> mx = outbound.dns().mx(domain);
        return switch (mx) {
            case Answer.Found<DnsResolver.Mx> found -> {
                List<DnsResolver.Mx> sorted = found.values().stream().sorted(Comparator.comparingInt(DnsResolver.Mx::preference)).toList();
                boolean nullMx = sorted.stream().anyMatch(m -> m.host().isEmpty() || m.host().equals("."));
                if (nullMx) {
                    // RFC 7505 §3: a domain publishing a null MX accepts no mail; fail at once rather than retry.
                    yield new Route.Fail(RecipientResult.Outcome.FAILED, "5.1.10 " + domain + " accepts no mail (null MX, RFC 7505)");
                }
                yield new Route.Hosts(sorted.stream().map(m -> stripDot(m.host())).distinct().toList());
            }
            case Answer.NotFound<DnsResolver.Mx> nf when nf.absence() == DnsResolver.Absence.NO_SUCH_NAME ->
                    new Route.Fail(RecipientResult.Outcome.FAILED, "5.1.2 " + domain + " does not exist (NXDOMAIN)");
            // RFC 5321 §5.1: no MX records, so the domain itself is the implicit MX.
            case Answer.NotFound<DnsResolver.Mx> nf -> new Route.Hosts(List.of(domain));
            case Answer.TempFail<DnsResolver.Mx> t -> new Route.Fail(RecipientResult.Outcome.DEFERRED, "MX lookup for " + domain + " failed: " + t.why());
        };
    }

    private Optional<MtaStsPolicies.Policy> mtaStsPolicy(String domain) {
        try {
            return outbound.mtaSts().policyFor(domain);
        } catch (RuntimeException e) {
            log.warn("MTA-STS policy of {} unavailable: {}", domain, e.toString());
            return Optional.empty();
        }
    }

    static String domainOf(String address) {
        int at = address.lastIndexOf('@');
        return at < 0 ? "" : stripDot(address.substring(at + 1).toLowerCase(Locale.ROOT));
    }

    private static String stripDot(String host) {
        return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    }

    private static List<RecipientResult> all(List<String> recipients, RecipientResult.Outcome outcome, String detail) {
        return recipients.stream().map(r -> new RecipientResult(r, outcome, detail)).toList();
    }
}
