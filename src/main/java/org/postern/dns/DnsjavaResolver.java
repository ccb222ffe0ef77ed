package org.postern.dns;

import org.xbill.DNS.ARecord;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.Cache;
import org.xbill.DNS.DClass;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Resolver on dnsjava: the configured servers ("host:port") or the system's, with a timeout and dnsjava's
 * TTL-honouring cache.
 */
public final class DnsjavaResolver implements DnsResolver {

    private final Resolver resolver;
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
        return lookup(ReverseMap.fromAddress(address), Type.PTR, r -> ((PTRRecord) r).getTarget().toString(true));
    }

    @Override
    public Answer<InetAddress> addresses(String name) {
        Answer<InetAddress> v4 = lookup(name, Type.A, r -> ((ARecord) r).getAddress());
        Answer<InetAddress> v6 = lookup(name, Type.AAAA, r -> ((AAAARecord) r).getAddress());
        List<InetAddress> all = new ArrayList<>();
        if (v4 instanceof Answer.Found<InetAddress> f) all.addAll(f.values());
        if (v6 instanceof Answer.Found<InetAddress> f) all.addAll(f.values());
        if (!all.isEmpty()) return new Answer.Found<>(all);
        if (v4 instanceof Answer.TempFail<InetAddress> t) return t;
        if (v6 instanceof Answer.TempFail<InetAddress> t) return t;
        return new Answer.NotFound<>();
    }

    @Override
    public Answer<String> txt(String name) {
        return lookup(name, Type.TXT, r -> String.join("", ((TXTRecord) r).getStrings()));
    }

    private <T> Answer<T> lookup(String name, int type, java.util.function.Function<Record, T> map) {
        try {
            return lookup(Name.fromString(name.endsWith(".") ? name : name + "."), type, map);
        } catch (TextParseException e) {
            return new Answer.NotFound<>();
        }
    }

    private <T> Answer<T> lookup(Name name, int type, java.util.function.Function<Record, T> map) {
        Lookup lookup = new Lookup(name, type);
        lookup.setResolver(resolver);
        lookup.setCache(cache);
        Record[] records = lookup.run();
        return switch (lookup.getResult()) {
            case Lookup.SUCCESSFUL -> {
                List<T> values = new ArrayList<>();
                for (Record r : records) values.add(map.apply(r));
                yield new Answer.Found<>(values);
            }
            case Lookup.HOST_NOT_FOUND, Lookup.TYPE_NOT_FOUND -> new Answer.NotFound<>();
            default -> new Answer.TempFail<>(lookup.getErrorString());
        };
    }
}
