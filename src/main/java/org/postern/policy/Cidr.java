package org.postern.policy;

import com.google.common.net.InetAddresses;

import java.net.InetAddress;

/** An IPv4 or IPv6 network ("192.0.2.0/24", "2001:db8::/32"; a bare address is a /32 or /128). */
public record Cidr(InetAddress network, int prefixLength) {

    public Cidr {
        int max = network.getAddress().length * 8;
        if (prefixLength < 0 || prefixLength > max) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " out of range for " + network.getHostAddress());
        }
        network = mask(network, prefixLength);
    }

    public static Cidr parse(String text) {
        String t = text.trim();
        int slash = t.indexOf('/');
        String addr = slash < 0 ? t : t.substring(0, slash);
        if (!InetAddresses.isInetAddress(addr)) throw new IllegalArgumentException("not an IP address or CIDR: '" + text + "'");
        InetAddress ip = InetAddresses.forString(addr);
        int max = ip.getAddress().length * 8;
        int prefix;
        try {
            prefix = slash < 0 ? max : Integer.parseInt(t.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad prefix length in '" + text + "'");
        }
        return new Cidr(ip, prefix);
    }

    public boolean contains(InetAddress ip) {
        // Java already maps ::ffff:a.b.c.d to an Inet4Address, so families compare by length.
        if (network.getAddress().length != ip.getAddress().length) return false;
        return mask(ip, prefixLength).equals(network);
    }

    private static InetAddress mask(InetAddress ip, int prefix) {
        byte[] b = ip.getAddress();
        for (int i = 0; i < b.length; i++) {
            int bits = Math.max(0, Math.min(8, prefix - i * 8));
            b[i] &= (byte) (0xff << (8 - bits));
        }
        try {
            return InetAddress.getByAddress(b); // raw bytes: no lookup
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override public String toString() { return InetAddresses.toAddrString(network) + "/" + prefixLength; }
}
