package org.postern.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {

    @TempDir Path dir;

    /** The full example of INTERFACES §2 must load as written. */
    @Test
    void loadsTheDocumentedExample() throws Exception {
        Path f = dir.resolve("postern.yaml");
        Files.writeString(f, """
                node:
                  hostname: mx1.postern.test
                  data-dir: ./data
                listeners:
                  smtp:       { address: 127.0.0.1, port: 2525 }
                  submission: { address: 127.0.0.1, port: 2587 }
                  admin:      { address: 127.0.0.1, port: 8025 }
                tls:
                  certificate: ./certs/mx.pem
                  private-key: ./certs/mx.key
                  client-ca: ./certs/partners-ca.pem
                store: { url: "jdbc:h2:file:./data/postern" }
                redis: { url: "redis://127.0.0.1:6379" }
                dns:
                  servers: ["127.0.0.1:5354"]
                  timeout: 2s
                dnsbl:
                  - { zone: zen.dnsbl.test, weight: 10 }
                limits:
                  max-message-size: 35MB
                  max-recipients: 500
                  connections-per-ip: 20
                  messages-per-ip-per-minute: 600
                malware: { clamd: "tcp://127.0.0.1:3310" }
                content: { model: ./data/model.bin }
                outbound:
                  helo: mx1.postern.test
                  mx-port: 25
                  high-risk-pool: { source-address: 127.0.0.2, helo: hr.postern.test }
                operator:
                  blocked-ips: ["198.51.100.66/32"]
                tenants: []
                """);
        OperatorConfig c = ConfigLoader.load(f);
        assertThat(c.node().hostname()).isEqualTo("mx1.postern.test");
        assertThat(c.listeners().admin()).isPresent();
        assertThat(c.tls()).isPresent();
        assertThat(c.tls().get().clientCa()).contains("./certs/partners-ca.pem");
        assertThat(Units.bytes(c.limits().maxMessageSize())).isEqualTo(35L * 1024 * 1024);
        assertThat(c.dnsbl()).hasSize(1);
        assertThat(c.operator().blockedIps()).containsExactly("198.51.100.66/32");
        assertThat(c.outbound().flatMap(OperatorConfig.Outbound::mxPort)).contains(25);
        // Not named in the file: the embedded default applies.
        assertThat(Units.duration(c.delivery().maxAge())).isEqualTo(Duration.ofDays(2));
    }

    @Test
    void aFileNamesOnlyWhatItChanges() throws Exception {
        Path f = dir.resolve("small.yaml");
        Files.writeString(f, "limits: { max-recipients: 7 }\n");
        OperatorConfig c = ConfigLoader.load(f);
        assertThat(c.limits().maxRecipients()).isEqualTo(7);
        assertThat(c.limits().connectionsPerIp()).isEqualTo(20);
        assertThat(c.listeners().smtp().port()).isEqualTo(2525);
        assertThat(c.tls()).isEmpty();
        assertThat(c.listeners().submission()).isEmpty();
    }

    @Test
    void unknownKeysAreALoadErrorNamingTheKey() throws Exception {
        Path f = dir.resolve("typo.yaml");
        Files.writeString(f, "limits: { max-recipient: 7 }\n");
        assertThatThrownBy(() -> ConfigLoader.load(f)).isInstanceOf(ConfigException.class).hasMessageContaining("max-recipient");
    }

    @Test
    void badUnitsAndAddressesAreRefused() throws Exception {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, "limits: { max-message-size: lots }\n");
        assertThatThrownBy(() -> ConfigLoader.load(f)).hasMessageContaining("lots");
        Files.writeString(f, "operator: { blocked-ips: [not-an-ip] }\n");
        assertThatThrownBy(() -> ConfigLoader.load(f)).hasMessageContaining("operator.blocked-ips");
    }

    @Test
    void uriBlocklistsAreValidatedWithClearErrors() throws Exception {
        Path f = dir.resolve("uribl.yaml");
        Files.writeString(f, "content: { uribl: [ { zone: dbl.test, weight: 4 } ], uribl-max-domains: 10 }\n");
        OperatorConfig c = ConfigLoader.load(f);
        assertThat(c.content().orElseThrow().uribl()).containsExactly(new OperatorConfig.Uribl("dbl.test", java.util.Optional.of(4)));
        assertThat(c.content().orElseThrow().maxUriblDomains()).isEqualTo(10);
        assertThat(c.modelFile()).isEqualTo(Path.of(c.node().dataDir()).resolve("model.bin"));
        Files.writeString(f, "content: { uribl: [ { zone: dbl.test } ] }\n");
        assertThatThrownBy(() -> ConfigLoader.load(f)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("content.uribl: zone 'dbl.test' needs a weight of 1..10");
        Files.writeString(f, "content: { uribl: [ { zone: \"not a zone\", weight: 3 } ] }\n");
        assertThatThrownBy(() -> ConfigLoader.load(f)).hasMessageContaining("content.uribl: every entry needs a zone (a DNS name), not 'not a zone'");
        Files.writeString(f, "content: { uribl: [ { zone: dbl.test, weight: 3 }, { zone: DBL.test, weight: 2 } ] }\n");
        assertThatThrownBy(() -> ConfigLoader.load(f)).hasMessageContaining("listed twice");
        Files.writeString(f, "content: { uribl-max-domains: 0 }\n");
        assertThatThrownBy(() -> ConfigLoader.load(f)).hasMessageContaining("content.uribl-max-domains must be 1..100");
        Files.writeString(f, "content: { uribl: [ { zone: dbl.test, wieght: 3 } ] }\n");
        assertThatThrownBy(() -> ConfigLoader.load(f)).hasMessageContaining("wieght");
        Files.writeString(f, "content: { model: ./m.bin }\n");
        assertThat(ConfigLoader.load(f).modelFile()).isEqualTo(Path.of("./m.bin"));
    }

    @Test
    void malwareDefaultsFailClosedWithBuiltinChecksOnly() {
        OperatorConfig.Malware m = ConfigLoader.defaults().malware();
        assertThat(m.clamd()).isEmpty();
        assertThat(m.failOpen()).isFalse();
        assertThat(m.overStreamMaxLength()).isEqualTo("pass");
        assertThat(Units.bytes(m.streamMaxLength())).isEqualTo(25L * 1024 * 1024);
        assertThat(m.archives().maxDepth()).isEqualTo(5);
    }

    @Test
    void malwareKeysLoadAndMergeOverTheDefaults() throws Exception {
        Path f = dir.resolve("malware.yaml");
        Files.writeString(f, """
                malware:
                  clamd: "unix:///run/clamav/clamd.ctl"
                  fail-open: true
                  scan-timeout: 10s
                  archives: { max-ratio: 500 }
                """);
        OperatorConfig.Malware m = ConfigLoader.load(f).malware();
        assertThat(m.clamd()).contains("unix:///run/clamav/clamd.ctl");
        assertThat(m.failOpen()).isTrue();
        assertThat(Units.duration(m.scanTimeout())).isEqualTo(Duration.ofSeconds(10));
        assertThat(m.archives().maxRatio()).isEqualTo(500);
        assertThat(m.archives().maxEntries()).isEqualTo(10_000);
        assertThat(Units.duration(m.connectTimeout())).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void malwareMistakesAreRefusedNamingTheKey() throws Exception {
        Path f = dir.resolve("bad-malware.yaml");
        Files.writeString(f, "malware: { clamd: \"127.0.0.1:3310\" }\n");
        assertThatThrownBy(() -> ConfigLoader.load(f)).hasMessageContaining("malware.clamd");
        Files.writeString(f, "malware: { fail-closed: true }\n");
        assertThatThrownBy(() -> ConfigLoader.load(f)).isInstanceOf(ConfigException.class).hasMessageContaining("fail-closed");
        Files.writeString(f, "malware: { over-stream-max-length: reject }\n");
        assertThatThrownBy(() -> ConfigLoader.load(f)).hasMessageContaining("malware.over-stream-max-length");
        Files.writeString(f, "malware: { archives: { max-depth: 0 } }\n");
        assertThatThrownBy(() -> ConfigLoader.load(f)).hasMessageContaining("malware.archives.max-depth");
    }

    @Test
    void dnsListsTakeReturnCodesAndAThreshold() throws Exception {
        Path f = dir.resolve("lists.yaml");
        Files.writeString(f, """
                dnsbl:
                  - { zone: zen.dnsbl.test, return-codes: { "127.0.0.2": 10, "127.0.0.10": 3 } }
                  - { zone: list.dnswl.test, weight: -5 }
                dnsbl-threshold: 8
                limits: { connections-per-network: 30, recipients-per-ip-per-minute: 100 }
                smtp: { greet-pause: 2s }
                """);
        OperatorConfig c = ConfigLoader.load(f);
        assertThat(c.dnsbl().get(0).returnCodes()).containsEntry("127.0.0.2", 10).containsEntry("127.0.0.10", 3);
        assertThat(c.dnsbl().get(0).weight()).isEmpty();
        assertThat(c.dnsbl().get(1).weight()).contains(-5);
        assertThat(c.dnsblThreshold()).isEqualTo(8);
        assertThat(c.limits().connectionsPerNetwork()).isEqualTo(30);
        assertThat(Units.duration(c.smtp().greetPause())).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void badDnsListsAreRefusedNamingTheZone() throws Exception {
        Path f = dir.resolve("badlists.yaml");
        Files.writeString(f, "dnsbl: [ { zone: zen.dnsbl.test } ]\n");
        assertThatThrownBy(() -> ConfigLoader.load(f)).hasMessageContaining("zen.dnsbl.test").hasMessageContaining("weight or return-codes");
        Files.writeString(f, "dnsbl: [ { zone: zen.dnsbl.test, return-codes: { \"10.0.0.2\": 5 } } ]\n");
        assertThatThrownBy(() -> ConfigLoader.load(f)).hasMessageContaining("127.0.0.0/8");
        Files.writeString(f, "dnsbl-threshold: 0\n");
        assertThatThrownBy(() -> ConfigLoader.load(f)).hasMessageContaining("dnsbl-threshold");
        Files.writeString(f, "smtp: { greet-pause: 10m, command-timeout: 5m }\n");
        assertThatThrownBy(() -> ConfigLoader.load(f)).hasMessageContaining("smtp.greet-pause");
    }
}
