package org.postern.queue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.postern.dns.DnsResolver;

/**
 * How outbound mail ({@link DeliveryTarget#INTERNET}) is delivered.
 *
 * @param dns                    the injected resolver for MX, A/AAAA, TXT and TLSA lookups
 * @param helo                   the EHLO name of the normal pool
 * @param mxPort                 the port of every MX (25; tests point it at a local sink)
 * @param highRiskPool           source address and EHLO name for high-risk mail and every DSN; empty: the normal pool
 * @param destinationConcurrency deliveries to one recipient domain at once (Postfix
 *                               {@code default_destination_concurrency_limit = 20})
 * @param destinationRate        messages per second to one recipient domain; 0 is unlimited
 * @param signer                 DKIM signatures for a message, by tenant and From domain
 * @param trust                  trust anchors for verified TLS (MTA-STS, REQUIRETLS) and the MTA-STS policy fetch
 * @param mtaSts                 MTA-STS policies (RFC 8461) of recipient domains
 * @param dsnDelay               a DSN "delayed" is sent once a message has waited this long; zero: none
 * @param dane                   DANE TLSA records of MX hosts (RFC 7672), from DNSSEC-validated answers only
 */
public record OutboundSettings(DnsResolver dns, String helo, int mxPort, Optional<SourcePool> highRiskPool,
                               int destinationConcurrency, double destinationRate, OutboundSigner signer,
                               SSLContext trust, MtaStsPolicies mtaSts, Duration dsnDelay, DanePolicies dane) {

    /** A pool of outbound identity: the local address connections come from and the name said in EHLO. */
    public record SourcePool(InetAddress sourceAddress, String helo) {
        public SourcePool {
            Objects.requireNonNull(sourceAddress, "sourceAddress");
            Objects.requireNonNull(helo, "helo");
        }
    }

    public OutboundSettings {
        Objects.requireNonNull(dns, "dns");
        Objects.requireNonNull(helo, "helo");
        Objects.requireNonNull(highRiskPool, "highRiskPool");
        Objects.requireNonNull(signer, "signer");
        Objects.requireNonNull(trust, "trust");
        Objects.requireNonNull(mtaSts, "mtaSts");
        Objects.requireNonNull(dsnDelay, "dsnDelay");
        Objects.requireNonNull(dane, "dane");
        if (mxPort < 1 || mxPort > 65535) throw new IllegalArgumentException("mx-port out of range: " + mxPort);
        if (destinationConcurrency < 1) throw new IllegalArgumentException("destination concurrency must be at least 1");
        if (destinationRate < 0) throw new IllegalArgumentException("destination rate must not be negative");
    }

    /** Port 25, no high-risk pool, 20 per destination, no rate limit, no signing, the JDK's trust, no MTA-STS. */
    public static OutboundSettings defaults(DnsResolver dns, String helo) {
        return new OutboundSettings(dns, helo, 25, Optional.empty(), 20, 0, OutboundSigner.NONE, defaultTrust(),
                MtaStsPolicies.NONE, Duration.ZERO, DanePolicies.NONE);
    }

    public OutboundSettings withMxPort(int port) {
        return new OutboundSettings(dns, helo, port, highRiskPool, destinationConcurrency, destinationRate, signer, trust, mtaSts, dsnDelay, dane);
    }

    public OutboundSettings withHighRiskPool(Optional<SourcePool> pool) {
        return new OutboundSettings(dns, helo, mxPort, pool, destinationConcurrency, destinationRate, signer, trust, mtaSts, dsnDelay, dane);
    }

    public OutboundSettings withDestinationLimits(int concurrency, double rate) {
        return new OutboundSettings(dns, helo, mxPort, highRiskPool, concurrency, rate, signer, trust, mtaSts, dsnDelay, dane);
    }

    public OutboundSettings withSigner(OutboundSigner s) {
        return new OutboundSettings(dns, helo, mxPort, highRiskPool, destinationConcurrency, destinationRate, s, trust, mtaSts, dsnDelay, dane);
    }

    public OutboundSettings withTrust(SSLContext t) {
        return new OutboundSettings(dns, helo, mxPort, highRiskPool, destinationConcurrency, destinationRate, signer, t, mtaSts, dsnDelay, dane);
    }

    public OutboundSettings withMtaSts(MtaStsPolicies m) {
        return new OutboundSettings(dns, helo, mxPort, highRiskPool, destinationConcurrency, destinationRate, signer, trust, m, dsnDelay, dane);
    }

    public OutboundSettings withDsnDelay(Duration d) {
        return new OutboundSettings(dns, helo, mxPort, highRiskPool, destinationConcurrency, destinationRate, signer, trust, mtaSts, d, dane);
    }

    public OutboundSettings withDane(DanePolicies d) {
        return new OutboundSettings(dns, helo, mxPort, highRiskPool, destinationConcurrency, destinationRate, signer, trust, mtaSts, dsnDelay, d);
    }

    private static SSLContext defaultTrust() {
        try {
            return SSLContext.getDefault();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("no TLS in this JVM", e);
        }
    }
}
