package org.postern.dns;

import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Cache;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Resolver on dnsjava: the configured servers ("host:port") or the system's, with a timeout and dnsjava's
 * TTL-honouring cache. The hosts file is not consulted and answers keep the server's order, so policy sees
 * exactly what DNS publishes.
 */
public final class DnsjavaResolver implements DnsResolver {

    private final Resolver resolver;
    static {
        // dnsjava adds a JVM shutdown hook on its first query; a first query during a drain (SIGTERM) would then
        // fail with "Shutdown in progress" and a message in flight would get a 451. Its selector thread is a
        // daemon, so no hook is needed for the JVM to exit.
        if (System.getProperty("dnsjava.nio.register_shutdown_hook") == null) {
            System.setProperty("dnsjava.nio.register_shutdown_hook", "false");
        }
    }

    private final Cache cache = new Cache(DClass.IN);

    public DnsjavaResolver(List<String> servers, Duration timeout) {
        try {
            if (servers.isEmpty()) {
                ExtendedResolver r = new ExtendedResolver();
                r.setTimeout(timeout);
                r.setRetries(1);
                this.resolver = r;
            } else {
                List<Resolver> list = new ArrayList<>();
                for (String s : servers) {
                    int colon = s.lastIndexOf(':');
                    String host = colon > 0 && !s.endsWith("]") ? s.substring(0, colon) : s;
                    int port = colon > 0 && !s.endsWith("]") ? Integer.parseInt(s.substring(colon + 1)) : 53;
                    SimpleResolver r = new SimpleResolver(new InetSocketAddress(InetAddress.getByName(host.replace("[", "").replace("]", "")), port));
                    r.setTimeout(timeout);
                    list.add(r);
                }
                ExtendedResolver r = new ExtendedResolver(list);
                r.setTimeout(timeout);
                r.setRetries(1);
                this.resolver = r;
            }
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("bad DNS server address: " + e.getMessage(), e);
        }
    }

    @Override
    public Answer<String> ptr(InetAddress address) {
        return lookup(ReverseMap.fromAddress(address), Type.PTR, r -> hostName(((PTRRecord) r).getTarget()));
    }

    @Override
    public Answer<InetAddress> addresses(String name) {
        Answer<InetAddress> v4 = a(name);
        Answer<InetAddress> v6 = aaaa(name);
        List<InetAddress> all = new ArrayList<>();
        if (v4 instanceof Answer.Found<InetAddress> f) all.addAll(f.values());
        if (v6 instanceof Answer.Found<InetAddress> f) all.addAll(f.values());
        if (!all.isEmpty()) return new Answer.Found<>(all);
        if (v4 instanceof Answer.TempFail<InetAddress> t) return t;
        if (v6 instanceof Answer.TempFail<InetAddress> t) return t;
        if (v4 instanceof Answer.NotFound<InetAddress> n4 && v6 instanceof Answer.NotFound<InetAddress> n6
                && n4.absence() == Absence.NO_SUCH_NAME && n6.absence() == Absence.NO_SUCH_NAME) {
            return n4;
        }
        return new Answer.NotFound<>(Absence.NO_DATA);
    }

    @Override
    public Answer<InetAddress> a(String name) {
        return lookup(name, Type.A, r -> ((ARecord) r).getAddress());
    }

    @Override
    public Answer<InetAddress> aaaa(String name) {
        return lookup(name, Type.AAAA, r -> ((AAAARecord) r).getAddress());
    }

    @Override
    public Answer<Mx> mx(String name) {
        return lookup(name, Type.MX, r -> new Mx(((MXRecord) r).getPriority(), hostName(((MXRecord) r).getTarget())));
    }

    /** The raw bytes of each character-string, not dnsjava's escaped presentation form. */
    @Override
    public Answer<String> txt(String name) {
        return lookup(name, Type.TXT, r -> {
            ByteArrayOutputStream joined = new ByteArrayOutputStream();
            for (byte[] s : ((TXTRecord) r).getStringsAsByteArrays()) joined.writeBytes(s);
            return joined.toString(StandardCharsets.UTF_8);
        });
    }

    private static String hostName(Name name) {
        return name.equals(Name.root) ? "" : name.toString(true);
    }

    private <T> Answer<T> lookup(String name, int type, Function<Record, T> map) {
        try {
            // a backslash is an escape in dnsjava's presentation format; a name given to us means it literally
            String escaped = name.replace("\\", "\\\\");
            return lookup(Name.fromString(escaped.endsWith(".") ? escaped : escaped + "."), type, map);
        } catch (TextParseException e) {
            // not expressible as a DNS name (empty or over-long label, over 255 octets): it cannot exist
            return new Answer.NotFound<>(Absence.NO_SUCH_NAME);
        }
    }

    private <T> Answer<T> lookup(Name name, int type, Function<Record, T> map) {
        Lookup lookup = new Lookup(name, type);
        lookup.setResolver(resolver);
        lookup.setCache(cache);
        lookup.setHostsFileParser(null);
        lookup.setCycleResults(false);
        Record[] records = lookup.run();
        return switch (lookup.getResult()) {
            case Lookup.SUCCESSFUL -> {
                List<T> values = new ArrayList<>();
                for (Record r : records) values.add(map.apply(r));
                yield new Answer.Found<>(values);
            }
            case Lookup.HOST_NOT_FOUND -> new Answer.NotFound<>(Absence.NO_SUCH_NAME);
            case Lookup.TYPE_NOT_FOUND -> new Answer.NotFound<>(Absence.NO_DATA);
            default -> new Answer.TempFail<>(lookup.getErrorString());
        };
    }
}
