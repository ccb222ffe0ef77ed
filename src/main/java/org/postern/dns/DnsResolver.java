package org.postern.dns;

import java.net.InetAddress;
import java.util.List;

/**
 * DNS as the policy needs it. Injected everywhere, so tests use an in-process DNS server speaking the wire
 * protocol rather than a fake of this interface in end-to-end tests.
 */
public interface DnsResolver {

    /** The outcome of a lookup; a temporary failure is kept apart from "no such name" (RFC 7208 §2.6 and later). */
    sealed interface Answer<T> {
        record Found<T>(List<T> values) implements Answer<T> { public Found { values = List.copyOf(values); } }
        record NotFound<T>() implements Answer<T> { }
        record TempFail<T>(String why) implements Answer<T> { }
    }

    Answer<String> ptr(InetAddress address);

    Answer<InetAddress> addresses(String name);

    Answer<String> txt(String name);

    /**
     * The client's forward-confirmed reverse name (FCrDNS): a PTR name whose A/AAAA records include the
     * address. Empty when none, or when DNS failed.
     */
    default java.util.Optional<String> verifiedName(InetAddress address) {
        if (ptr(address) instanceof Answer.Found<String> names) {
            for (String name : names.values()) {
                if (addresses(name) instanceof Answer.Found<InetAddress> ips && ips.values().contains(address)) {
                    return java.util.Optional.of(name);
                }
            }
        }
        return java.util.Optional.empty();
    }
}
