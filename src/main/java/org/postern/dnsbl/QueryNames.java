package org.postern.dnsbl;

import java.net.Inet4Address;
import java.net.InetAddress;

/** The name a DNSxL is asked for an address (RFC 5782 §2.1 for IPv4, §2.4 for IPv6). */
public final class QueryNames {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private QueryNames() { }

    /**
     * 192.0.2.99 in zen.example → {@code 99.2.0.192.zen.example}; 2001:db8::1 → 32 nibbles in reverse order,
     * {@code 1.0.0.0. ... .8.b.d.0.1.0.0.2.zen.example}. IPv4-mapped IPv6 clients arrive as Inet4Address already.
     */
    public static String of(InetAddress ip, String zone) {
        byte[] b = ip.getAddress();
        StringBuilder sb = new StringBuilder(72 + zone.length());
        if (ip instanceof Inet4Address) {
            for (int i = 3; i >= 0; i--) sb.append(b[i] & 0xff).append('.');
        } else {
            for (int i = 15; i >= 0; i--) {
                sb.append(HEX[b[i] & 0x0f]).append('.').append(HEX[(b[i] >> 4) & 0x0f]).append('.');
            }
        }
        return sb.append(zone).toString();
    }
}
