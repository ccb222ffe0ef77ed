package org.postern.edge;

import org.postern.config.OperatorConfig;
import org.postern.config.Units;
import org.postern.auth.SenderAuthenticator;
import org.postern.dns.DnsjavaResolver;
import org.postern.malware.MalwareScanner;
import org.postern.quarantine.FileQuarantine;
import org.postern.quarantine.QuarantineKeeper;
import org.postern.policy.PolicyPipeline;
import org.postern.policy.StandardPipeline;
import org.postern.policy.TenantTrusts;
import org.postern.queue.DeliveryListener;
import org.postern.queue.DeliveryScheduler;
import org.postern.queue.DeliverySettings;
import org.postern.queue.FileSpool;
import org.postern.queue.RetryPolicy;
import org.postern.smtp.ServerTls;
import org.postern.smtp.SmtpServer;
import org.postern.smtp.SmtpSettings;
import org.postern.smtp.TlsContextFactory;
import org.postern.smtp.TlsSettings;
import org.postern.tenant.TenantDirectory;
import org.postern.tenant.TenantDocument;
import org.postern.trace.DeliveryEvent;
import org.postern.trace.TraceRecord;
import org.postern.trace.TraceStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * One running node: store, tenants, spool and delivery, and the SMTP listener, started in that order
 * (nothing is accepted before the spool has resumed) and closed in reverse (the listener drains first).
 */
