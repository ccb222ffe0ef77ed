package org.postern.edge;

import org.postern.auth.SenderAuthenticator;
import org.postern.config.OperatorConfig;
import org.postern.malware.MalwareScanner;
import org.postern.config.Units;
import org.postern.dns.DnsjavaResolver;
import org.postern.policy.Cidr;
import org.postern.policy.LocalClientCounters;
import org.postern.policy.PolicyPipeline;
import org.postern.policy.StandardPipeline;
import org.postern.policy.TenantTrusts;
import org.postern.config.Units;
import org.postern.dns.DnsResolver;
import org.postern.dns.DnsjavaResolver;
import org.postern.dnsbl.DnsList;
import org.postern.dnsbl.DnsLists;
import org.postern.store.Database;
import org.postern.store.JdbcDmarcResultStore;
import org.postern.store.JdbcTenantDocumentStore;
import org.postern.store.JdbcTraceStore;
import org.postern.tenant.TenantCatalog;
import org.postern.tenant.TenantDirectory;
import org.postern.tenant.TenantDocuments;
import org.postern.trace.TraceStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The store-backed services every command needs (serve, apply, trace, explain): the database with its
 * migrations applied, the tenant catalog and the trace. Tenants seeded in the configuration are applied on open.
 */
public final class NodeServices implements AutoCloseable {

    private final Database database;
    private final TenantCatalog catalog;
    private final TraceStore trace;
    private org.postern.store.ConfigChangeListener configListener;
    private org.postern.store.TraceRetention traceRetention;

    private NodeServices(Database database) {
        this.database = database;
        this.catalog = new TenantCatalog(new JdbcTenantDocumentStore(database.dataSource()));
        this.trace = new JdbcTraceStore(database.dataSource());
    }

