package org.postern.auth.spf;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/** Address-prefix matching (RFC 7208 §5.6) and the IPv4-mapped rule of §5. */
final class Cidr {

    private static final byte[] MAPPED_PREFIX = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF};

    private Cidr() { }

    /** An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is the IPv4 address it carries (§5, "ip6"). */
    static InetAddress normalize(InetAddress ip) {
        if (ip instanceof Inet6Address) {
            byte[] b = ip.getAddress();
            if (Arrays.equals(b, 0, 12, MAPPED_PREFIX, 0, 12)) {
                try {
                    return InetAddress.getByAddress(Arrays.copyOfRange(b, 12, 16));
                } catch (UnknownHostException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return ip;
    }

    /** The 4 or 16 bytes to compare: an IPv4 address in an IPv6 context is written in mapped form. */
    static byte[] bytes(InetAddress ip, boolean asIpv6) {
        byte[] raw = ip.getAddress();
        if (asIpv6 && raw.length == 4) {
            byte[] mapped = Arrays.copyOf(MAPPED_PREFIX, 16);
            System.arraycopy(raw, 0, mapped, 12, 4);
            return mapped;
        }
        return raw;
    }

    /** True when the first {@code prefix} bits of both addresses (same length) are equal. */
    static boolean matches(byte[] address, byte[] network, int prefix) {
        if (address.length != network.length) return false;
        int full = prefix / 8;
        for (int i = 0; i < full; i++) if (address[i] != network[i]) return false;
        int rest = prefix % 8;
        if (rest == 0) return true;
        int mask = (0xFF << (8 - rest)) & 0xFF;
        return (address[full] & mask) == (network[full] & mask);
    }

    static boolean isIpv4(InetAddress ip) {
        return ip instanceof Inet4Address;
    }
}
