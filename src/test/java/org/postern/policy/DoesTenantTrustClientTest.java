package org.postern.policy;

import com.google.common.net.InetAddresses;
import org.junit.jupiter.api.Test;
import org.postern.dnsbl.Listings;
import org.postern.tenant.Tenant;
import org.postern.tenant.TenantDocuments;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The tenant's trust at RCPT: connector > ip-allow > ip-block > DNS lists, each traced. */
class DoesTenantTrustClientTest {

    private static final Clock NOW = Clock.fixed(Instant.parse("2026-11-28T12:00:00Z"), ZoneOffset.UTC);
    private final DoesTenantTrustClient stage = new DoesTenantTrustClient(new TenantTrusts(), NOW);

    private static final Tenant CONTOSO = TenantDocuments.parse("""
            id: contoso
            domains: [contoso.test]
            delivery: "smtp://127.0.0.1:2626"
            ip-allow:
              - { cidr: 203.0.113.0/24 }
              - { cidr: 198.51.100.0/24, expires: 2026-11-28T11:00:00Z, comment: partner trial }
            ip-block:
              - { cidr: 192.0.2.0/24 }
              - { cidr: 203.0.113.66 }
            connectors:
              - name: partner-fabrikam
                kind: partner
                match: { tls-cert-names: ["*.fabrikam.test"], sender-domains: [fabrikam.test] }
                require-tls: true
                trust: bypass-ip-filtering
              - name: partner-northwind
                kind: partner
                match: { ips: [233.252.0.0/24], sender-domains: [northwind.test] }
                restrict-to-ips: true
              - name: headquarters
                kind: on-premises
                match: { ips: ["2001:db8:1::/48"] }
            """).get(0);

    private static final Listings LISTED = new Listings("x", List.of(new Listings.Hit("zen.test", 10, List.of("127.0.0.2"),
            Optional.of("see https://zen.test/q"))), List.of(), 10, true);
    private static final Listings CLEAN = new Listings("x", List.of(), List.of(), 10, true);

    private static Evidence client(String ip, String from, Listings listings, Optional<Evidence.TlsFacts> tls) {
        Evidence e = Evidence.connected(InetAddresses.forString(ip), Optional.empty(), "smtp").withHelo("client.test");
        if (tls.isPresent()) e = e.withTls(tls.get());
        return e.withMailFrom(from).withListings(listings)
                .judging(new Evidence.RecipientCandidate("alice@contoso.test", "contoso.test", Optional.of(CONTOSO)));
    }

    private static Optional<Evidence.TlsFacts> cert(String name, boolean verified) {
        return Optional.of(new Evidence.TlsFacts("TLSv1.3", "TLS_AES_128_GCM_SHA256", Optional.of("CN=" + name),
                verified ? List.of(name) : List.of(), verified));
    }

    private static List<String> codes(Decision d) {
        return d.reasons().stream().map(r -> r.code().id()).toList();
    }

    @Test
    void aListedClientIsRefusedNamingTheListAndItsTxt() {
        Decision d = stage.decide(client("198.18.0.200", "a@example.org", LISTED, Optional.empty()));
        assertThat(d).isInstanceOf(Decision.Reject.class);
        assertThat(d.primary().code()).isEqualTo(ReasonCode.LISTED_ON_DNSBL);
        assertThat(d.primary().evidence()).isEqualTo("client host [198.18.0.200] blocked using zen.test; see https://zen.test/q");
        assertThat(codes(d)).containsExactly("trust.dnsbl-listed", "trust.dnsbl-score", "trust.precedence");
    }

    @Test
    void anAllowEntryOverridesTheListsAndTheBlockList() {
        Decision d = stage.decide(client("203.0.113.66", "a@example.org", LISTED, Optional.empty()));
        assertThat(d).isInstanceOf(Decision.Continue.class);
        assertThat(codes(d)).containsExactly("trust.ip-allow", "trust.precedence");
        assertThat(d.reasons().get(0).setting()).isEqualTo("tenants.contoso.ip-allow[0]");
        assertThat(d.reasons().get(1).evidence()).startsWith("ip-allow 203.0.113.0/24 decides; overrides ip-block 203.0.113.66/32")
                .contains("DNS lists").endsWith("[connector > ip-allow > ip-block > dnsbl]");
    }

    @Test
    void anExpiredAllowEntryNoLongerHelps() {
        Decision d = stage.decide(client("198.51.100.7", "a@example.org", LISTED, Optional.empty()));
        assertThat(d).isInstanceOf(Decision.Reject.class);
        assertThat(codes(d)).contains("trust.ip-allow-expired");
        assertThat(d.reasons()).anySatisfy(r -> assertThat(r.evidence()).contains("expires 2026-11-28T11:00:00Z; partner trial"));
    }

    @Test
    void theBlockListRefusesNamingTheTenantsList() {
        Decision d = stage.decide(client("192.0.2.7", "a@example.org", CLEAN, Optional.empty()));
        assertThat(d.primary().code()).isEqualTo(ReasonCode.TENANT_IP_BLOCKED);
        assertThat(d.primary().evidence()).isEqualTo("client host [192.0.2.7] blocked by the ip-block list of contoso (192.0.2.0/24)");
        assertThat(d.primary().setting()).isEqualTo("tenants.contoso.ip-block[0]");
    }

