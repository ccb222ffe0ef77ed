package org.postern.outbound;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.sql.DataSource;
import org.postern.config.ConfigException;
import org.postern.config.OperatorConfig;
import org.postern.config.Units;
import org.postern.dns.DnsResolver;
import org.postern.queue.OutboundSettings;
import org.postern.tenant.TenantDirectory;
import org.postern.tenant.TenantDocument;

/** Outbound delivery settings of a node from the operator configuration ({@code outbound:}). */
public final class OutboundWiring {

    private OutboundWiring() {
    }

    public static OutboundSettings settings(OperatorConfig config, DnsResolver dns, DataSource db, TenantDirectory tenants, Clock clock) {
        Optional<OperatorConfig.Outbound> o = config.outbound();
        String helo = o.map(OperatorConfig.Outbound::helo).filter(h -> !h.isBlank()).orElse(config.node().hostname());
        SSLContext trust = trust(o.flatMap(OperatorConfig.Outbound::tlsTrust));
        KeySealer sealer = KeySealer.forDataDir(Path.of(config.node().dataDir()));
        DkimSigning signing = new DkimSigning(tenant -> tenants.byId(tenant).map(t -> t.document().dkim()).orElse(List.<TenantDocument.DkimKey>of()),
                new DkimKeyring(db, sealer, clock), clock);
        OutboundSettings s = OutboundSettings.defaults(dns, helo)
                .withMxPort(o.flatMap(OperatorConfig.Outbound::mxPort).orElse(25))
                .withHighRiskPool(o.flatMap(OperatorConfig.Outbound::highRiskPool).map(OutboundWiring::pool))
                .withDestinationLimits(o.flatMap(OperatorConfig.Outbound::destinationConcurrency).orElse(20),
                        o.flatMap(OperatorConfig.Outbound::destinationRate).orElse(0.0))
                .withSigner(signing)
                .withTrust(trust)
                .withMtaSts(new MtaStsFetcher(dns, trust, o.flatMap(OperatorConfig.Outbound::mtaStsPort).orElse(443), clock))
                .withDsnDelay(o.flatMap(OperatorConfig.Outbound::dsnDelay).map(Units::duration).orElse(Duration.ofHours(4)));
        if (o.flatMap(OperatorConfig.Outbound::dane).orElse(false)) {
            if (config.dns().servers().isEmpty()) throw new ConfigException("outbound.dane: true needs dns.servers (a DNSSEC-validating resolver)");
            s = s.withDane(new DaneLookups(config.dns().servers(), Units.duration(config.dns().timeout())));
        }
        return s;
    }

    private static OutboundSettings.SourcePool pool(OperatorConfig.Pool p) {
        try {
            return new OutboundSettings.SourcePool(InetAddress.getByName(p.sourceAddress()), p.helo());
        } catch (UnknownHostException e) {
            throw new ConfigException("outbound.high-risk-pool.source-address: not an IP address: " + p.sourceAddress());
        }
    }

    /** The JDK's trust anchors, or those of a PEM file (tests, private CAs). */
    static SSLContext trust(Optional<String> pemFile) {
        try {
            if (pemFile.isEmpty()) return SSLContext.getDefault();
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            try (InputStream in = Files.newInputStream(Path.of(pemFile.get()))) {
                int i = 0;
                for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) ks.setCertificateEntry("ca" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException e) {
            throw new ConfigException("outbound.tls-trust: cannot read " + pemFile.orElse("") + ": " + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw new ConfigException("outbound.tls-trust: " + e.getMessage());
        }
    }
}
