package org.postern.auth.spf;

import java.net.InetAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.postern.dns.DnsResolver;
import org.postern.dns.DnsResolver.Answer;

/**
 * One check_host() run (RFC 7208 §4) with its shared counters: DNS-querying terms and void lookups are counted
 * across include and redirect (§4.6.4), and the whole run has a time budget. Not thread-safe; one per check.
 */
final class Evaluation {

    /** What a record (or the redirect chain it started) decided, and the exp= to explain a fail with. */
    record Verdict(SpfOutcome outcome, String domain, Optional<SpfRecord> record, Optional<SpfRecord.Directive> matched,
                   Optional<MacroString> exp) { }

    private final DnsResolver dns;
    private final SpfLimits limits;
    private final Clock clock;
    private final long deadline;
    private final InetAddress ip;
    private final boolean ipv4;
    private final MacroContext macros;
    private int dnsTerms;
    private int voidLookups;
    private List<String> ptrNames;
    private final Map<String, Boolean> validated = new HashMap<>();
    private Optional<String> firstRecord = Optional.empty();

    Evaluation(DnsResolver dns, SpfLimits limits, Clock clock, MacroContext macros) {
        this.dns = dns;
        this.limits = limits;
        this.clock = clock;
        this.deadline = clock.millis() + limits.maxElapsed().toMillis();
        this.ip = macros.ip();
        this.ipv4 = Cidr.isIpv4(ip);
        this.macros = new MacroContext(macros.sender(), macros.localPart(), macros.senderDomain(), macros.domain(),
                macros.ip(), macros.helo(), macros.receiver(), macros.now(), this::validatedName);
    }

    /** The text of the first SPF record fetched, even one that failed to parse: evidence for an error result. */
    Optional<String> firstRecord() {
        return firstRecord;
    }

    Verdict checkHost(String domain) throws SpfAbort {
        String d = DomainNames.stripDot(domain);
        if (!DomainNames.checkable(d)) return new Verdict(SpfOutcome.NONE, d, Optional.empty(), Optional.empty(), Optional.empty());
        Optional<SpfRecord> found = fetchRecord(d);
        if (found.isEmpty()) return new Verdict(SpfOutcome.NONE, d, Optional.empty(), Optional.empty(), Optional.empty());
        SpfRecord record = found.get();
        for (SpfRecord.Directive directive : record.directives()) {
            if (directive.mechanism().queriesDns()) countDnsTerm(directive.text());
            if (matches(directive, d)) {
                return new Verdict(directive.qualifier().outcome(), d, found, Optional.of(directive), record.explanation());
            }
        }
        if (record.redirect().isPresent()) {
            // §6.1: redirect applies after all mechanisms; its result replaces ours, exp= included
            String term = "redirect=" + record.redirect().get();
            countDnsTerm(term);
            String target = targetName(record.redirect().get(), d)
                    .orElseThrow(() -> SpfAbort.perm(term + " expands to a malformed name"));
            Verdict redirected = checkHost(target);
            if (redirected.outcome() == SpfOutcome.NONE) throw SpfAbort.perm(term + ": " + target + " has no SPF record");
            return redirected;
        }
        return new Verdict(SpfOutcome.NEUTRAL, d, found, Optional.empty(), record.explanation());
    }

    /** §4.4, §4.5: the TXT records of the domain, exactly one of them starting with v=spf1. */
    private Optional<SpfRecord> fetchRecord(String domain) throws SpfAbort {
        checkDeadline();
        Answer<String> answer = dns.txt(domain);
        if (answer instanceof Answer.TempFail<String> t) throw SpfAbort.temp("DNS error fetching TXT of " + domain + ": " + t.why());
        if (!(answer instanceof Answer.Found<String> f)) return Optional.empty();
        List<String> spf = f.values().stream().filter(SpfRecord::isSpf).toList();
        if (spf.isEmpty()) return Optional.empty();
        if (spf.size() > 1) throw SpfAbort.perm(domain + " publishes " + spf.size() + " SPF records");
        if (firstRecord.isEmpty()) firstRecord = Optional.of(spf.get(0));
        try {
            return Optional.of(SpfRecordParser.parse(spf.get(0)));
        } catch (SpfSyntaxException e) {
            throw SpfAbort.perm("syntax error in SPF record of " + domain + ": " + e.getMessage());
        }
    }

