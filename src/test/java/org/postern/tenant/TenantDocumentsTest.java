package org.postern.tenant;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TenantDocumentsTest {

    /** The full example of INTERFACES §3 must load as written. */
    static final String INTERFACES_EXAMPLE = """
            - id: contoso
              domains: [contoso.test, contoso-corp.test]
              recipients: [alice@contoso.test, bob@contoso.test]
              delivery: "smtp://127.0.0.1:2626"
              ip-allow: [{ cidr: 203.0.113.0/24, expires: 2026-12-01T00:00:00Z }]
              ip-block: [{ cidr: 192.0.2.0/24 }]
              connectors:
                - name: partner-fabrikam
                  kind: partner
                  match: { tls-cert-names: [mail.fabrikam.test], ips: [], sender-domains: [fabrikam.test] }
                  require-tls: true
                  trust: bypass-ip-filtering
              anti-spam:
                mode: quarantine
                junk-at: 5
                quarantine-at: 7
                reject-at: 9
                allowed-senders: [newsletter@partner.test]
                blocked-senders: [spam@bad.test]
              anti-malware: { blocked-file-types: [exe, scr, js, vbs, iso, lnk] }
              transport-rules:
                - name: trust-payroll-service
                  priority: 10
                  when: { sender-domain-is: [payroll.test] }
                  except: { subject-contains: ["[external]"] }
                  then: { set-scl: -1 }
              quarantine: { retention: 30d }
              dkim: [{ domain: contoso.test, selector: s1 }]
              outbound: { recipients-per-hour: 500, recipients-per-day: 2000, on-limit: restrict }
            """;

    @Test
    void loadsTheDocumentedExample() {
        List<Tenant> tenants = TenantDocuments.parse(INTERFACES_EXAMPLE);
        assertThat(tenants).hasSize(1);
        Tenant t = tenants.get(0);
        assertThat(t.id()).isEqualTo("contoso");
        assertThat(t.domains()).containsExactlyInAnyOrder("contoso.test", "contoso-corp.test");
        assertThat(t.knowsRecipient("Alice@Contoso.TEST")).isTrue();
        assertThat(t.knowsRecipient("carol@contoso.test")).isFalse();
        assertThat(t.document().connectors().get(0).trust()).contains("bypass-ip-filtering");
        assertThat(t.document().ipAllow().get(0).expires()).isPresent();
    }

    @Test
    void storedFormRoundTrips() {
        Tenant t = TenantDocuments.parse(INTERFACES_EXAMPLE).get(0);
        Tenant back = TenantDocuments.fromJson(TenantDocuments.toJson(t.document()));
        assertThat(back).isEqualTo(t);
    }

    @Test
    void internationalDomainsCompareAsALabels() {
        Tenant t = TenantDocuments.parse("""
                id: buecher
                domains: [Bücher.test]
                delivery: maildir:/tmp/x
                """).get(0);
        assertThat(t.domains()).containsExactly("xn--bcher-kva.test");
        assertThat(Domains.ofAddress("info@BÜCHER.test")).isEqualTo("xn--bcher-kva.test");
        assertThat(Domains.ofAddress("info@XN--BCHER-KVA.test")).isEqualTo("xn--bcher-kva.test");
    }

    @Test
    void refusesUnknownKeysNamingTenantAndField() {
        assertThatThrownBy(() -> TenantDocuments.parse("""
                id: contoso
                domains: [contoso.test]
                delivery: maildir:/tmp/x
                anti-spam: { junk-att: 5 }
                """)).isInstanceOf(TenantValidationException.class)
                .hasMessageContaining("tenant 'contoso'").hasMessageContaining("junk-att");
    }

    @Test
    void refusesBadValuesNamingTheField() {
        assertThatThrownBy(() -> TenantDocuments.parse("id: c\ndomains: [c.test]\ndelivery: ftp://x\n"))
                .hasMessageContaining("delivery");
        assertThatThrownBy(() -> TenantDocuments.parse("id: c\ndomains: [c.test]\ndelivery: maildir:/x\nip-block: [{cidr: 300.1.1.1/8}]\n"))
                .hasMessageContaining("ip-block");
        assertThatThrownBy(() -> TenantDocuments.parse("id: c\ndomains: [c.test]\ndelivery: maildir:/x\nrecipients: [a@other.test]\n"))
                .hasMessageContaining("recipients");
        assertThatThrownBy(() -> TenantDocuments.parse("id: C_1\ndomains: [c.test]\ndelivery: maildir:/x\n"))
                .hasMessageContaining("tenant id");
        assertThatThrownBy(() -> TenantDocuments.parse("id: c\ndomains: []\ndelivery: maildir:/x\n"))
                .hasMessageContaining("domains");
        assertThatThrownBy(() -> TenantDocuments.parse("id: c\ndomains: [c.test]\ndelivery: maildir:/x\nanti-spam: {junk-at: 12}\n"))
                .hasMessageContaining("junk-at");
    }

    @Test
    void refusesADomainClaimedTwiceInOneDocument() {
        assertThatThrownBy(() -> TenantDocuments.parse("""
                - { id: a, domains: [shared.test], delivery: "maildir:/x" }
                - { id: b, domains: [SHARED.test], delivery: "maildir:/y" }
                """)).hasMessageContaining("shared.test");
    }

    @Test
    void antiMalwareKeysAreValidated() {
        Tenant t = TenantDocuments.parse("""
                id: contoso
                domains: [contoso.test]
                delivery: maildir:/tmp/x
                anti-malware: { blocked-file-types: [exe, iso], action: quarantine, encrypted-archives: allow, macros: block }
                """).get(0);
        assertThat(t.document().antiMalware().get().action()).contains("quarantine");
        assertThat(TenantDocuments.fromJson(TenantDocuments.toJson(t.document()))).isEqualTo(t);
        assertThatThrownBy(() -> TenantDocuments.parse("""
                id: contoso
                domains: [contoso.test]
                delivery: maildir:/tmp/x
                anti-malware: { blocked-file-types: [exe, executable] }
                """)).isInstanceOf(TenantValidationException.class)
                .hasMessageContaining("tenant 'contoso'").hasMessageContaining("anti-malware.blocked-file-types")
                .hasMessageContaining("executable");
        assertThatThrownBy(() -> TenantDocuments.parse("""
                id: contoso
                domains: [contoso.test]
                delivery: maildir:/tmp/x
                anti-malware: { action: deliver }
                """)).hasMessageContaining("anti-malware.action");
        assertThatThrownBy(() -> TenantDocuments.parse("""
                id: contoso
                domains: [contoso.test]
                delivery: maildir:/tmp/x
                anti-malware: { macro: block }
                """)).hasMessageContaining("macro");
    }

    @Test
    void refusesConnectorsAndHopsThatCannotWork() {
        String base = "id: c\ndomains: [c.test]\ndelivery: maildir:/x\n";
        assertThatThrownBy(() -> TenantDocuments.parse(base + """
                connectors: [ { name: p, kind: partner, match: { sender-domains: [p.test] }, restrict-to-ips: true } ]
                """)).hasMessageContaining("p.restrict-to-ips needs match.ips");
        assertThatThrownBy(() -> TenantDocuments.parse(base + """
                connectors: [ { name: p, kind: partner, match: { tls-cert-names: ["mail..p.test"] } } ]
                """)).hasMessageContaining("p.match.tls-cert-names");
        assertThatThrownBy(() -> TenantDocuments.parse(base + "enhanced-filtering: { skip-ips: [nope] }\n"))
                .hasMessageContaining("enhanced-filtering.skip-ips");
        Tenant ok = TenantDocuments.parse(base + """
                ip-allow: [ { cidr: "2001:db8::/32", expires: 2026-12-01T00:00:00Z, comment: trial } ]
                connectors: [ { name: p, kind: on-premises, match: { tls-cert-names: ["*.c.test"], ips: [192.0.2.0/24] } } ]
                enhanced-filtering: { skip-ips: [198.51.100.0/24] }
                """).get(0);
        assertThat(ok.document().enhancedFiltering()).isPresent();
        assertThat(TenantDocuments.fromJson(TenantDocuments.toJson(ok.document())).document()).isEqualTo(ok.document());
    }
}
