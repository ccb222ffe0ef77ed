package org.postern.content;

import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the SCL needs besides the message itself, filled by the edge from the session's evidence. Every field has a
 * neutral default ({@link #none()}), so a caller sets only what it knows.
 *
 * @param trusted            an allow entry, trusting connector or transport rule bypasses filtering: SCL −1
 * @param spf                SPF result for the envelope sender
 * @param dkim               DKIM result (the best signature's)
 * @param dmarc              DMARC result for the From domain; PASS also where the From domain is otherwise
 *                           authenticated (compauth=pass: an aligned DKIM or SPF pass without a DMARC record, a
 *                           trusted ARC sealer's word), which also makes an SPF failure no spam sign
 * @param blocklistScore     the summed weight of DNS blocklists that listed the client at RCPT (0: none)
 * @param uriBlocklistHits   link domains the caller found listed on URI blocklists (DBL-style zones), full weight
 * @param uriListings        link domains listed on the operator's URI blocklists, with the zone and its weight
 * @param helo               the HELO/EHLO name
 * @param clientIp           the client's address
 * @param clientName         the client's verified reverse DNS name
 * @param mailFrom           the envelope sender
 * @param tenantDomains      the tenant's own domains (lower-case A-labels): for spoofing and lookalikes
 * @param tenantAddresses    the tenant's known recipient addresses
 * @param tenantUserNames    display names of the tenant's users, when the caller knows them
 * @param gatewayHostname    this gateway's host name, to spot Received fields forged in its name ("" unknown)
 * @param gatewayFieldsOnTop Received fields the gateway itself put on top of the message before it was viewed
 * @param bulkThreshold      the tenant's BCL threshold (1–9): at or above it the BULK reason applies
 * @param receivedAt         when the gateway received the message, for Date checks (empty: not checked)
 * @param storedCopy         the message is judged as a file (a copy a mailbox, a corpus or an export kept), not as
 *                           received in a session: a copy kept without its header block is then not held to the
 *                           fields it lost ({@link MessageView#keptWithoutHeaderBlock})
 */
public record SclInputs(boolean trusted, AuthResult spf, AuthResult dkim, AuthResult dmarc, int blocklistScore,
                        List<String> uriBlocklistHits, Optional<String> helo, Optional<InetAddress> clientIp,
                        Optional<String> clientName, Optional<String> mailFrom, Set<String> tenantDomains,
                        Set<String> tenantAddresses, Set<String> tenantUserNames, String gatewayHostname,
                        int gatewayFieldsOnTop, int bulkThreshold, Optional<Instant> receivedAt,
                        List<UriListing> uriListings, boolean storedCopy) {

    public static final int DEFAULT_BULK_THRESHOLD = 7;

    public SclInputs {
        Objects.requireNonNull(spf);
        Objects.requireNonNull(dkim);
        Objects.requireNonNull(dmarc);
        uriBlocklistHits = List.copyOf(uriBlocklistHits);
        uriListings = List.copyOf(uriListings);
        Objects.requireNonNull(helo);
        Objects.requireNonNull(clientIp);
        Objects.requireNonNull(clientName);
        Objects.requireNonNull(mailFrom);
        tenantDomains = Set.copyOf(tenantDomains);
        tenantAddresses = Set.copyOf(tenantAddresses);
        tenantUserNames = Set.copyOf(tenantUserNames);
        Objects.requireNonNull(gatewayHostname);
        Objects.requireNonNull(receivedAt);
        if (blocklistScore < 0 || gatewayFieldsOnTop < 0) throw new IllegalArgumentException("negative count");
        if (bulkThreshold < 1 || bulkThreshold > 9) throw new IllegalArgumentException("bulk threshold must be 1..9");
    }

    /** Nothing known but the message, read from a file: what {@code ./postern classify} uses. */
    public static SclInputs none() {
        return builder().storedCopy().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds inputs field by field; unset fields keep the neutral defaults. */
    public static final class Builder {
        private boolean trusted;
        private AuthResult spf = AuthResult.NONE;
        private AuthResult dkim = AuthResult.NONE;
        private AuthResult dmarc = AuthResult.NONE;
        private int blocklistScore;
        private List<String> uriBlocklistHits = List.of();
        private Optional<String> helo = Optional.empty();
        private Optional<InetAddress> clientIp = Optional.empty();
        private Optional<String> clientName = Optional.empty();
        private Optional<String> mailFrom = Optional.empty();
        private Set<String> tenantDomains = Set.of();
        private Set<String> tenantAddresses = Set.of();
        private Set<String> tenantUserNames = Set.of();
        private String gatewayHostname = "";
        private int gatewayFieldsOnTop;
        private int bulkThreshold = DEFAULT_BULK_THRESHOLD;
        private Optional<Instant> receivedAt = Optional.empty();
        private List<UriListing> uriListings = List.of();
        private boolean storedCopy;

        public Builder trusted(boolean v) { trusted = v; return this; }
        public Builder spf(AuthResult v) { spf = v; return this; }
        public Builder dkim(AuthResult v) { dkim = v; return this; }
        public Builder dmarc(AuthResult v) { dmarc = v; return this; }
        public Builder blocklistScore(int v) { blocklistScore = v; return this; }
        public Builder uriBlocklistHits(List<String> v) { uriBlocklistHits = v; return this; }
        public Builder helo(String v) { helo = Optional.of(v); return this; }
        public Builder clientIp(InetAddress v) { clientIp = Optional.of(v); return this; }
        public Builder clientName(String v) { clientName = Optional.of(v); return this; }
        public Builder mailFrom(String v) { mailFrom = Optional.of(v); return this; }
        public Builder tenantDomains(Set<String> v) { tenantDomains = v; return this; }
        public Builder tenantAddresses(Set<String> v) { tenantAddresses = v; return this; }
        public Builder tenantUserNames(Set<String> v) { tenantUserNames = v; return this; }
        public Builder gateway(String hostname, int fieldsOnTop) { gatewayHostname = hostname; gatewayFieldsOnTop = fieldsOnTop; return this; }
        public Builder bulkThreshold(int v) { bulkThreshold = v; return this; }
        public Builder receivedAt(Instant v) { receivedAt = Optional.of(v); return this; }
        public Builder uriListings(List<UriListing> v) { uriListings = v; return this; }
        public Builder storedCopy() { storedCopy = true; return this; }

        public SclInputs build() {
            return new SclInputs(trusted, spf, dkim, dmarc, blocklistScore, uriBlocklistHits, helo, clientIp,
                    clientName, mailFrom, tenantDomains, tenantAddresses, tenantUserNames, gatewayHostname,
                    gatewayFieldsOnTop, bulkThreshold, receivedAt, uriListings, storedCopy);
        }
    }
}
