package org.postern.config;

import com.google.common.net.InetAddresses;
import org.postern.policy.Cidr;

/** Checks values Jackson cannot: units, ranges, CIDRs. Fails with the key that is wrong. */
final class ConfigValidator {

    private ConfigValidator() { }

    static void validate(OperatorConfig c) {
        require(c.node() != null && c.node().hostname() != null && !c.node().hostname().isBlank(), "node.hostname is required");
        require(c.listeners() != null && c.listeners().smtp() != null, "listeners.smtp is required");
        port("listeners.smtp.port", c.listeners().smtp().port());
        proxy("listeners.smtp", c.listeners().smtp());
        c.listeners().admin().ifPresent(l -> require(!l.takesProxyProtocol() && l.trustedProxies().isEmpty(),
                "listeners.admin: proxy-protocol is for SMTP listeners only"));
        c.listeners().submission().ifPresent(l -> port("listeners.submission.port", l.port()));
        c.listeners().submission().ifPresent(l -> proxy("listeners.submission", l));
        c.listeners().submissions().ifPresent(l -> proxy("listeners.submissions", l));
        c.listeners().admin().ifPresent(l -> port("listeners.admin.port", l.port()));
        c.listeners().submissions().ifPresent(l -> port("listeners.submissions.port", l.port()));
        c.outbound().flatMap(OperatorConfig.Outbound::spam).ifPresent(v -> require(v.equals("high-risk-pool") || v.equals("reject"),
                "outbound.spam must be high-risk-pool or reject, not '" + v + "'"));
        c.outbound().flatMap(OperatorConfig.Outbound::authLockout).ifPresent(l -> {
            l.userFailures().ifPresent(n -> require(n >= 1 && n <= 1000, "outbound.auth-lockout.user-failures must be 1..1000, not " + n));
            l.addressFailures().ifPresent(n -> require(n >= 1 && n <= 100_000, "outbound.auth-lockout.address-failures must be 1..100000, not " + n));
            l.window().ifPresent(w -> {
                java.time.Duration window = Units.duration(w);
                require(window.compareTo(java.time.Duration.ofSeconds(1)) >= 0 && window.compareTo(java.time.Duration.ofDays(1)) <= 0,
                        "outbound.auth-lockout.window must be 1s..1d, not '" + w + "'");
            });
        });
        require(c.store() != null && c.store().url() != null && c.store().url().startsWith("jdbc:"),
                "store.url must be a JDBC URL (jdbc:h2:file:... or jdbc:postgresql://...)");
        c.redis().ifPresent(ConfigValidator::redis);
        c.trace().ifPresent(t -> require(Units.duration(t.retention()).compareTo(java.time.Duration.ofDays(1)) >= 0,
                "trace.retention must be at least 1d, not '" + t.retention() + "'"));
        Units.bytes(c.limits().maxMessageSize());
        require(c.limits().maxRecipients() > 0, "limits.max-recipients must be positive");
        require(c.limits().connectionsPerIp() > 0, "limits.connections-per-ip must be positive");
        require(c.limits().messagesPerIpPerMinute() > 0, "limits.messages-per-ip-per-minute must be positive");
        require(c.limits().connectionsPerNetwork() > 0, "limits.connections-per-network must be positive");
        require(c.limits().recipientsPerIpPerMinute() > 0, "limits.recipients-per-ip-per-minute must be positive");
        Units.duration(c.dns().timeout());
        dnsLists(c);
        uriBlocklists(c);
        for (String ip : c.operator().blockedIps()) {
            try {
                Cidr.parse(ip);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("operator.blocked-ips: " + e.getMessage());
            }
        }
        Units.duration(c.delivery().retryInitial());
        Units.duration(c.delivery().retryMax());
        Units.duration(c.delivery().maxAge());
        Units.duration(c.delivery().connectTimeout());
        Units.duration(c.delivery().readTimeout());
        require(c.delivery().workers() > 0, "delivery.workers must be positive");
        Units.duration(c.smtp().commandTimeout());
        Units.duration(c.smtp().dataTimeout());
        Units.duration(c.smtp().dataInitiationTimeout());
        Units.duration(c.smtp().dataBlockTimeout());
        require(c.smtp().maxErrors() > 0, "smtp.max-errors must be positive");
        require(c.smtp().maxConnections() > 0, "smtp.max-connections must be positive");
        require(Units.duration(c.smtp().greetPause()).compareTo(Units.duration(c.smtp().commandTimeout())) < 0,
                "smtp.greet-pause must be shorter than smtp.command-timeout");
        malware(c.malware());
    }

