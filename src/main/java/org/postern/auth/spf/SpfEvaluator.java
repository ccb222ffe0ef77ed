package org.postern.auth.spf;

import java.net.InetAddress;
import java.time.Clock;
import java.util.Objects;
import org.postern.dns.DnsResolver;

/**
 * SPF check_host() (RFC 7208) for the MAIL FROM and HELO identities. Thread-safe: each call runs its own
 * evaluation, so checks can start concurrently as soon as MAIL FROM is known.
 *
 * <p>Records are read from TXT only; type SPF (99) is never queried (§3.1, §4.4). Exceeding the limits of
 * §4.6.4 (10 DNS-querying terms, 2 void lookups, 10 MX names) is a permerror; a DNS timeout or SERVFAIL is a
 * temperror, never a fail.
 */
public final class SpfEvaluator {

    private final DnsResolver dns;
    private final Clock clock;
    private final SpfLimits limits;
    private final String receiver;

    /** RFC 7208 limits; {@code %{r}} expands to "unknown". */
    public SpfEvaluator(DnsResolver dns, Clock clock) {
        this(dns, clock, SpfLimits.rfc7208(), "unknown");
    }

    /**
     * @param receiver this host's domain name, the value of {@code %{r}} in explanations (§7.3)
     */
    public SpfEvaluator(DnsResolver dns, Clock clock, SpfLimits limits, String receiver) {
        this.dns = Objects.requireNonNull(dns);
        this.clock = Objects.requireNonNull(clock);
        this.limits = Objects.requireNonNull(limits);
        this.receiver = Objects.requireNonNull(receiver);
    }

    /**
     * The MAIL FROM identity (§2.4). A null or empty reverse-path ({@code <>}) checks
     * {@code postmaster@<helo>} against the HELO domain instead.
     */
    public SpfResult checkMailFrom(InetAddress ip, String mailFrom, String helo) {
        String path = mailFrom == null ? "" : mailFrom.strip();
        if (path.startsWith("<") && path.endsWith(">")) path = path.substring(1, path.length() - 1);
        if (path.isEmpty()) return checkHelo(ip, helo);
        int at = path.lastIndexOf('@');
        return checkHost(ip, at < 0 ? path : path.substring(at + 1), path, helo);
    }

    /** The HELO identity (§2.3): {@code postmaster@<helo>} against the HELO domain. */
    public SpfResult checkHelo(InetAddress ip, String helo) {
        String name = helo == null ? "" : helo.strip();
        return checkHost(ip, name, "postmaster@" + name, name);
    }

    /**
     * check_host(ip, domain, sender) of §4, with the HELO name for {@code %{h}}. A sender without local part
     * stands for "postmaster" (§4.3); a null sender is {@code postmaster@<domain>}.
     */
    public SpfResult checkHost(InetAddress ip, String domain, String sender, String helo) {
        Objects.requireNonNull(ip);
        String d = domain == null ? "" : domain;
        String mailbox = sender == null || sender.isEmpty() ? "postmaster@" + d : sender;
        int at = mailbox.lastIndexOf('@');
        String local = at <= 0 ? "postmaster" : mailbox.substring(0, at);
        String senderDomain = at < 0 ? mailbox : mailbox.substring(at + 1);
        MacroContext macros = new MacroContext(local + "@" + senderDomain, local, senderDomain, d, Cidr.normalize(ip),
                helo == null ? "" : helo, receiver, clock.millis() / 1000, name -> "unknown");
        Evaluation evaluation = new Evaluation(dns, limits, clock, macros);
        try {
            Evaluation.Verdict verdict = evaluation.checkHost(d);
            return new SpfResult(verdict.outcome(), d, evaluation.explain(verdict),
                    verdict.matched().map(SpfRecord.Directive::text), verdict.record().map(SpfRecord::text), "");
        } catch (SpfAbort abort) {
            return SpfResult.error(abort.outcome(), d, evaluation.firstRecord(), abort.getMessage());
        } catch (RuntimeException e) {
            // fail closed but never permanently: an unexpected fault is a temporary error (STYLE "Fail closed")
            return SpfResult.error(SpfOutcome.TEMPERROR, d, evaluation.firstRecord(),
                    "internal error: " + e);
        }
    }
}
