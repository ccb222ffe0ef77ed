package org.postern.dns;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * DNS as the policy needs it. Injected everywhere, so tests use an in-process DNS server speaking the wire
 * protocol rather than a fake of this interface in end-to-end tests.
 *
 * <p>Every lookup keeps three outcomes apart (RFC 7208 §2.6, §4.6.4): records found; no records, either because
 * the name does not exist (NXDOMAIN) or because it has no record of that type (NODATA) — together the "void
 * lookups" SPF limits; and a temporary failure (timeout, SERVFAIL, network error) that must never turn into a
 * permanent verdict.
 */
public interface DnsResolver {

    /** Why a lookup found nothing (RFC 2308). */
    enum Absence {
        /** RCODE 3, NXDOMAIN: the name does not exist (or cannot be a DNS name at all). */
        NO_SUCH_NAME,
        /** RCODE 0 with an empty answer: the name exists but has no record of the asked type. */
        NO_DATA
    }

    /** The outcome of a lookup; a temporary failure is kept apart from "no such name" (RFC 7208 §2.6 and later). */
    sealed interface Answer<T> {
        record Found<T>(List<T> values) implements Answer<T> { public Found { values = List.copyOf(values); } }
        record NotFound<T>(Absence absence) implements Answer<T> {
            public NotFound { java.util.Objects.requireNonNull(absence); }
            /** A lookup that found nothing, without saying whether the name exists. */
            public NotFound() { this(Absence.NO_SUCH_NAME); }
        }
        record TempFail<T>(String why) implements Answer<T> { }
    }

    /** A mail exchanger (RFC 5321 §5.1); a null MX (RFC 7505) has the host {@code ""} (the root). */
    record Mx(int preference, String host) { }

    Answer<String> ptr(InetAddress address);

    /** A and AAAA records together; found when either has records. */
    Answer<InetAddress> addresses(String name);

    /**
     * TXT records, one value per record: its character-strings concatenated with no separator (RFC 7208 §3.3,
     * RFC 6376 §3.6.2.2), decoded as UTF-8 (malformed bytes become U+FFFD, so they stay visibly non-ASCII).
     */
    Answer<String> txt(String name);

    /** A records only. The default filters {@link #addresses}; resolvers should override it. */
    default Answer<InetAddress> a(String name) {
        return only(addresses(name), Inet4Address.class);
    }

    /** AAAA records only. The default filters {@link #addresses}; resolvers should override it. */
    default Answer<InetAddress> aaaa(String name) {
        return only(addresses(name), Inet6Address.class);
    }

    /** MX records, in the order the server gave them. */
    default Answer<Mx> mx(String name) {
        return new Answer.TempFail<>("MX lookups not supported by " + getClass().getSimpleName());
    }

    /**
     * The client's forward-confirmed reverse name (FCrDNS): a PTR name whose A/AAAA records include the
     * address. Empty when none, or when DNS failed.
     */
    default Optional<String> verifiedName(InetAddress address) {
        if (ptr(address) instanceof Answer.Found<String> names) {
            for (String name : names.values()) {
                if (addresses(name) instanceof Answer.Found<InetAddress> ips && ips.values().contains(address)) {
                    return Optional.of(name);
                }
            }
        }
        return Optional.empty();
    }

    private static Answer<InetAddress> only(Answer<InetAddress> answer, Class<? extends InetAddress> family) {
        if (answer instanceof Answer.Found<InetAddress> found) {
            List<InetAddress> kept = found.values().stream().filter(family::isInstance).toList();
            return kept.isEmpty() ? new Answer.NotFound<>(Absence.NO_DATA) : new Answer.Found<>(kept);
        }
        return answer;
    }
}
