package org.postern.auth.spf;

import com.google.common.net.InetAddresses;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.function.UnaryOperator;

/**
 * The values macro letters expand to (RFC 7208 §7.2).
 *
 * @param sender        {@code s}: the sender mailbox, "postmaster@" the domain when it had no local part
 * @param localPart     {@code l}
 * @param senderDomain  {@code o}
 * @param domain        {@code d}: the domain being checked now (changes with include and redirect)
 * @param ip            {@code i}, {@code c}, {@code v}: the client address, IPv4-mapped addresses already as IPv4
 * @param helo          {@code h}
 * @param receiver      {@code r}: this host's name
 * @param now           {@code t}: seconds since the epoch
 * @param validatedName {@code p}: from the domain being checked to the client's validated name, or "unknown"
 */
record MacroContext(String sender, String localPart, String senderDomain, String domain, InetAddress ip, String helo,
                    String receiver, long now, UnaryOperator<String> validatedName) {

    MacroContext withDomain(String newDomain) {
        return new MacroContext(sender, localPart, senderDomain, newDomain, ip, helo, receiver, now, validatedName);
    }

    String value(char letter) {
        return switch (letter) {
            case 's' -> sender;
            case 'l' -> localPart;
            case 'o' -> senderDomain;
            case 'd' -> domain;
            case 'i' -> dotted(ip);
            case 'p' -> validatedName.apply(domain);
            case 'v' -> ip instanceof Inet4Address ? "in-addr" : "ip6";
            case 'h' -> helo;
            case 'c' -> InetAddresses.toAddrString(ip);
            case 'r' -> receiver;
            case 't' -> Long.toString(now);
            default -> throw new IllegalArgumentException("macro letter " + letter);
        };
    }

    /**
     * {@code i}: dotted quad for IPv4; for IPv6 the 32 nibbles separated by dots (§7.3), written in upper case as
     * the published openspf test suite expects (the RFC's own example is lower case; DNS does not care).
     */
    static String dotted(InetAddress ip) {
        if (ip instanceof Inet4Address) return ip.getHostAddress();
        StringBuilder out = new StringBuilder();
        for (byte b : ip.getAddress()) {
            if (!out.isEmpty()) out.append('.');
            out.append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xF, 16))).append('.')
                    .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
        }
        return out.toString();
    }
}