    @Test
    void aPartnerWithAVerifiedCertificateBypassesListsAndBlockList() {
        Decision d = stage.decide(client("192.0.2.7", "bob@fabrikam.test", LISTED, cert("mx1.fabrikam.test", true)));
        assertThat(d).isInstanceOf(Decision.Continue.class);
        assertThat(codes(d)).containsExactly("trust.connector", "trust.precedence");
        assertThat(d.reasons().get(0).evidence()).contains("partner-fabrikam").contains("verified certificate name mx1.fabrikam.test");
        assertThat(d.reasons().get(1).evidence()).contains("connector partner-fabrikam decides").contains("ip-block 192.0.2.0/24").contains("DNS lists");
    }

    @Test
    void anUnverifiedCertificateWithTheSameNameIsRefusedByTheConnectorsRequirement() {
        Decision d = stage.decide(client("198.18.0.1", "bob@fabrikam.test", LISTED, cert("mx1.fabrikam.test", false)));
        assertThat(d.primary().code()).isEqualTo(ReasonCode.CONNECTOR_REQUIREMENT_NOT_MET);
        assertThat(d.primary().evidence()).contains("verified TLS certificate named *.fabrikam.test");
    }

    @Test
    void thePartnersDomainWithoutTlsIsRefused() {
        Decision d = stage.decide(client("198.18.0.1", "bob@fabrikam.test", CLEAN, Optional.empty()));
        assertThat(d.primary().code()).isEqualTo(ReasonCode.CONNECTOR_REQUIREMENT_NOT_MET);
        assertThat(d.primary().evidence()).isEqualTo("mail from fabrikam.test must arrive over TLS (connector partner-fabrikam)");
        assertThat(d.primary().setting()).isEqualTo("tenants.contoso.connectors.partner-fabrikam.require-tls");
    }

    @Test
    void aConnectorRestrictedToIpsRefusesItsDomainFromElsewhere() {
        assertThat(stage.decide(client("198.18.0.1", "c@northwind.test", CLEAN, Optional.empty())).primary().evidence())
                .contains("must come from the connector's IP addresses, not 198.18.0.1");
        Decision inRange = stage.decide(client("233.252.0.9", "c@northwind.test", LISTED, Optional.empty()));
        assertThat(codes(inRange)).as("matched, but without bypass trust the lists still count")
                .containsExactly("trust.dnsbl-listed", "trust.connector", "trust.dnsbl-score", "trust.precedence");
    }

    @Test
    void aSenderDomainAloneGrantsNoTrust() {
        // fabrikam's domain with TLS but no certificate: scope yes, identity no — and require-tls with names wants a certificate
        Decision d = stage.decide(client("198.18.0.1", "bob@fabrikam.test", LISTED,
                Optional.of(new Evidence.TlsFacts("TLSv1.3", "x", Optional.empty(), List.of(), false))));
        assertThat(d).isInstanceOf(Decision.Reject.class);
    }

    @Test
    void nothingToSayIsSilent() {
        assertThat(stage.decide(client("198.18.0.1", "a@example.org", CLEAN, Optional.empty())).reasons()).isEmpty();
    }

    @Test
    void aTemporaryListFailureIsTracedNeverRefused() {
        Listings failed = new Listings("x", List.of(), List.of(new Listings.Failure("zen.test", "temporary DNS failure: timed out")), 10, true);
        Decision d = stage.decide(client("198.18.0.1", "a@example.org", failed, Optional.empty()));
        assertThat(d).isInstanceOf(Decision.Continue.class);
        assertThat(codes(d)).containsExactly("trust.dnsbl-tempfail");
    }

    @Test
    void anOnPremisesConnectorIsRecordedAsTheTenantsOwnMail() {
        Evidence e = client("2001:db8:1::25", "x@contoso.test", CLEAN, Optional.empty());
        Optional<MatchedConnector> c = new TenantTrusts().of(CONTOSO).matchedConnector(e);
        assertThat(c).hasValueSatisfying(m -> {
            assertThat(m.name()).isEqualTo("headquarters");
            assertThat(m.onPremises()).isTrue();
        });
    }

    @Test
    void wildcardsCoverExactlyOneLabel() {
        assertThat(ConnectorRule.namesMatch("*.fabrikam.test", "mx1.fabrikam.test")).isTrue();
        assertThat(ConnectorRule.namesMatch("*.fabrikam.test", "a.mx1.fabrikam.test")).isFalse();
        assertThat(ConnectorRule.namesMatch("*.fabrikam.test", "fabrikam.test")).isFalse();
        assertThat(ConnectorRule.namesMatch("mail.fabrikam.test", "*.fabrikam.test")).isTrue();
        assertThat(ConnectorRule.namesMatch("mail.fabrikam.test", "mail.fabrikam.test.evil.test")).isFalse();
    }
}
