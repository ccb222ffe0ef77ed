package org.postern.auth.spf;

import com.google.common.net.InetAddresses;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses a whole SPF record before anything is evaluated, so a syntax error anywhere is a permerror (RFC 7208
 * §4.6). Terms are separated by one or more spaces, nothing else (§4.6.1); names are case-insensitive.
 */
final class SpfRecordParser {

    /** modifier = name "=" macro-string; name = ALPHA *( ALPHA / DIGIT / "-" / "_" / "." ) (§4.6.1). */
    private static final Pattern MODIFIER = Pattern.compile("([A-Za-z][A-Za-z0-9_.\\-]*)=(.*)");
    /** [ ":" domain-spec ] [ "/" ip4-cidr ] [ "//" ip6-cidr ], split from the right: a domain may hold "/". */
    private static final Pattern DUAL_CIDR = Pattern.compile("(.*?)(?:/([0-9]+))?(?://([0-9]+))?");
    private static final Pattern IP_WITH_CIDR = Pattern.compile(":([^/]*)(?:/([0-9]+))?");
    /** ip4-network = qnum "." qnum "." qnum "." qnum, qnum without leading zeros (§5.6). */
    private static final Pattern QNUM_QUAD = Pattern.compile(
            "(?:(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9][0-9]|[0-9])\\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9][0-9]|[0-9])");
    private static final Pattern IP6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

    private SpfRecordParser() { }

    /** Parses a record already selected by {@link SpfRecord#isSpf}. */
    static SpfRecord parse(String text) throws SpfSyntaxException {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                throw new SpfSyntaxException("record holds a non-ASCII or control character (0x" + Integer.toHexString(c) + ")");
            }
        }
        if (!SpfRecord.isSpf(text)) throw new SpfSyntaxException("record does not start with v=spf1");
        List<SpfRecord.Directive> directives = new ArrayList<>();
        Optional<MacroString> redirect = Optional.empty();
        Optional<MacroString> exp = Optional.empty();
        for (String term : text.substring(6).split(" ")) {
            if (term.isEmpty()) continue;
            Matcher modifier = MODIFIER.matcher(term);
            if (!modifier.matches()) {
                directives.add(directive(term));
                continue;
            }
            String name = modifier.group(1).toLowerCase(Locale.ROOT);
            String value = modifier.group(2);
            switch (name) {
                case "redirect" -> {
                    if (redirect.isPresent()) throw new SpfSyntaxException("redirect= appears twice");
                    redirect = Optional.of(domainSpec(value, term));
                }
                case "exp" -> {
                    if (exp.isPresent()) throw new SpfSyntaxException("exp= appears twice");
                    exp = Optional.of(domainSpec(value, term));
                }
                default -> MacroString.parse(value, MacroString.Context.DOMAIN_SPEC); // unknown: syntax only (§6)
            }
        }
        return new SpfRecord(text, directives, redirect, exp);
    }

    private static SpfRecord.Directive directive(String term) throws SpfSyntaxException {
        Qualifier qualifier = Qualifier.of(term.charAt(0));
        String body = qualifier == null ? term : term.substring(1);
        if (qualifier == null) qualifier = Qualifier.PASS;
        int end = 0;
        while (end < body.length() && body.charAt(end) != ':' && body.charAt(end) != '/') end++;
        String name = body.substring(0, end).toLowerCase(Locale.ROOT);
        String rest = body.substring(end);
        Mechanism mechanism = switch (name) {
            case "all" -> {
                if (!rest.isEmpty()) throw new SpfSyntaxException("\"all\" takes no argument: \"" + term + "\"");
                yield new Mechanism.All();
            }
            case "include" -> new Mechanism.Include(requiredTarget(rest, term));
            case "exists" -> new Mechanism.Exists(requiredTarget(rest, term));
            case "ptr" -> new Mechanism.Ptr(optionalTarget(rest, term));
            case "a", "mx" -> dualCidr(name, rest, term);
            case "ip4" -> ip4(rest, term);
            case "ip6" -> ip6(rest, term);
            default -> throw new SpfSyntaxException("unknown mechanism \"" + term + "\"");
        };
        return new SpfRecord.Directive(qualifier, mechanism, term);
    }

    private static MacroString requiredTarget(String rest, String term) throws SpfSyntaxException {
        if (!rest.startsWith(":")) throw new SpfSyntaxException("\"" + term + "\" needs \":\" and a domain");
        return domainSpec(rest.substring(1), term);
    }

    private static Optional<MacroString> optionalTarget(String rest, String term) throws SpfSyntaxException {
        return rest.isEmpty() ? Optional.empty() : Optional.of(requiredTarget(rest, term));
    }

    private static Mechanism dualCidr(String name, String rest, String term) throws SpfSyntaxException {
        Matcher m = DUAL_CIDR.matcher(rest);
        if (!m.matches()) throw new SpfSyntaxException("bad \"" + term + "\"");
        Optional<MacroString> target = optionalTarget(m.group(1), term);
        int cidr4 = m.group(2) == null ? 32 : cidr(m.group(2), 32, term);
        int cidr6 = m.group(3) == null ? 128 : cidr(m.group(3), 128, term);
        return name.equals("a") ? new Mechanism.A(target, cidr4, cidr6) : new Mechanism.Mx(target, cidr4, cidr6);
    }

    private static Mechanism ip4(String rest, String term) throws SpfSyntaxException {
        Matcher m = IP_WITH_CIDR.matcher(rest);
        if (!m.matches() || !QNUM_QUAD.matcher(m.group(1)).matches()) {
            throw new SpfSyntaxException("bad IPv4 network in \"" + term + "\"");
        }
        int prefix = m.group(2) == null ? 32 : cidr(m.group(2), 32, term);
        return new Mechanism.Ip4(InetAddresses.forString(m.group(1)).getAddress(), prefix);
    }

    private static Mechanism ip6(String rest, String term) throws SpfSyntaxException {
        Matcher m = IP_WITH_CIDR.matcher(rest);
        if (!m.matches() || !IP6_CHARS.matcher(m.group(1)).matches() || m.group(1).indexOf(':') < 0
                || !InetAddresses.isInetAddress(m.group(1))) {
            throw new SpfSyntaxException("bad IPv6 network in \"" + term + "\"");
        }
        int prefix = m.group(2) == null ? 128 : cidr(m.group(2), 128, term);
        InetAddress network = InetAddresses.forString(m.group(1));
        return new Mechanism.Ip6(Cidr.bytes(network, network instanceof Inet4Address), prefix);
    }

    /** ip4-cidr-length = "/" ( "0" / %x31-39 0*1DIGIT ), at most 32; ip6 likewise, at most 128 (§5.6). */
    private static int cidr(String digits, int max, String term) throws SpfSyntaxException {
        if (digits.length() > 3 || (digits.length() > 1 && digits.charAt(0) == '0') || Integer.parseInt(digits) > max) {
            throw new SpfSyntaxException("bad CIDR length in \"" + term + "\"");
        }
        return Integer.parseInt(digits);
    }

    private static MacroString domainSpec(String value, String term) throws SpfSyntaxException {
        MacroString spec = MacroString.parse(value, MacroString.Context.DOMAIN_SPEC);
        DomainNames.checkDomainSpec(spec, term);
        return spec;
    }
}
