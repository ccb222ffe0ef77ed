package org.postern.tenant;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A tenant document exactly as an admin writes it (INTERFACES §3). Sections that later capabilities act on
 * (connectors, anti-spam, rules, ...) are parsed and kept already, so a document written today stays valid.
 * Unknown keys are refused when the document is read.
 */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
public record TenantDocument(
        String id,
        List<String> domains,
        Optional<List<String>> recipients,
        String delivery,
        @JsonProperty("ip-allow") List<IpEntry> ipAllow,
        @JsonProperty("ip-block") List<IpEntry> ipBlock,
        List<Connector> connectors,
        @JsonProperty("anti-spam") Optional<AntiSpam> antiSpam,
        @JsonProperty("anti-spoofing") Optional<AntiSpoofing> antiSpoofing,
        @JsonProperty("anti-malware") Optional<AntiMalware> antiMalware,
        @JsonProperty("transport-rules") List<JsonNode> transportRules,
        Optional<Quarantine> quarantine,
        List<DkimKey> dkim,
        Optional<OutboundLimits> outbound,
        @JsonProperty("enhanced-filtering") Optional<EnhancedFiltering> enhancedFiltering) {

    public TenantDocument {
        domains = domains == null ? List.of() : List.copyOf(domains);
        recipients = recipients == null ? Optional.empty() : recipients.map(List::copyOf);
        ipAllow = ipAllow == null ? List.of() : List.copyOf(ipAllow);
        ipBlock = ipBlock == null ? List.of() : List.copyOf(ipBlock);
        connectors = connectors == null ? List.of() : List.copyOf(connectors);
        antiSpam = antiSpam == null ? Optional.empty() : antiSpam;
        antiSpoofing = antiSpoofing == null ? Optional.empty() : antiSpoofing;
        antiMalware = antiMalware == null ? Optional.empty() : antiMalware;
        transportRules = transportRules == null ? List.of() : List.copyOf(transportRules);
        quarantine = quarantine == null ? Optional.empty() : quarantine;
        dkim = dkim == null ? List.of() : List.copyOf(dkim);
        outbound = outbound == null ? Optional.empty() : outbound;
        enhancedFiltering = enhancedFiltering == null ? Optional.empty() : enhancedFiltering;
    }

    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    public record IpEntry(String cidr, Optional<Instant> expires, Optional<String> comment) {
        public IpEntry {
            expires = expires == null ? Optional.empty() : expires;
            comment = comment == null ? Optional.empty() : comment;
        }
    }

    public record ConnectorMatch(@JsonProperty("tls-cert-names") List<String> tlsCertNames, List<String> ips,
                                 @JsonProperty("sender-domains") List<String> senderDomains) {
        public ConnectorMatch {
            tlsCertNames = tlsCertNames == null ? List.of() : List.copyOf(tlsCertNames);
            ips = ips == null ? List.of() : List.copyOf(ips);
            senderDomains = senderDomains == null ? List.of() : List.copyOf(senderDomains);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    public record Connector(String name, String kind, ConnectorMatch match,
                            @JsonProperty("require-tls") Optional<Boolean> requireTls,
                            @JsonProperty("restrict-to-ips") Optional<Boolean> restrictToIps,
                            Optional<String> trust) {
        public Connector {
            requireTls = requireTls == null ? Optional.empty() : requireTls;
            restrictToIps = restrictToIps == null ? Optional.empty() : restrictToIps;
            trust = trust == null ? Optional.empty() : trust;
        }
    }

    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    public record AntiSpam(Optional<String> mode, @JsonProperty("junk-at") Optional<Integer> junkAt,
                           @JsonProperty("quarantine-at") Optional<Integer> quarantineAt,
                           @JsonProperty("reject-at") Optional<Integer> rejectAt,
                           @JsonProperty("allowed-senders") List<String> allowedSenders,
                           @JsonProperty("blocked-senders") List<String> blockedSenders) {
        public AntiSpam {
            mode = mode == null ? Optional.empty() : mode;
            junkAt = junkAt == null ? Optional.empty() : junkAt;
            quarantineAt = quarantineAt == null ? Optional.empty() : quarantineAt;
            rejectAt = rejectAt == null ? Optional.empty() : rejectAt;
            allowedSenders = allowedSenders == null ? List.of() : List.copyOf(allowedSenders);
            blockedSenders = blockedSenders == null ? List.of() : List.copyOf(blockedSenders);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    /**
     * @param allowedSpoofedSenders (domain, sending infrastructure) pairs allowed to use the tenant's own domains
     *                              unauthenticated, as spoof intelligence allows them
     */
    public record AntiSpoofing(@JsonProperty("honor-dmarc") Optional<String> honorDmarc,
                               @JsonProperty("trusted-arc-sealers") List<String> trustedArcSealers,
                               @JsonProperty("allowed-spoofed-senders") List<AllowedSpoofedSender> allowedSpoofedSenders) {
        public AntiSpoofing {
            honorDmarc = honorDmarc == null ? Optional.empty() : honorDmarc;
            trustedArcSealers = trustedArcSealers == null ? List.of() : List.copyOf(trustedArcSealers);
            allowedSpoofedSenders = allowedSpoofedSenders == null ? List.of() : List.copyOf(allowedSpoofedSenders);
        }
    }

    /**
     * @param domain         the spoofed domain (one of the tenant's)
     * @param infrastructure where the mail comes from: a CIDR, or a domain that the client's verified reverse-DNS
     *                       name equals or ends with
     */
    public record AllowedSpoofedSender(String domain, String infrastructure) {
        /** An address range rather than a host-name suffix (a domain's last label is never all digits). */
        public boolean infrastructureIsNetwork() {
            String i = infrastructure.strip();
            return i.contains("/") || i.contains(":") || Character.isDigit(i.charAt(i.length() - 1));
        }
    }

    /** Validated by {@code org.postern.malware.AntiMalwarePolicy}; see the README for the keys. */
    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    public record AntiMalware(@JsonProperty("blocked-file-types") List<String> blockedFileTypes,
                              Optional<String> action,
                              @JsonProperty("encrypted-archives") Optional<String> encryptedArchives,
                              Optional<String> macros) {
        public AntiMalware {
            blockedFileTypes = blockedFileTypes == null ? List.of() : List.copyOf(blockedFileTypes);
            action = action == null ? Optional.empty() : action;
            encryptedArchives = encryptedArchives == null ? Optional.empty() : encryptedArchives;
            macros = macros == null ? Optional.empty() : macros;
        }
    }

    /** @param userRelease whether users may release their own held mail (never malware); default: admins only */
    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    public record Quarantine(String retention, @JsonProperty("user-release") Optional<Boolean> userRelease) {
        public Quarantine {
            userRelease = userRelease == null ? Optional.empty() : userRelease;
        }
    }

    public record DkimKey(String domain, String selector) { }

    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    public record OutboundLimits(@JsonProperty("recipients-per-hour") Optional<Integer> recipientsPerHour,
                                 @JsonProperty("recipients-per-day") Optional<Integer> recipientsPerDay,
                                 @JsonProperty("on-limit") Optional<String> onLimit) {
        public OutboundLimits {
            recipientsPerHour = recipientsPerHour == null ? Optional.empty() : recipientsPerHour;
            recipientsPerDay = recipientsPerDay == null ? Optional.empty() : recipientsPerDay;
            onLimit = onLimit == null ? Optional.empty() : onLimit;
        }
    }

    /**
     * Enhanced filtering (skip listing): the tenant's MX points at another gateway first, whose addresses are listed
     * here; Postern then judges the client in front of them, taken from the Received chain at end of data.
     */
    public record EnhancedFiltering(@JsonProperty("skip-ips") List<String> skipIps) {
        public EnhancedFiltering { skipIps = skipIps == null ? List.of() : List.copyOf(skipIps); }
    }
}
