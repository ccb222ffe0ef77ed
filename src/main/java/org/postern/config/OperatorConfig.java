package org.postern.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The operator's configuration file (INTERFACES §2). Every section is optional except what a node cannot run
 * without; defaults are the embedded ones ({@link #defaults()}). Unknown keys are a load error.
 */
public record OperatorConfig(
        Node node,
        Listeners listeners,
        Optional<Tls> tls,
        Store store,
        Optional<Redis> redis,
        Dns dns,
        List<Dnsbl> dnsbl,
        Limits limits,
        Malware malware,
        Optional<Content> content,
        Optional<Outbound> outbound,
        Operator operator,
        Delivery delivery,
        Smtp smtp,
        JsonNode tenants,
        @JsonProperty("dnsbl-threshold") int dnsblThreshold,
        Optional<Trace> trace) {

    /** {@code trace: { retention: 90d }}: how long message trace is kept (whole days dropped on PostgreSQL). */
    public record Trace(String retention) {
        public Trace {
            retention = retention == null ? "90d" : retention;
        }
    }

    /** The trace retention in force (the default when {@code trace} is absent). */
    public java.time.Duration traceRetention() {
        return Units.duration((trace == null ? Optional.<Trace>empty() : trace).orElse(new Trace(null)).retention());
    }

    /**
     * @param name this node among several (trace: which node received, which delivered); default: the machine's
     *             host name
     */
    public record Node(String hostname, @JsonProperty("data-dir") String dataDir, Optional<String> name) {
        public Node { name = name == null ? Optional.empty() : name.filter(n -> !n.isBlank()); }

        /** The node's name as the trace records it. */
        public String nodeName() { return name.orElseGet(Node::machineName); }

        private static String machineName() {
            try {
                return java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.net.UnknownHostException e) {
                String env = System.getenv("HOSTNAME");
                return env == null || env.isBlank() ? "localhost" : env;
            }
        }
    }

    /**
     * @param proxyProtocol  every connection starts with a PROXY protocol header (v1 or v2) naming the client, sent by
     *                       one of {@code trustedProxies} (CIDRs), in full within {@code proxyTimeout}
     */
    public record Listener(String address, int port,
                           @JsonProperty("proxy-protocol") Optional<Boolean> proxyProtocol,
                           @JsonProperty("trusted-proxies") List<String> trustedProxies,
                           @JsonProperty("proxy-timeout") Optional<String> proxyTimeout) {
        public Listener {
            proxyProtocol = proxyProtocol == null ? Optional.empty() : proxyProtocol;
            trustedProxies = trustedProxies == null ? List.of() : List.copyOf(trustedProxies);
            proxyTimeout = proxyTimeout == null ? Optional.empty() : proxyTimeout;
        }

        public Listener(String address, int port) {
            this(address, port, Optional.empty(), List.of(), Optional.empty());
        }

        /** Whether connections come through a load balancer speaking the PROXY protocol. */
        public boolean takesProxyProtocol() { return proxyProtocol.orElse(false); }

        /** How long a trusted proxy may take to send its header: 5 s unless set. */
        public String proxyHeaderTimeout() { return proxyTimeout.orElse("5s"); }
    }

    /**
     * @param submission  message submission with STARTTLS (RFC 6409, port 587 in production); AUTH only after TLS
     * @param submissions message submission over implicit TLS (RFC 8314 §3.3, port 465 in production)
     */
    public record Listeners(Listener smtp, Optional<Listener> submission, Optional<Listener> admin,
                            Optional<Listener> submissions) {
        public Listeners {
            submissions = submissions == null ? Optional.empty() : submissions;
        }
    }

    public record Tls(String certificate, @JsonProperty("private-key") String privateKey,
                      @JsonProperty("client-ca") Optional<String> clientCa) { }

    public record Store(String url) { }

    /**
     * Shared counters (issue 10). {@code prefix} starts every key, so several deployments can share one Redis;
     * {@code timeout} bounds each call (connect and read), after which the node counts alone for a while.
     */
    public record Redis(String url, String prefix, String timeout) {
        public Redis {
            prefix = prefix == null ? "postern:" : prefix;
            timeout = timeout == null ? "500ms" : timeout;
        }
    }

    public record Dns(List<String> servers, String timeout) { }

    /**
     * A DNS list: a positive weight for a blocklist, negative for an allowlist (DNSWL). With {@code return-codes},
     * each listed answer ("127.0.0.2") has its own weight and {@code weight} may be left out.
     */
    public record Dnsbl(String zone, Optional<Integer> weight, @JsonProperty("return-codes") Map<String, Integer> returnCodes) {
        public Dnsbl {
            weight = weight == null ? Optional.empty() : weight;
            returnCodes = returnCodes == null ? Map.of() : Map.copyOf(returnCodes);
        }
    }

    public record Limits(@JsonProperty("max-message-size") String maxMessageSize,
                         @JsonProperty("max-recipients") int maxRecipients,
                         @JsonProperty("connections-per-ip") int connectionsPerIp,
                         @JsonProperty("messages-per-ip-per-minute") int messagesPerIpPerMinute,
                         @JsonProperty("connections-per-network") int connectionsPerNetwork,
                         @JsonProperty("recipients-per-ip-per-minute") int recipientsPerIpPerMinute) { }

    /**
     * Malware scanning (INTERFACES §2). The built-in checks always run; {@code clamd} adds ClamAV when set
     * ({@code tcp://host:port} or {@code unix:///path}). Archive limits bound what the built-in walker expands.
     */
    public record Malware(Optional<String> clamd,
                          @JsonProperty("fail-open") boolean failOpen,
                          @JsonProperty("connect-timeout") String connectTimeout,
                          @JsonProperty("scan-timeout") String scanTimeout,
                          @JsonProperty("max-connections") int maxConnections,
                          @JsonProperty("stream-max-length") String streamMaxLength,
                          @JsonProperty("over-stream-max-length") String overStreamMaxLength,
                          Archives archives) {
        public Malware { clamd = clamd == null ? Optional.empty() : clamd.filter(s -> !s.isBlank()); }
    }

    /** How far the built-in checks open archives; past any limit the attachment is an archive bomb. */
    public record Archives(@JsonProperty("max-depth") int maxDepth,
                           @JsonProperty("max-entries") int maxEntries,
                           @JsonProperty("max-expanded-size") String maxExpandedSize,
                           @JsonProperty("max-ratio") int maxRatio,
                           @JsonProperty("max-decoder-memory") String maxDecoderMemory) { }

    /**
     * The content filter: the model file (absent: {@code <data-dir>/model.bin}, else the bundled model), and URI
     * blocklists (DBL-style zones asked for the registrable domains linked from the body, at most
     * {@code uribl-max-domains} per message).
     */
    public record Content(Optional<String> model, List<Uribl> uribl,
                          @JsonProperty("uribl-max-domains") Optional<Integer> uriblMaxDomains) {
        public static final int DEFAULT_URIBL_MAX_DOMAINS = 20;

        public Content {
            model = model == null ? Optional.empty() : model.filter(s -> !s.isBlank());
            uribl = uribl == null ? List.of() : List.copyOf(uribl);
            uriblMaxDomains = uriblMaxDomains == null ? Optional.empty() : uriblMaxDomains;
        }

        public int maxUriblDomains() {
            return uriblMaxDomains.orElse(DEFAULT_URIBL_MAX_DOMAINS);
        }
    }

    /** A URI blocklist zone (RFC 5782 §2.3 style, asked for domain names) and the SCL weight of a listing. */
    public record Uribl(String zone, Optional<Integer> weight) {
        public Uribl { weight = weight == null ? Optional.empty() : weight; }
    }

    public record Pool(@JsonProperty("source-address") String sourceAddress, String helo) { }

    /**
     * Delivery of tenants' outbound mail to the internet (README "Outbound: delivery and DKIM"): the EHLO name, the
     * MX port (tests), the high-risk pool, per-destination limits, trust anchors for verified TLS (default: the
     * JDK's), the HTTPS port MTA-STS policies are fetched from (tests), when a DSN "delayed" is sent, and whether
     * DANE is used ({@code dane: true} declares that {@code dns.servers} validate DNSSEC, so their AD bit counts).
     *
     * @param spam outbound mail with a spam verdict: {@code high-risk-pool} (default) sends it from that pool, {@code reject} refuses it
     */
    public record Outbound(String helo, @JsonProperty("mx-port") Optional<Integer> mxPort,
                           @JsonProperty("high-risk-pool") Optional<Pool> highRiskPool,
                           Optional<String> spam,
                           @JsonProperty("destination-concurrency") Optional<Integer> destinationConcurrency,
                           @JsonProperty("destination-rate") Optional<Double> destinationRate,
                           @JsonProperty("tls-trust") Optional<String> tlsTrust,
                           @JsonProperty("mta-sts-port") Optional<Integer> mtaStsPort,
                           @JsonProperty("dsn-delay") Optional<String> dsnDelay,
                           Optional<Boolean> dane,
                           @JsonProperty("auth-lockout") Optional<AuthLockout> authLockout) {
        public Outbound {
            authLockout = authLockout == null ? Optional.empty() : authLockout;
            dane = dane == null ? Optional.empty() : dane;
            mxPort = mxPort == null ? Optional.empty() : mxPort;
            highRiskPool = highRiskPool == null ? Optional.empty() : highRiskPool;
            spam = spam == null ? Optional.empty() : spam;
            destinationConcurrency = destinationConcurrency == null ? Optional.empty() : destinationConcurrency;
            destinationRate = destinationRate == null ? Optional.empty() : destinationRate;
            tlsTrust = tlsTrust == null ? Optional.empty() : tlsTrust;
            mtaStsPort = mtaStsPort == null ? Optional.empty() : mtaStsPort;
            dsnDelay = dsnDelay == null ? Optional.empty() : dsnDelay;
        }
    }

    /**
     * Submission's lockout after failed AUTH: a user name after {@code user-failures} (default 5), a client address
     * after {@code address-failures} (default 10) within {@code window} (default 15m).
     */
    public record AuthLockout(@JsonProperty("user-failures") Optional<Integer> userFailures,
                              @JsonProperty("address-failures") Optional<Integer> addressFailures,
                              Optional<String> window) {
        public AuthLockout {
            userFailures = userFailures == null ? Optional.empty() : userFailures;
            addressFailures = addressFailures == null ? Optional.empty() : addressFailures;
            window = window == null ? Optional.empty() : window;
        }
    }

    public record Operator(@JsonProperty("blocked-ips") List<String> blockedIps) { }

    /** Spool delivery: retry backoff and how long a message may wait before it fails. */
    public record Delivery(@JsonProperty("retry-initial") String retryInitial,
                           @JsonProperty("retry-max") String retryMax,
                           @JsonProperty("max-age") String maxAge,
                           @JsonProperty("connect-timeout") String connectTimeout,
                           @JsonProperty("read-timeout") String readTimeout,
                           int workers) { }

    /** RFC 5321 §4.5.3.2 timeouts and session limits. */
    public record Smtp(@JsonProperty("command-timeout") String commandTimeout,
                       @JsonProperty("data-initiation-timeout") String dataInitiationTimeout,
                       @JsonProperty("data-block-timeout") String dataBlockTimeout,
                       @JsonProperty("data-timeout") String dataTimeout,
                       @JsonProperty("max-errors") int maxErrors,
                       @JsonProperty("max-connections") int maxConnections,
                       @JsonProperty("greet-pause") String greetPause) { }

    /**
     * The classifier's model file: {@code content.model}, else {@code <data-dir>/model.bin}. The running gateway
     * follows it, and feedback (the admin API, {@code ./postern report --config}) rewrites it: one file for both.
     */
    public java.nio.file.Path modelFile() {
        return content().flatMap(Content::model).map(java.nio.file.Path::of)
                .orElse(java.nio.file.Path.of(node().dataDir()).resolve("model.bin"));
    }

    public static OperatorConfig defaults() {
        return ConfigLoader.defaults();
    }
}