public final class Gateway implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Gateway.class);

    private final OperatorConfig config;
    private final NodeServices services;
    private final FileSpool spool;
    private final SmtpServer smtp;
    private final TenantDirectory tenants;
    private final QuarantineKeeper quarantineKeeper;
    private final DmarcResultRecorder dmarcResults;
    private final MalwareScanner malware;
    private org.postern.admin.AdminServer admin;
    private java.util.List<SmtpServer> submissionServers = java.util.List.of();
    private NodeMetrics metrics;
    private NodeCounters counters;
    private boolean closed;

    private Gateway(OperatorConfig config, NodeServices services, FileSpool spool, SmtpServer smtp, TenantDirectory tenants, MalwareScanner malware,
                    QuarantineKeeper quarantineKeeper, DmarcResultRecorder dmarcResults) {
        this.quarantineKeeper = quarantineKeeper;
        this.malware = malware;
        this.dmarcResults = dmarcResults;
        this.config = config;
        this.services = services;
        this.spool = spool;
        this.smtp = smtp;
        this.tenants = tenants;
    }

    public static Gateway start(OperatorConfig config) {
        return start(config, Clock.systemUTC());
    }

    public static Gateway start(OperatorConfig config, Clock clock) {
        String hostname = config.node().hostname();
        NodeServices services = NodeServices.open(config);
        FileSpool spool = null;
        MalwareScanner malware = null;
        NodeMetrics metrics = new NodeMetrics();
        org.postern.admin.AdminServer admin = null;
        java.util.List<SmtpServer> submissionServers = java.util.List.of();
        NodeCounters nodeCounters = null;
        try {
            TraceStore trace = services.trace();
            TenantDirectory tenants = new TenantDirectory(services.catalog(), clock, Duration.ofSeconds(1));
            services.watchConfiguration(tenants::refresh); // issue 10: other nodes' changes within a second
            services.keepTraceRetention(config, clock);
            var d = config.delivery();
            DeliverySettings delivery = DeliverySettings.defaults(hostname)
                    .withRetry(new RetryPolicy(Units.duration(d.retryInitial()), Units.duration(d.retryMax()), Units.duration(d.maxAge())))
                    .withWorkers(d.workers())
                    .withTimeouts(Units.duration(d.connectTimeout()), Units.duration(d.readTimeout()))
                    .withNode(config.node().nodeName());
            // One resolver for the node: MX lookups of delivery share its cache and the DNS latency metric.
            var dns = metrics.timed(new DnsjavaResolver(config.dns().servers(), Units.duration(config.dns().timeout())));
            var outbound = org.postern.outbound.OutboundWiring.settings(config, dns, services.dataSource(), tenants, clock);
            DeliveryScheduler scheduler = DeliveryScheduler.start(delivery, Optional.of(outbound), tracing(trace), clock);
            spool = FileSpool.open(Path.of(config.node().dataDir()), scheduler);

            nodeCounters = NodeCounters.open(config, clock);
            var counters = nodeCounters.clients();
            TenantTrusts trusts = new TenantTrusts();
            PolicyPipeline pipeline = StandardPipeline.build(NodeServices.pipelineSettings(config), counters, trusts, clock);
            var quarantine = services.quarantine(config, config.node().nodeName(), clock);
            var authenticator = new SenderAuthenticator(dns, clock);
            EdgeContext ctx = new EdgeContext(hostname, config.node().nodeName(), pipeline, tenants, spool, metrics.metered(trace), counters, dns,
                    clock, new References(clock), new ReplyCatalogue(hostname), authenticator, quarantine,
                    new DmarcResultRecorder(services.dmarcResults(), Duration.ofMillis(500)),
                    EndOfData.of(config, authenticator, malware = MalwareScanner.fromConfig(config), dns, clock),
                    NodeServices.dnsLists(config, dns), trusts);

            Optional<ServerTls> tls = Optional.of(TlsContextFactory.create(tlsSettings(config), hostname));
            Submission submission = submission(config, services, counters, nodeCounters.counters(), tenants, spool, ctx.references(), clock);
            var listener = config.listeners().smtp();
            SmtpServer smtp = new SmtpServer(new InetSocketAddress(listener.address(), listener.port()), "smtp",
                    smtpSettings(config), () -> metrics.metered(new InboundSession(ctx, submission)), () -> tls);
            submissionServers = submissionListeners(config, () -> metrics.metered(new InboundSession(ctx, submission)), tls);
            if (listener.takesProxyProtocol()) smtp.withProxyProtocol(proxySettings(listener));
            // The admin listener first: once SMTP accepts mail the node is fully up (and `serve` handles SIGTERM).
            admin = startAdmin(config, services, spool, smtp, org.postern.admin.QuarantineAccess.of(quarantine), metrics, clock);
            for (SmtpServer server : submissionServers) server.start();
            smtp.start();
            metrics.gauge("postern_sessions_open", "SMTP sessions open now", smtp, SmtpServer::openConnections);
            metrics.gauge("postern_sessions_accepted", "SMTP connections accepted since start", smtp, SmtpServer::acceptedConnections);
            metrics.gauge("postern_queue_depth", "messages in the spool awaiting delivery", spool, FileSpool::depth);
            if (config.redis().isPresent()) metrics.gauge("postern_shared_counters_fallback",
                    "1 while Redis does not answer and this node counts its limits alone", nodeCounters, NodeCounters::fallbackGauge);
            log.info("Postern {} ready: SMTP {}:{}, store {}, data {}", hostname, listener.address(), smtp.port(),
                    config.store().url().replaceAll("password=[^&;]*", "password=***"), config.node().dataDir());
            Gateway gateway = new Gateway(config, services, spool, smtp, tenants, malware,
                    QuarantineKeeper.start(quarantine, spool, trace,
                            tenant -> QuarantineKeeper.retention(tenants.byId(tenant).flatMap(t -> t.document().quarantine())
                                    .map(TenantDocument.Quarantine::retention)), clock, Duration.ofSeconds(1)), ctx.dmarcResults());
            gateway.metrics = metrics;
            gateway.submissionServers = submissionServers;
            gateway.counters = nodeCounters;
            gateway.admin = admin;
            return gateway;
        } catch (org.postern.smtp.TlsConfigurationException | IOException | RuntimeException e) {
            submissionServers.forEach(SmtpServer::close);
            if (admin != null) admin.close();
            if (nodeCounters != null) nodeCounters.close();
            metrics.close();
            if (spool != null) spool.close();
            if (malware != null) malware.close();
            services.close();
            throw switch (e) {
                case org.postern.smtp.TlsConfigurationException tls -> new org.postern.config.ConfigException("tls: " + tls.getMessage(), tls);
                case IOException io -> new UncheckedIOException("cannot start: " + io.getMessage(), io);
                case RuntimeException r -> r;
                default -> new IllegalStateException(e);
            };
        }
    }

    /** Submission (issue 9): AUTH with lockout, the outbound questions, restrictions kept in the store. */
    private static Submission submission(OperatorConfig config, NodeServices services,
                                         org.postern.policy.ClientCounters counters, org.postern.counters.Counters budgets,
                                         TenantDirectory tenants, FileSpool spool, References references, Clock clock) {
        var spam = NodeServices.outboundSpam(config);
        var restrictions = services.restrictions();
        // The node's budgets: shared by every node when redis: is configured, so a user's limit holds across nodes.
        org.postern.policy.OutboundCounters outboundCounters = (key, limit, window) -> budgets.tryTake("outbound:" + key, limit, window);
        PolicyPipeline outbound = StandardPipeline.outbound(NodeServices.pipelineSettings(config), counters, outboundCounters, restrictions, spam);
        return new Submission(services.accounts(), restrictions, new AuthLockout(AuthLockout.Settings.of(config), budgets), outbound,
                outboundCounters, tenants, spool, references, config.node().hostname(), clock);
    }

    /** listeners.submission (STARTTLS) and listeners.submissions (implicit TLS), when configured; not started yet. */
    private static java.util.List<SmtpServer> submissionListeners(OperatorConfig config, org.postern.smtp.SessionHandlerFactory handlers,
                                                                  Optional<ServerTls> tls) {
        java.util.List<SmtpServer> servers = new java.util.ArrayList<>();
        config.listeners().submission().ifPresent(l -> servers.add(new SmtpServer(new InetSocketAddress(l.address(), l.port()),
                "submission", smtpSettings(config), handlers, () -> tls)));
        config.listeners().submissions().ifPresent(l -> servers.add(new SmtpServer(new InetSocketAddress(l.address(), l.port()),
                "submissions", smtpSettings(config), handlers, () -> tls, true)));
        // Behind the same load balancer as the MX listener, submission may take the PROXY protocol too.
        var configured = java.util.stream.Stream.of(config.listeners().submission(), config.listeners().submissions())
                .flatMap(Optional::stream).toList();
        for (int i = 0; i < servers.size(); i++) {
            if (configured.get(i).takesProxyProtocol()) servers.get(i).withProxyProtocol(proxySettings(configured.get(i)));
        }
        return servers;
    }

    private static org.postern.admin.AdminServer startAdmin(OperatorConfig config, NodeServices services, FileSpool spool, SmtpServer smtp,
                                                            org.postern.admin.QuarantineAccess quarantine, NodeMetrics metrics, Clock clock) {
        var listener = config.listeners().admin();
        if (listener.isEmpty()) return null;
        try {
            return AdminListener.start(config, services, spool, smtp, quarantine, metrics, clock, listener.get());
        } catch (RuntimeException e) { // e.g. the port is taken
            throw new org.postern.config.ConfigException("listeners.admin: cannot listen on " + listener.get().address() + ":"
                    + listener.get().port() + ": " + e.getMessage(), e);
        }
    }

    /** The trace hears every attempt and every DSN queued; the scheduler logs a failure here and keeps delivering. */
    private static DeliveryListener tracing(TraceStore trace) {
        return new DeliveryListener() {
            @Override
            public void attempted(DeliveryEvent event) {
                trace.delivery(event);
            }

            @Override
            public void notificationQueued(TraceRecord dsn) {
                trace.record(dsn);
            }
        };
    }

    static SmtpSettings smtpSettings(OperatorConfig c) {
        Duration command = Units.duration(c.smtp().commandTimeout());
        return SmtpSettings.builder(c.node().hostname())
                .maxMessageSize(Units.bytes(c.limits().maxMessageSize()))
                .maxErrors(c.smtp().maxErrors())
                .commandTimeout(command)
                .dataInitiationTimeout(Units.duration(c.smtp().dataInitiationTimeout()))
                .dataBlockTimeout(Units.duration(c.smtp().dataBlockTimeout()))
                .dataTerminationTimeout(Units.duration(c.smtp().dataTimeout()))
                .greetPause(Units.duration(c.smtp().greetPause()))
                .build();
    }

    /** The load balancers a listener trusts to name the client (PROXY protocol). */
    static SmtpServer.ProxySettings proxySettings(OperatorConfig.Listener listener) {
        var trusted = listener.trustedProxies().stream().map(org.postern.policy.Cidr::parse).toList();
        return new SmtpServer.ProxySettings(ip -> trusted.stream().anyMatch(c -> c.contains(ip)), Units.duration(listener.proxyHeaderTimeout()));
    }

    private static TlsSettings tlsSettings(OperatorConfig c) {
        if (c.tls().isEmpty()) return TlsSettings.selfSigned();
        var t = c.tls().get();
        TlsSettings s = TlsSettings.pem(Path.of(t.certificate()), Path.of(t.privateKey()));
        return t.clientCa().map(ca -> s.withClientCa(Path.of(ca))).orElse(s);
    }

    public int smtpPort() { return smtp.port(); }

    /** The port of the submission listener ("submission" or "submissions"), when it is configured. */
    public Optional<Integer> submissionPort(String listener) {
        return submissionServers.stream().filter(s -> s.listener().equals(listener)).findFirst().map(SmtpServer::port);
    }

    public String hostname() { return config.node().hostname(); }

    public TraceStore trace() { return services.trace(); }

    /** DMARC results kept for aggregate reports. */
    public org.postern.store.JdbcDmarcResultStore dmarcResults() { return services.dmarcResults(); }

    public TenantDirectory tenants() { return tenants; }

    /** The node's counters (shared through Redis when configured): budgets and open tallies for any limit. */
    public org.postern.counters.Counters counters() { return counters.counters(); }

    public FileSpool spool() { return spool; }

    /** The admin listener's port (0 when none is configured). */
    public int adminPort() { return admin == null ? 0 : admin.port(); }

    /** The admin listener, when configured. */
    public Optional<org.postern.admin.AdminServer> admin() { return Optional.ofNullable(admin); }

    /** Stops accepting, lets sessions finish (drain), stops delivery with the queue kept on disk, closes the store. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        log.info("Postern {} stopping: draining sessions", hostname());
        if (admin != null) admin.close();
        if (metrics != null) metrics.close();
        submissionServers.forEach(SmtpServer::close);
        smtp.close();
        quarantineKeeper.close();
        dmarcResults.close();
        malware.close();
        spool.close();
        if (counters != null) counters.close();
        services.close();
        log.info("Postern {} stopped", hostname());
    }
}