    private static void malware(OperatorConfig.Malware m) {
        require(m != null, "malware section missing");
        m.clamd().ifPresent(address -> require(address.matches("tcp://([^/:\\s]+|\\[[0-9a-fA-F:.]+]):\\d{1,5}|unix:///\\S+"),
                "malware.clamd '" + address + "' must be tcp://host:port or unix:///path"));
        Units.duration(m.connectTimeout());
        Units.duration(m.scanTimeout());
        require(m.maxConnections() > 0, "malware.max-connections must be positive");
        require(Units.bytes(m.streamMaxLength()) > 0, "malware.stream-max-length must be positive");
        require(m.overStreamMaxLength() != null && (m.overStreamMaxLength().equals("pass") || m.overStreamMaxLength().equals("unscannable")),
                "malware.over-stream-max-length must be pass or unscannable, not '" + m.overStreamMaxLength() + "'");
        OperatorConfig.Archives a = m.archives();
        require(a != null, "malware.archives missing");
        require(a.maxDepth() > 0, "malware.archives.max-depth must be positive");
        require(a.maxEntries() > 0, "malware.archives.max-entries must be positive");
        require(Units.bytes(a.maxExpandedSize()) > 0, "malware.archives.max-expanded-size must be positive");
        require(a.maxRatio() > 1, "malware.archives.max-ratio must be above 1");
        long memory = Units.bytes(a.maxDecoderMemory());
        require(memory >= 1024 * 1024 && memory <= Integer.MAX_VALUE, "malware.archives.max-decoder-memory must be between 1MB and 2GB");
    }

    private static void proxy(String key, OperatorConfig.Listener l) {
        for (String cidr : l.trustedProxies()) {
            try {
                Cidr.parse(cidr);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(key + ".trusted-proxies: " + e.getMessage());
            }
        }
        require(!l.takesProxyProtocol() || !l.trustedProxies().isEmpty(),
                key + ".proxy-protocol needs trusted-proxies: the load balancers' addresses (anyone else could claim any client address)");
        require(Units.duration(l.proxyHeaderTimeout()).toMillis() > 0, key + ".proxy-timeout must be positive");
    }

    private static void redis(OperatorConfig.Redis r) {
        require(r.url() != null && r.url().matches("rediss?://[^/\\s]+(/\\d+)?/?"),
                "redis.url must be redis://[user:password@]host:port[/db] (or rediss://), not '" + r.url() + "'");
        require(Units.duration(r.timeout()).toMillis() > 0, "redis.timeout must be positive");
    }

    private static void dnsLists(OperatorConfig c) {
        require(c.dnsblThreshold() > 0, "dnsbl-threshold must be positive");
        for (var list : c.dnsbl()) {
            String where = "dnsbl: zone '" + list.zone() + "'";
            require(list.zone() != null && list.zone().matches("(?i)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+"),
                    "dnsbl: every entry needs a zone (a DNS name), not '" + list.zone() + "'");
            require(list.weight().isPresent() || !list.returnCodes().isEmpty(), where + " needs a weight or return-codes");
            for (String code : list.returnCodes().keySet()) {
                require(code.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}") && InetAddresses.isInetAddress(code),
                        where + ": return code '" + code + "' must be an address in 127.0.0.0/8 (RFC 5782 §2.1)");
            }
        }
    }

    private static void uriBlocklists(OperatorConfig c) {
        if (c.content() == null || c.content().isEmpty()) return;
        OperatorConfig.Content content = c.content().get();
        int max = content.maxUriblDomains();
        require(max >= 1 && max <= 100, "content.uribl-max-domains must be 1..100, not " + max);
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (var list : content.uribl()) {
            require(list != null && list.zone() != null && list.zone().matches(DNS_NAME),
                    "content.uribl: every entry needs a zone (a DNS name), not '" + (list == null ? null : list.zone()) + "'");
            require(seen.add(list.zone().toLowerCase(java.util.Locale.ROOT)), "content.uribl: zone '" + list.zone() + "' is listed twice");
            require(list.weight().filter(w -> w >= 1 && w <= 10).isPresent(), "content.uribl: zone '" + list.zone()
                    + "' needs a weight of 1..10 (10: the full blocklist.uri weight), not " + list.weight().map(String::valueOf).orElse("none"));
        }
    }

    private static final String DNS_NAME = "(?i)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+";

    private static void port(String key, int port) {
        require(port >= 0 && port <= 65535, key + " must be a port number (0-65535)");
    }

    private static void require(boolean ok, String message) {
        if (!ok) throw new ConfigException(message);
    }
}
