package org.postern.queue;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a tenant's mail goes, parsed from the tenant's {@code delivery} string ({@link Envelope#deliveryTarget()}):
 * <ul>
 *   <li>{@code smtp://host[:port]} — SMTP (RFC 5321), port 25 when omitted;</li>
 *   <li>{@code lmtp://host[:port]} — LMTP (RFC 2033), port 24 when omitted;</li>
 *   <li>{@code maildir:PATH} — one Maildir per recipient under PATH ({@code PATH/<recipient>/{tmp,new,cur}}).
 *       A relative PATH is relative to the working directory of the Postern process (not to the data dir),
 *       resolved when a message is delivered.</li>
 *   <li>{@code mx:} ({@link Envelope#INTERNET}) — outbound mail: the recipients' MX hosts (not for tenants' {@code delivery}).</li>
 * </ul>
 * An IPv6 host is written in brackets: {@code smtp://[::1]:2525}. Tenant loading can call {@link #parse} to refuse
 * a bad target early; at delivery time a bad target fails the message with the reason.
 */
public sealed interface DeliveryTarget {

    /** The target of outbound mail: each recipient domain's MX (RFC 5321 §5.1), found at delivery time. */
    String INTERNET = Envelope.INTERNET;

    /** Outbound to the internet; see {@code MxDelivery}. */
    record Internet() implements DeliveryTarget {
        @Override public String toString() { return INTERNET; }
    }

    record Smtp(String host, int port) implements DeliveryTarget {
        public Smtp { checkHostPort(host, port); }
        @Override public String toString() { return "smtp://" + hostPort(host, port); }
    }

    record Lmtp(String host, int port) implements DeliveryTarget {
        public Lmtp { checkHostPort(host, port); }
        @Override public String toString() { return "lmtp://" + hostPort(host, port); }
    }

    record Maildir(Path root) implements DeliveryTarget {
        public Maildir { Objects.requireNonNull(root, "root"); }
        @Override public String toString() { return "maildir:" + root; }
    }

    /** @throws IllegalArgumentException naming what is wrong with the string */
    static DeliveryTarget parse(String target) {
        if (target == null || target.isBlank()) throw new IllegalArgumentException("delivery target is empty");
        String t = target.strip();
        String lower = t.toLowerCase(java.util.Locale.ROOT);
        if (lower.equals(INTERNET)) return new Internet();
        if (lower.startsWith("smtp://")) {
            HostPort hp = HostPort.parse(t.substring(7), 25, t);
            return new Smtp(hp.host(), hp.port());
        }
        if (lower.startsWith("lmtp://")) {
            HostPort hp = HostPort.parse(t.substring(7), 24, t);
            return new Lmtp(hp.host(), hp.port());
        }
        if (lower.startsWith("maildir:")) {
            String p = t.substring(8);
            if (p.isEmpty()) throw new IllegalArgumentException("'" + t + "': maildir needs a path, e.g. maildir:./data/mail/contoso");
            try {
                return new Maildir(Path.of(p));
            } catch (InvalidPathException e) {
                throw new IllegalArgumentException("'" + t + "': invalid maildir path: " + e.getMessage(), e);
            }
        }
        throw new IllegalArgumentException("'" + t + "': unknown delivery target; use smtp://host:port, lmtp://host:port or maildir:PATH");
    }

    private static void checkHostPort(String host, int port) {
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
    }

    private static String hostPort(String host, int port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
