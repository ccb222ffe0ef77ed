package org.postern.queue;

import java.util.regex.Pattern;

/** host[:port] of an smtp:// or lmtp:// target; no user, path, query or fragment. */
record HostPort(String host, int port) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*\\.?");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");

    static HostPort parse(String rest, int defaultPort, String whole) {
        String s = rest.endsWith("/") ? rest.substring(0, rest.length() - 1) : rest;
        String host;
        String port = null;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) throw bad(whole, "unclosed '[' in IPv6 address");
            host = s.substring(1, close);
            if (!IPV6.matcher(host).matches()) throw bad(whole, "not an IPv6 address: " + host);
            String after = s.substring(close + 1);
            if (!after.isEmpty()) {
                if (!after.startsWith(":")) throw bad(whole, "unexpected text after ']'");
                port = after.substring(1);
            }
        } else {
            int colon = s.lastIndexOf(':');
            host = colon < 0 ? s : s.substring(0, colon);
            if (colon >= 0) port = s.substring(colon + 1);
            if (host.isEmpty()) throw bad(whole, "no host");
            if (!NAME.matcher(host).matches()) throw bad(whole, "not a host name or IPv4 address: '" + host + "'");
        }
        int p = defaultPort;
        if (port != null) {
            if (!port.matches("[0-9]{1,5}")) throw bad(whole, "port is not a number: '" + port + "'");
            p = Integer.parseInt(port);
            if (p < 1 || p > 65535) throw bad(whole, "port out of range: " + p);
        }
        return new HostPort(host, p);
    }

    private static IllegalArgumentException bad(String whole, String why) {
        return new IllegalArgumentException("'" + whole + "': " + why);
    }
}