    public static NodeServices open(OperatorConfig config) {
        try {
            Files.createDirectories(Path.of(config.node().dataDir()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + config.node().dataDir(), e);
        }
        NodeServices services = new NodeServices(Database.open(config.store().url()));
        if (config.tenants() != null && !config.tenants().isNull() && !config.tenants().isEmpty()) {
            try {
                services.catalog.apply(TenantDocuments.fromTree(config.tenants()));
            } catch (RuntimeException e) {
                services.close();
                throw e;
            }
        }
        return services;
    }

    public TenantCatalog catalog() { return catalog; }

    public TraceStore trace() { return trace; }

    public JdbcDmarcResultStore dmarcResults() { return new JdbcDmarcResultStore(database.dataSource()); }

    /** Console and submission accounts (issue 8; SMTP AUTH reuses them). */
    public org.postern.account.AccountStore accounts() {
        return new org.postern.account.AccountStore(database.dataSource(), org.postern.account.PasswordHasher.standard(), Clock.systemUTC());
    }

    /** Submission users restricted after an outbound limit (issue 9). */
    public org.postern.account.SendingRestrictions restrictions() { return new org.postern.account.SendingRestrictions(database.dataSource()); }

    public org.postern.account.ApiTokens tokens() { return new org.postern.account.ApiTokens(database.dataSource(), Clock.systemUTC()); }

    /**
     * Where held messages live: in the store when it is PostgreSQL (shared by every node of a fleet, so any node
     * lists and releases any message; {@code node} is the node that spools releases, empty for a tool), on the node's disk beside its spool when it is the embedded H2 (one node).
     */
    public org.postern.quarantine.Quarantine quarantine(OperatorConfig config, String node, Clock clock) {
        return database.kind() == Database.Kind.POSTGRESQL
                ? new org.postern.quarantine.JdbcQuarantine(database.dataSource(), node, clock)
                : new org.postern.quarantine.FileQuarantine(Path.of(config.node().dataDir()));
    }

    /**
     * Runs {@code onChange} as soon as any node or tool changes the configuration (PostgreSQL LISTEN/NOTIFY); on
     * H2 nothing is started and the tenant directory's polling of the configuration version is what notices.
     */
    public void watchConfiguration(Runnable onChange) {
        if (database.kind() == Database.Kind.POSTGRESQL && configListener == null) {
            configListener = org.postern.store.ConfigChangeListener.start(database, onChange);
        }
    }

    /** Keeps the trace within {@code trace.retention} (hourly; partitions on PostgreSQL), closed with the services. */
    public void keepTraceRetention(OperatorConfig config, Clock clock) {
        if (traceRetention == null) {
            traceRetention = new org.postern.store.TraceRetention(database, config.traceRetention(), clock).start(Duration.ofHours(1));
        }
    }

    /** The store's pool, for repositories of other packages (the admin audit log). */
    public javax.sql.DataSource dataSource() { return database.dataSource(); }

    public Explainer explainer(OperatorConfig config) {
        return explainer(config, Clock.systemUTC());
    }

    /** Explains with the node's real DNS lists (asked now) and the given clock (e.g. to see an entry expire). */
    public Explainer explainer(OperatorConfig config, Clock clock) {
        TenantTrusts trusts = new TenantTrusts();
        PolicyPipeline pipeline = StandardPipeline.build(pipelineSettings(config), new LocalClientCounters(clock), trusts, clock);
        var dns = new DnsjavaResolver(config.dns().servers(), Units.duration(config.dns().timeout()));
        EndOfData endOfData;
        try {
            endOfData = EndOfData.of(config, new SenderAuthenticator(dns, clock), MalwareScanner.fromConfig(config), dns, clock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the content filters: " + e.getMessage(), e);
        }
        TenantDirectory directory = new TenantDirectory(catalog, clock, Duration.ofSeconds(1));
        // A submission user's mail: the outbound questions, on counters of its own (explaining spends no real budget).
        PolicyPipeline outbound = StandardPipeline.outbound(pipelineSettings(config), new LocalClientCounters(clock),
                new org.postern.counters.LocalCounters(clock)::tryTake, restrictions(), outboundSpam(config));
        var accounts = accounts();
        return new Explainer(pipeline, directory, new ReplyCatalogue(config.node().hostname()),
                endOfData, config.node().hostname(), dnsLists(config, dns), trusts,
                Optional.of(new Explainer.Outbound(outbound, user -> accounts.find(user).flatMap(a -> directory.byId(a.tenant())))));
    }

    /** The operator's choice for outbound spam ({@code outbound.spam}): the high-risk pool unless it says reject. */
    static org.postern.policy.WhatToDoWithOutboundMessage.SpamAction outboundSpam(OperatorConfig config) {
        return config.outbound().flatMap(OperatorConfig.Outbound::spam).filter("reject"::equals).isPresent()
                ? org.postern.policy.WhatToDoWithOutboundMessage.SpamAction.REJECT
                : org.postern.policy.WhatToDoWithOutboundMessage.SpamAction.HIGH_RISK_POOL;
    }

    static StandardPipeline.Settings pipelineSettings(OperatorConfig config) {
        return new StandardPipeline.Settings(config.operator().blockedIps().stream().map(Cidr::parse).toList(),
                config.limits().connectionsPerIp(), config.smtp().maxConnections(), config.limits().messagesPerIpPerMinute(), config.limits().maxRecipients(),
                config.limits().connectionsPerNetwork(), config.limits().recipientsPerIpPerMinute());
    }

    /** The operator's DNS lists; answers are waited for up to two resolver timeouts after the lookups started. */
    static DnsLists dnsLists(OperatorConfig config, DnsResolver dns) {
        List<DnsList> lists = config.dnsbl().stream()
                .map(d -> new DnsList(d.zone(), d.weight().orElse(0), d.returnCodes())).toList();
        return new DnsLists(lists, config.dnsblThreshold(), dns, Units.duration(config.dns().timeout()).multipliedBy(2));
    }

    @Override
    public void close() {
        if (configListener != null) configListener.close();
        if (traceRetention != null) traceRetention.close();
        database.close();
    }
}
