package org.postern.outbound;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.postern.queue.DanePolicies;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.Type;

/**
 * DANE lookups (RFC 7672) against the configured DNS servers, trusting their AD bit: Postern does not validate
 * DNSSEC itself, so this is only sound when {@code dns.servers} is a validating resolver on a trusted path
 * (typically unbound or BIND on the same host), which is what {@code outbound.dane: true} declares — the same
 * trust Postfix places in its resolver with {@code smtp_dns_support_level = dnssec}. An answer without AD is
 * insecure: no DANE for that destination.
 */
public final class DaneLookups implements DanePolicies {

    private final List<SimpleResolver> servers = new ArrayList<>();

    public DaneLookups(List<String> dnsServers, Duration timeout) {
        if (dnsServers.isEmpty()) throw new IllegalArgumentException("outbound.dane needs dns.servers (a validating resolver)");
        for (String s : dnsServers) {
            int colon = s.lastIndexOf(':');
            String host = colon > 0 && !s.endsWith("]") ? s.substring(0, colon) : s;
            int port = colon > 0 && !s.endsWith("]") ? Integer.parseInt(s.substring(colon + 1)) : 53;
            try {
                SimpleResolver r = new SimpleResolver(new InetSocketAddress(InetAddress.getByName(host.replace("[", "").replace("]", "")), port));
                r.setTimeout(timeout);
                servers.add(r);
            } catch (IOException e) {
                throw new IllegalArgumentException("bad DNS server address " + s + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public Answer tlsaFor(String domain, String mxHost, int port) {
        Message mx;
        try {
            mx = ask(domain, Type.MX);
        } catch (IOException e) {
            return new Answer.None("MX lookup for DANE failed: " + e.getMessage());
        }
        // §2.2.1: DANE applies only to MX hosts obtained from a secure MX RRset (or a secure implicit MX).
        if (!mx.getHeader().getFlag(Flags.AD)) return new Answer.None("MX of " + domain + " is not DNSSEC-validated");
        String name = "_" + port + "._tcp." + mxHost;
        Message tlsa;
        try {
            tlsa = ask(name, Type.TLSA);
        } catch (IOException e) {
            return new Answer.TempFail("TLSA lookup " + name + " failed: " + e.getMessage());
        }
        int rcode = tlsa.getHeader().getRcode();
        if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) return new Answer.TempFail("TLSA lookup " + name + ": " + Rcode.string(rcode));
        if (!tlsa.getHeader().getFlag(Flags.AD)) return new Answer.None("TLSA of " + mxHost + " is not DNSSEC-validated");
        List<Tlsa> records = new ArrayList<>();
        for (Record r : tlsa.getSection(Section.ANSWER)) {
            if (r instanceof TLSARecord t) records.add(new Tlsa(t.getCertificateUsage(), t.getSelector(), t.getMatchingType(), t.getCertificateAssociationData()));
        }
        return records.isEmpty() ? new Answer.None("no TLSA record at " + name + " (securely)") : new Answer.Secure(records);
    }

    /** One query with DO and AD set, to the first server that answers. */
    private Message ask(String name, int type) throws IOException {
        Message query = Message.newQuery(Record.newRecord(Name.fromString(name.endsWith(".") ? name : name + "."), type, DClass.IN));
        query.getHeader().setFlag(Flags.AD);   // RFC 6840 §5.7: ask for the AD bit
        query.addRecord(new OPTRecord(1232, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);
        IOException last = null;
        for (SimpleResolver r : servers) {
            try {
                return r.send(query);
            } catch (IOException e) {
                last = e;
            }
        }
        throw last;
    }
}
