package org.postern.edge;

import com.google.common.net.InetAddresses;

import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the original client behind hops the tenant trusts (enhanced filtering). Received fields are read top down,
 * newest first (RFC 5321 §4.4): the top one was written by the hop that connected to us and names, in its "from"
 * clause, who connected to that hop. While that address is itself a listed hop, the next field down was written by a
 * hop we trust as well; the first address that is not a listed hop is the original client. Fields below it were
 * written by the sender and prove nothing, so the walk stops there.
 */
final class ReceivedChain {

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    /** "[192.0.2.1]", "[IPv6:2001:db8::1]" (RFC 5321 TCP-info) or "(192.0.2.1)" as some servers write it. */
    private static final Pattern ADDRESS = Pattern.compile("[\\[(](?:IPv6:)?([0-9A-Fa-f:.]{2,45})[\\])]");

    record Found(InetAddress ip, int field, String from) { }

    private ReceivedChain() { }

    /**
     * @param received Received field values, top first
     * @param isHop    whether an address is one of the hops the tenant lists
     */
    static Optional<Found> originalClient(List<String> received, Predicate<InetAddress> isHop) {
        for (int i = 0; i < received.size(); i++) {
            Optional<InetAddress> from = fromAddress(received.get(i));
            if (from.isEmpty()) return Optional.empty(); // a trusted hop that names no address: nothing to rely on
            if (!isHop.test(from.get())) return Optional.of(new Found(from.get(), i + 1, received.get(i)));
        }
        return Optional.empty();
    }

    /** The address in the "from" clause (before " by "): the client the writing hop saw. */
    static Optional<InetAddress> fromAddress(String value) {
        String v = WHITESPACE.matcher(value).replaceAll(" ").trim();
        String lower = v.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("from ")) return Optional.empty();
        int by = lower.indexOf(" by ");
        Matcher m = ADDRESS.matcher(by < 0 ? v : v.substring(0, by));
        while (m.find()) {
            if (InetAddresses.isInetAddress(m.group(1))) return Optional.of(InetAddresses.forString(m.group(1)));
        }
        return Optional.empty();
    }
}
