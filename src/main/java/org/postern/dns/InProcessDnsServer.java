package org.postern.dns;

import com.google.common.net.InetAddresses;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * An authoritative DNS server for tests and the demo, speaking the real wire protocol (dnsjava {@link Message}) on
 * {@code 127.0.0.1}, UDP and TCP on the same free port, so the product's own resolver code runs unchanged.
 *
 * <p>It is authoritative for every name: records are given programmatically ({@link #add(Record)},
 * {@link #addTxt}, {@link #addA}, {@link #addAAAA}, {@link #addMx}, {@link #addPtr}, {@link #addCname}); a name
 * that owns no record and has no descendant is NXDOMAIN, a name that exists without the asked type is
 * NOERROR with an empty answer (NODATA, RFC 2308), including empty non-terminals. CNAMEs are chased within
 * the served data (RFC 1034 §3.6.2, loops stop after 16 hops). {@link #timeout(String)} makes the server
 * silently drop queries for a name (UDP and TCP; {@link #timeout(String, int...)} for some types only, also when
 * a CNAME chain leads there), {@link #servfail(String)} answers SERVFAIL.
 *
 * <p>UDP answers larger than 512 bytes (or than the EDNS payload size the query advertises, RFC 6891 §6.2.5)
 * are sent as header and question only with the TC bit, so a client must retry over TCP (RFC 7766).
 * {@link #maxUdpPayload(int)} lowers that limit further to force truncation in tests.
 *
 * <p>Every query received is counted and kept ({@link #queryCount()}, {@link #queries()}), for lookup-limit
 * assertions. Loopback only; {@link #close()} stops both listeners. Names are case-insensitive.
 */
public final class InProcessDnsServer implements AutoCloseable {

    /** One query the server received: the question name as sent, its type, and whether it came over TCP. */
    public record Query(String name, int type, boolean tcp) {
        public String typeName() {
            return Type.string(type);
        }
    }

    public static final long DEFAULT_TTL = 300;
    private static final int MAX_CNAME_HOPS = 16;
    private static final int PLAIN_UDP_LIMIT = 512;

    private final Map<Name, List<Record>> zone = new ConcurrentHashMap<>();
    /** Names whose queries go unanswered: all types when the set is empty, else only those types. */
    private final Map<Name, Set<Integer>> timeouts = new ConcurrentHashMap<>();
    private final Set<Name> servfails = ConcurrentHashMap.newKeySet();
    private final List<Query> queries = new CopyOnWriteArrayList<>();
    private final AtomicInteger queryCount = new AtomicInteger();
    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final List<Socket> connections = new CopyOnWriteArrayList<>();
    private volatile int maxUdpPayload = 65535;
    private volatile boolean closed;

    private InProcessDnsServer(DatagramSocket udp, ServerSocket tcp) {
        this.udp = udp;
        this.tcp = tcp;
        Thread.ofPlatform().daemon().name("dns-udp-" + port()).start(this::serveUdp);
        Thread.ofPlatform().daemon().name("dns-tcp-" + port()).start(this::acceptTcp);
    }

    /** Starts a server on a free 127.0.0.1 port, listening on UDP and TCP. */
    public static InProcessDnsServer start() {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        IOException last = null;
        for (int attempt = 0; attempt < 20; attempt++) {
            DatagramSocket udp = null;
            try {
                udp = new DatagramSocket(new InetSocketAddress(loopback, 0));
                ServerSocket tcp = new ServerSocket();
                try {
                    tcp.setReuseAddress(true);
                    tcp.bind(new InetSocketAddress(loopback, udp.getLocalPort()), 50);
                } catch (IOException busy) {
                    tcp.close();
                    throw busy;
                }
                return new InProcessDnsServer(udp, tcp);
            } catch (IOException e) {
                last = e;
                if (udp != null) udp.close();
            }
        }
        throw new UncheckedIOException("no free loopback port for UDP and TCP", last);
    }

    /**
     * Answers for names at or under {@code zone} carry the AD bit, as a DNSSEC-validating resolver's do when
     * the chain of trust held (for DANE tests); {@link #insecure} exempts names below it.
     */
    public InProcessDnsServer dnssecSigned(String zone) {
        secureZones.add(name(zone));
        return this;
    }

    /** Names at or under {@code zone} are answered without AD (an unsigned delegation below a signed zone). */
    public InProcessDnsServer insecure(String zone) {
        insecureZones.add(name(zone));
        return this;
    }

    private boolean validated(Name n) {
        boolean insecure = insecureZones.stream().anyMatch(z -> n.subdomain(z));
        return !insecure && secureZones.stream().anyMatch(z -> n.subdomain(z));
    }

    private final Set<Name> secureZones = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Set<Name> insecureZones = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public int port() {
        return udp.getLocalPort();
    }

    /** {@code "127.0.0.1:<port>"}, the form {@code DnsjavaResolver} takes. */
    public String address() {
        return "127.0.0.1:" + port();
    }

    // ---- zone data -------------------------------------------------------------------------------------

    public InProcessDnsServer add(Record record) {
        zone.computeIfAbsent(record.getName(), n -> new CopyOnWriteArrayList<>()).add(record);
        return this;
    }

    /**
     * One TXT record made of the given character-strings (UTF-8), which a reader concatenates with no
     * separator; strings longer than 255 bytes are split. Call again for a second record at the same name.
     * No strings at all gives a TXT record with an empty RDATA.
     */
    public InProcessDnsServer addTxt(String name, String... strings) {
        List<byte[]> bytes = new ArrayList<>();
        for (String s : strings) bytes.add(s.getBytes(StandardCharsets.UTF_8));
        return addRawText(name, Type.TXT, bytes);
    }

    /** Like {@link #addTxt} with the exact bytes of each character-string (e.g. non-ASCII test data). */
    public InProcessDnsServer addTxtBytes(String name, List<byte[]> strings) {
        return addRawText(name, Type.TXT, strings);
    }

    /** A record of type SPF (99), whose use RFC 7208 §3.1 removed; for checking that it is never queried. */
    public InProcessDnsServer addSpfType(String name, List<byte[]> strings) {
        return addRawText(name, Type.SPF, strings);
    }

    public InProcessDnsServer addA(String name, String... ipv4) {
        for (String ip : ipv4) add(new ARecord(name(name), DClass.IN, DEFAULT_TTL, InetAddresses.forString(ip)));
        return this;
    }

    public InProcessDnsServer addAAAA(String name, String... ipv6) {
        for (String ip : ipv6) {
            add(new AAAARecord(name(name), DClass.IN, DEFAULT_TTL, ipv6Address(ip)));
        }
        return this;
    }

    public InProcessDnsServer addMx(String name, int preference, String host) {
        return add(new MXRecord(name(name), DClass.IN, DEFAULT_TTL, preference, name(host)));
    }

    /**
     * A PTR record. {@code owner} is either an IP address literal (turned into its {@code in-addr.arpa} /
     * {@code ip6.arpa} name) or the reverse name itself.
     */
    public InProcessDnsServer addPtr(String owner, String target) {
        Name ownerName = InetAddresses.isInetAddress(owner)
                ? ReverseMap.fromAddress(InetAddresses.forString(owner))
                : name(owner);
        return add(new PTRRecord(ownerName, DClass.IN, DEFAULT_TTL, name(target)));
    }

    public InProcessDnsServer addCname(String name, String target) {
        return add(new CNAMERecord(name(name), DClass.IN, DEFAULT_TTL, name(target)));
    }

    /** Queries for exactly this name (any type, UDP or TCP) are never answered. */
    public InProcessDnsServer timeout(String name) {
        timeouts.put(name(name), Set.of());
        return this;
    }

    /** Queries for exactly this name and one of these types (e.g. {@code Type.TXT}) are never answered. */
    public InProcessDnsServer timeout(String name, int... types) {
        if (types.length == 0) return timeout(name);
        Set<Integer> set = new java.util.HashSet<>();
        for (int t : types) set.add(t);
        timeouts.merge(name(name), Set.copyOf(set), (old, add) -> {
            if (old.isEmpty()) return old;
            Set<Integer> both = new java.util.HashSet<>(old);
            both.addAll(add);
            return Set.copyOf(both);
        });
        return this;
    }

    /** Queries for exactly this name (any type) are answered SERVFAIL. */
    public InProcessDnsServer servfail(String name) {
        servfails.add(name(name));
        return this;
    }

    /** Lowers the largest UDP answer sent (still at most 512 without EDNS); larger ones are truncated. */
    public InProcessDnsServer maxUdpPayload(int bytes) {
        this.maxUdpPayload = bytes;
        return this;
    }

    // ---- observation -----------------------------------------------------------------------------------

    /** Number of queries received so far, over both transports, including dropped (timed-out) ones. */
    public int queryCount() {
        return queryCount.get();
    }

    /** Queries received so far, in arrival order. */
    public List<Query> queries() {
        return List.copyOf(queries);
    }

    /** Number of queries received for a name (case-insensitive, trailing dot optional) and type. */
    public long queryCount(String name, int type) {
        Name n = name(name);
        return queries.stream().filter(q -> q.type() == type && name(q.name()).equals(n)).count();
    }

    public void resetQueries() {
        queries.clear();
        queryCount.set(0);
    }

    @Override
    public void close() {
        closed = true;
        udp.close();
        try {
            tcp.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket s : connections) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    // ---- transports ------------------------------------------------------------------------------------

    private void serveUdp() {
        byte[] buffer = new byte[65535];
        while (!closed) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                udp.receive(packet);
            } catch (IOException e) {
                if (closed) return;
                continue;
            }
            byte[] query = java.util.Arrays.copyOf(packet.getData(), packet.getLength());
            byte[] answer = answer(query, false);
            if (answer == null) continue;
            try {
                udp.send(new DatagramPacket(answer, answer.length, packet.getSocketAddress()));
            } catch (IOException e) {
                if (closed) return;
            }
        }
    }

    private void acceptTcp() {
        while (!closed) {
            try {
                Socket socket = tcp.accept();
                connections.add(socket);
                Thread.ofVirtual().name("dns-tcp-conn").start(() -> serveTcp(socket));
            } catch (IOException e) {
                if (closed) return;
            }
        }
    }

    /** RFC 1035 §4.2.2 / RFC 7766: two-byte length prefix, several queries per connection. */
    private void serveTcp(Socket socket) {
        try (socket;
             DataInputStream in = new DataInputStream(socket.getInputStream());
             DataOutputStream out = new DataOutputStream(socket.getOutputStream())) {
            while (!closed) {
                int length;
                try {
                    length = in.readUnsignedShort();
                } catch (EOFException | SocketException eof) {
                    return;
                }
                byte[] query = in.readNBytes(length);
                if (query.length < length) return;
                byte[] answer = answer(query, true);
                if (answer == null) continue;
                synchronized (out) {
                    out.writeShort(answer.length);
                    out.write(answer);
                    out.flush();
                }
            }
        } catch (IOException ignored) {
            // client went away
        } finally {
            connections.remove(socket);
        }
    }

    // ---- answering -------------------------------------------------------------------------------------

    /** The wire answer, or null to stay silent (timeout names, unparseable packets). */
    private byte[] answer(byte[] wire, boolean overTcp) {
        Message query;
        try {
            query = new Message(wire);
        } catch (IOException e) {
            return null;
        }
        Record question = query.getQuestion();
        queryCount.incrementAndGet();
        if (question != null) queries.add(new Query(question.getName().toString(), question.getType(), overTcp));

        Message response = new Message(query.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        if (query.getHeader().getFlag(Flags.RD)) response.getHeader().setFlag(Flags.RD);
        response.getHeader().setOpcode(query.getHeader().getOpcode());
        OPTRecord queryOpt = query.getOPT();
        if (question == null || query.getHeader().getOpcode() != Opcode.QUERY) {
            response.getHeader().setRcode(question == null ? Rcode.FORMERR : Rcode.NOTIMP);
            return response.toWire();
        }
        response.addRecord(question, Section.QUESTION);
        if (queryOpt != null) response.addRecord(new OPTRecord(4096, 0, 0), Section.ADDITIONAL);
        response.getHeader().setFlag(Flags.AA);
        if (!resolve(question.getName(), question.getType(), response)) return null;
        // As a validating resolver would: AD on answers (and denials) it could validate (RFC 4035 §3.2.3).
        if (validated(question.getName()) && response.getHeader().getRcode() != Rcode.SERVFAIL) response.getHeader().setFlag(Flags.AD);

        byte[] full = response.toWire();
        if (overTcp) return full;
        int limit = Math.min(maxUdpPayload,
                queryOpt == null ? PLAIN_UDP_LIMIT : Math.max(PLAIN_UDP_LIMIT, queryOpt.getPayloadSize()));
        if (full.length <= limit) return full;
        Message truncated = new Message(query.getHeader().getID());
        truncated.getHeader().setFlag(Flags.QR);
        truncated.getHeader().setFlag(Flags.AA);
        truncated.getHeader().setFlag(Flags.TC);
        if (query.getHeader().getFlag(Flags.RD)) truncated.getHeader().setFlag(Flags.RD);
        truncated.getHeader().setRcode(response.getHeader().getRcode());
        truncated.addRecord(question, Section.QUESTION);
        if (queryOpt != null) truncated.addRecord(new OPTRecord(4096, 0, 0), Section.ADDITIONAL);
        return truncated.toWire();
    }

    /** Fills the answer; false when the query must go unanswered (a CNAME chain into a timeout name). */
    private boolean resolve(Name asked, int type, Message response) {
        Name current = asked;
        for (int hop = 0; hop <= MAX_CNAME_HOPS; hop++) {
            if (timesOut(current, type)) return false;
            if (servfails.contains(current)) {
                response.getHeader().setRcode(Rcode.SERVFAIL);
                return true;
            }
            List<Record> owned = zone.getOrDefault(current, List.of());
            List<Record> matching = owned.stream()
                    .filter(r -> type == Type.ANY || r.getType() == type)
                    .toList();
            if (!matching.isEmpty()) {
                matching.forEach(r -> response.addRecord(r, Section.ANSWER));
                return true;
            }
            Record cname = owned.stream().filter(r -> r.getType() == Type.CNAME).findFirst().orElse(null);
            if (cname == null) {
                if (!exists(current)) response.getHeader().setRcode(Rcode.NXDOMAIN);
                return true;
            }
            if (response.findRecord(cname, Section.ANSWER)) return true; // CNAME loop: answer what we have
            response.addRecord(cname, Section.ANSWER);
            current = ((CNAMERecord) cname).getTarget();
        }
        return true;
    }

    private boolean timesOut(Name name, int type) {
        Set<Integer> types = timeouts.get(name);
        return types != null && (types.isEmpty() || types.contains(type));
    }

    /** A name exists if it owns records or is an empty non-terminal above names that do (RFC 8020). */
    private boolean exists(Name name) {
        if (zone.containsKey(name)) return true;
        for (Name owner : zone.keySet()) {
            if (owner.subdomain(name)) return true;
        }
        return false;
    }

    private InProcessDnsServer addRawText(String name, int type, List<byte[]> strings) {
        java.io.ByteArrayOutputStream rdata = new java.io.ByteArrayOutputStream();
        for (byte[] s : strings) {
            int offset = 0;
            do {
                int chunk = Math.min(255, s.length - offset);
                rdata.write(chunk);
                rdata.write(s, offset, chunk);
                offset += chunk;
            } while (offset < s.length);
        }
        return add(Record.newRecord(name(name), type, DClass.IN, DEFAULT_TTL, rdata.toByteArray()));
    }

    private static InetAddress ipv6Address(String ip) {
        InetAddress parsed = InetAddresses.forString(ip);
        if (parsed instanceof java.net.Inet6Address) return parsed;
        // an IPv4-mapped literal (::ffff:1.2.3.4) parses to Inet4Address in Java; keep it as 16 bytes
        byte[] v4 = parsed.getAddress();
        byte[] v6 = new byte[16];
        v6[10] = (byte) 0xff;
        v6[11] = (byte) 0xff;
        System.arraycopy(v4, 0, v6, 12, 4);
        try {
            return java.net.Inet6Address.getByAddress(null, v6, -1);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(ip, e);
        }
    }

    private static Name name(String name) {
        try {
            return Name.fromString(name.endsWith(".") ? name : name + ".");
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a DNS name: " + name, e);
        }
    }
}