    private boolean matches(SpfRecord.Directive directive, String domain) throws SpfAbort {
        String term = directive.text();
        return switch (directive.mechanism()) {
            case Mechanism.All all -> true;
            case Mechanism.Include include -> include(include, domain, term);
            case Mechanism.A a -> {
                Optional<String> target = a.target().isEmpty() ? Optional.of(domain) : targetName(a.target().get(), domain);
                yield target.isPresent() && anyInPrefix(addresses(target.get(), true, term), a.cidr4(), a.cidr6());
            }
            case Mechanism.Mx mx -> mx(mx, domain, term);
            case Mechanism.Ptr ptr -> {
                Optional<String> target = ptr.target().isEmpty() ? Optional.of(domain) : targetName(ptr.target().get(), domain);
                yield target.isPresent() && ptr(target.get());
            }
            case Mechanism.Ip4 ip4 -> ipv4 && Cidr.matches(ip.getAddress(), ip4.network(), ip4.prefix());
            case Mechanism.Ip6 ip6 -> !ipv4 && Cidr.matches(ip.getAddress(), ip6.network(), ip6.prefix());
            case Mechanism.Exists exists -> exists(exists, domain, term);
        };
    }

    /** §5.2: pass matches; fail, softfail and neutral do not; errors propagate; none is a permerror. */
    private boolean include(Mechanism.Include include, String domain, String term) throws SpfAbort {
        String target = targetName(include.target(), domain)
                .orElseThrow(() -> SpfAbort.perm(term + " expands to a malformed name"));
        Verdict inner = checkHost(target);
        return switch (inner.outcome()) {
            case PASS -> true;
            case FAIL, SOFTFAIL, NEUTRAL -> false;
            case NONE -> throw SpfAbort.perm(term + ": " + target + " has no SPF record");
            case TEMPERROR, PERMERROR -> throw new IllegalStateException("errors propagate as SpfAbort");
        };
    }

    /** §5.4: addresses of at most 10 MX hosts, in preference order; needing an 11th is a permerror (§4.6.4). */
    private boolean mx(Mechanism.Mx mx, String domain, String term) throws SpfAbort {
        Optional<String> target = mx.target().isEmpty() ? Optional.of(domain) : targetName(mx.target().get(), domain);
        if (target.isEmpty()) return false;
        checkDeadline();
        Answer<DnsResolver.Mx> answer = dns.mx(target.get());
        if (answer instanceof Answer.TempFail<DnsResolver.Mx> t) throw SpfAbort.temp("DNS error on " + term + ": " + t.why());
        if (!(answer instanceof Answer.Found<DnsResolver.Mx> found)) {
            countVoid(term);
            return false;
        }
        List<DnsResolver.Mx> hosts = new ArrayList<>(found.values());
        hosts.sort(Comparator.comparingInt(DnsResolver.Mx::preference));
        int looked = 0;
        for (DnsResolver.Mx host : hosts) {
            if (host.host().isEmpty()) continue; // null MX (RFC 7505): no host to look up
            if (++looked > limits.mxNames()) throw SpfAbort.perm(term + ": more than " + limits.mxNames() + " MX names");
            if (anyInPrefix(addresses(host.host(), false, term), mx.cidr4(), mx.cidr6())) return true;
        }
        return false;
    }

    /** §5.5: a validated PTR name equal to or under the target; DNS errors mean no match, never an error. */
    private boolean ptr(String target) {
        String wanted = target.toLowerCase(Locale.ROOT);
        for (String name : ptrNames()) {
            String n = DomainNames.stripDot(name).toLowerCase(Locale.ROOT);
            if ((n.equals(wanted) || n.endsWith("." + wanted)) && validates(name)) return true;
        }
        return false;
    }

    /** §5.7: any A record, whatever the client's address family. */
    private boolean exists(Mechanism.Exists exists, String domain, String term) throws SpfAbort {
        Optional<String> target = targetName(exists.target(), domain);
        if (target.isEmpty()) return false;
        checkDeadline();
        Answer<InetAddress> answer = dns.a(target.get());
        if (answer instanceof Answer.TempFail<InetAddress> t) throw SpfAbort.temp("DNS error on " + term + ": " + t.why());
        if (answer instanceof Answer.Found<InetAddress>) return true;
        countVoid(term);
        return false;
    }

