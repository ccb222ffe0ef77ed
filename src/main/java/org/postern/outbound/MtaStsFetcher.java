package org.postern.outbound;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.postern.dns.DnsResolver;
import org.postern.dns.DnsResolver.Answer;
import org.postern.queue.MtaStsPolicies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MTA-STS (RFC 8461) policy discovery: the {@code _mta-sts.DOMAIN} TXT record ({@code v=STSv1; id=...}) through
 * the injected resolver, then the policy from {@code https://mta-sts.DOMAIN/.well-known/mta-sts.txt}, its server
 * found through the same resolver and its certificate checked against {@code trust} and the name (§3.3). The
 * port is configurable ({@code outbound.mta-sts-port}) so tests serve the policy from a local HTTPS server.
 *
 * <p>Policies are cached for their {@code max_age}; the TXT record is asked again at most every five minutes
 * and a changed {@code id} refetches the policy (§5.1). A domain without a record is asked again after five
 * minutes too (a new policy takes effect that much later). When a fetch fails, a cached policy still in its max_age
 * stays in force (§5.1: an attacker who blocks the fetch must not disable it); with none, there is no policy.
 */
public final class MtaStsFetcher implements MtaStsPolicies {

    private static final Logger log = LoggerFactory.getLogger(MtaStsFetcher.class);
    private static final Duration TXT_RECHECK = Duration.ofMinutes(5);
    private static final int MAX_POLICY = 64 * 1024;   // RFC 8461 §3.2: senders may limit the body; 64 KiB is plenty
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final DnsResolver dns;
    private final SSLContext trust;
    private final int port;
    private final Clock clock;
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Instant> noPolicy = new ConcurrentHashMap<>();

    private record Cached(String id, Policy policy, Instant fetched, Instant txtChecked) {
        boolean valid(Instant now) {
            return now.isBefore(fetched.plusSeconds(policy.maxAgeSeconds()));
        }
    }

    public MtaStsFetcher(DnsResolver dns, SSLContext trust, int port, Clock clock) {
        this.dns = dns;
        this.trust = trust;
        this.port = port;
        this.clock = clock;
    }

    @Override
    public Optional<Policy> policyFor(String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        Instant now = clock.instant();
        Cached cached = cache.get(d);
        if (cached != null && cached.valid(now) && now.isBefore(cached.txtChecked().plus(TXT_RECHECK))) return Optional.of(cached.policy());
        Instant noneUntil = noPolicy.get(d);
        if (cached == null && noneUntil != null && now.isBefore(noneUntil)) return Optional.empty();
        Optional<String> id = txtId(d);
        if (id.isEmpty()) {
            // Most domains publish no policy: remember that for a while instead of asking DNS for every message.
            if (cached == null) noPolicy.put(d, now.plus(TXT_RECHECK));
            // No record (or DNS failed): a cached policy still within max_age stays in force (RFC 8461 §5.1).
            return cached != null && cached.valid(now) ? Optional.of(cached.policy()) : Optional.empty();
        }
        if (cached != null && cached.valid(now) && cached.id().equals(id.get())) {
            cache.put(d, new Cached(cached.id(), cached.policy(), cached.fetched(), now));
            return Optional.of(cached.policy());
        }
        noPolicy.remove(d);
        try {
            Policy p = parse(fetch(d));
            cache.put(d, new Cached(id.get(), p, now, now));
            return Optional.of(p);
        } catch (IOException | IllegalArgumentException e) {
            log.warn("MTA-STS policy of {} could not be fetched: {}", d, e.toString());
            return cached != null && cached.valid(now) ? Optional.of(cached.policy()) : Optional.empty();
        }
    }

    /** The policy id of the {@code _mta-sts} TXT record; empty without exactly one valid STSv1 record. */
    private Optional<String> txtId(String domain) {
        if (!(dns.txt("_mta-sts." + domain) instanceof Answer.Found<String> found)) return Optional.empty();
        List<String> sts = found.values().stream().filter(v -> v.startsWith("v=STSv1")).toList();
        if (sts.size() != 1) return Optional.empty();   // §3.1: more than one record, or none: no policy
        for (String part : sts.getFirst().split(";")) {
            String p = part.strip();
            if (p.startsWith("id=")) return Optional.of(p.substring(3).strip());
        }
        return Optional.empty();
    }

    /** HTTP/1.0 GET (no chunked encoding, the server closes), no redirects (§3.3). */
    private String fetch(String domain) throws IOException {
        String host = "mta-sts." + domain;
        if (!(dns.addresses(host) instanceof Answer.Found<InetAddress> addresses)) throw new IOException("no address for " + host);
        IOException last = null;
        for (InetAddress address : addresses.values()) {
            try (Socket plain = new Socket()) {
                plain.connect(new InetSocketAddress(address, port), (int) TIMEOUT.toMillis());
                plain.setSoTimeout((int) TIMEOUT.toMillis());
                SSLSocket tls = (SSLSocket) trust.getSocketFactory().createSocket(plain, host, port, true);
                SSLParameters params = tls.getSSLParameters();
                params.setServerNames(List.of(new SNIHostName(host)));
                params.setEndpointIdentificationAlgorithm("HTTPS");   // the certificate must name mta-sts.DOMAIN
                tls.setSSLParameters(params);
                tls.startHandshake();
                OutputStream out = tls.getOutputStream();
                out.write(("GET /.well-known/mta-sts.txt HTTP/1.0\r\nHost: " + host + "\r\nUser-Agent: Postern\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                return body(tls.getInputStream());
            } catch (IOException e) {
                last = e;
            }
        }
        throw last;
    }

    private static String body(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        int n;
        while ((n = in.read(chunk)) > 0) {
            buf.write(chunk, 0, n);
            if (buf.size() > MAX_POLICY + 8192) throw new IOException("policy larger than " + MAX_POLICY + " bytes");
        }
        String response = buf.toString(StandardCharsets.UTF_8);
        int headEnd = response.indexOf("\r\n\r\n");
        if (headEnd < 0) throw new IOException("malformed HTTP response");
        String status = response.substring(0, response.indexOf("\r\n"));
        if (!status.matches("HTTP/1\\.[01] 200( .*)?")) throw new IOException("policy fetch answered " + status + " (only 200 counts, §3.3)");
        String head = response.substring(0, headEnd).toLowerCase(Locale.ROOT);
        if (!head.contains("\r\ncontent-type: text/plain")) throw new IOException("policy is not text/plain (§3.2)");
        return response.substring(headEnd + 4);
    }

    /** RFC 8461 §3.2: key: value lines; version STSv1, mode, one or more mx, max_age. */
    static Policy parse(String text) {
        String version = null;
        Mode mode = null;
        long maxAge = -1;
        List<String> mx = new ArrayList<>();
        for (String line : text.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) continue;
            String key = line.substring(0, colon).strip();
            String value = line.substring(colon + 1).strip();
            switch (key) {
                case "version" -> version = value;
                case "mode" -> mode = switch (value) {
                    case "enforce" -> Mode.ENFORCE;
                    case "testing" -> Mode.TESTING;
                    case "none" -> Mode.NONE;
                    default -> throw new IllegalArgumentException("unknown mode " + value);
                };
                case "max_age" -> maxAge = Long.parseLong(value);
                case "mx" -> mx.add(value);
                default -> { } // §3.2: unknown fields are ignored
            }
        }
        if (!"STSv1".equals(version)) throw new IllegalArgumentException("policy version is not STSv1");
        if (mode == null || maxAge < 0) throw new IllegalArgumentException("policy lacks mode or max_age");
        if (mode != Mode.NONE && mx.isEmpty()) throw new IllegalArgumentException("policy names no mx");
        return new Policy(mode, mx, Math.min(maxAge, 31_557_600));
    }
}