    /** A (IPv4 client) or AAAA (IPv6 client) records of a name; a temporary failure is a temperror. */
    private List<InetAddress> addresses(String name, boolean countsAsVoid, String term) throws SpfAbort {
        checkDeadline();
        Answer<InetAddress> answer = ipv4 ? dns.a(name) : dns.aaaa(name);
        if (answer instanceof Answer.Found<InetAddress> f) return f.values();
        if (answer instanceof Answer.TempFail<InetAddress> t) throw SpfAbort.temp("DNS error on " + term + " (" + name + "): " + t.why());
        if (countsAsVoid) countVoid(term);
        return List.of();
    }

    private boolean anyInPrefix(List<InetAddress> addresses, int cidr4, int cidr6) {
        byte[] client = Cidr.bytes(ip, !ipv4);
        for (InetAddress address : addresses) {
            if (Cidr.matches(client, Cidr.bytes(address, !ipv4), ipv4 ? cidr4 : cidr6)) return true;
        }
        return false;
    }

    /** The client's PTR names, at most 10 (§4.6.4: the rest are ignored); none on any DNS problem. */
    private List<String> ptrNames() {
        if (ptrNames == null) {
            Answer<String> answer = dns.ptr(ip);
            List<String> names = answer instanceof Answer.Found<String> f ? f.values() : List.of();
            ptrNames = names.subList(0, Math.min(names.size(), limits.ptrNames()));
        }
        return ptrNames;
    }

    /** Forward confirmation: the name's A/AAAA records include the client; DNS errors mean "no" (§5.5). */
    private boolean validates(String name) {
        return validated.computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> {
            Answer<InetAddress> answer = ipv4 ? dns.a(name) : dns.aaaa(name);
            return answer instanceof Answer.Found<InetAddress> f
                    && f.values().stream().anyMatch(a -> Arrays.equals(Cidr.bytes(a, !ipv4), Cidr.bytes(ip, !ipv4)));
        });
    }

    /** The {@code %{p}} value (§7.3): the domain itself, else a subdomain of it, else any validated name. */
    private String validatedName(String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        String any = null;
        String sub = null;
        for (String name : ptrNames()) {
            if (!validates(name)) continue;
            String n = DomainNames.stripDot(name);
            String lower = n.toLowerCase(Locale.ROOT);
            if (lower.equals(d)) return n;
            if (sub == null && lower.endsWith("." + d)) sub = n;
            if (any == null) any = n;
        }
        return sub != null ? sub : any != null ? any : "unknown";
    }

    Optional<String> targetName(MacroString spec, String domain) {
        return DomainNames.queryName(spec.expand(macros.withDomain(domain)));
    }

    /** §6.2: fetch and expand the explanation; any problem means "no explanation", never an error. */
    Optional<String> explain(Verdict verdict) {
        if (verdict.outcome() != SpfOutcome.FAIL || verdict.exp().isEmpty()) return Optional.empty();
        Optional<String> target = targetName(verdict.exp().get(), verdict.domain());
        if (target.isEmpty()) return Optional.empty();
        if (!(dns.txt(target.get()) instanceof Answer.Found<String> f) || f.values().size() != 1) return Optional.empty();
        try {
            return Optional.of(MacroString.parse(f.values().get(0), MacroString.Context.EXPLANATION)
                    .expand(macros.withDomain(verdict.domain())));
        } catch (SpfSyntaxException e) {
            return Optional.empty();
        }
    }

    private void countDnsTerm(String term) throws SpfAbort {
        if (++dnsTerms > limits.dnsTerms()) {
            throw SpfAbort.perm("more than " + limits.dnsTerms() + " DNS-querying terms (at " + term + ")");
        }
    }

    private void countVoid(String term) throws SpfAbort {
        if (++voidLookups > limits.voidLookups()) {
            throw SpfAbort.perm("more than " + limits.voidLookups() + " void lookups (at " + term + ")");
        }
    }

    private void checkDeadline() throws SpfAbort {
        if (clock.millis() > deadline) throw SpfAbort.temp("SPF evaluation took longer than " + limits.maxElapsed());
    }
}
