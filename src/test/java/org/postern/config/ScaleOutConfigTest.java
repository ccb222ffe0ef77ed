package org.postern.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The keys of several nodes: redis, node.name, the PROXY protocol on the SMTP listener. */
class ScaleOutConfigTest {

    @TempDir Path dir;

    private OperatorConfig load(String yaml) throws IOException {
        Path f = dir.resolve("postern.yaml");
        Files.writeString(f, yaml);
        return ConfigLoader.load(f);
    }

    @Test
    void redisHasADefaultPrefixAndTimeout() throws IOException {
        var c = load("redis: { url: \"redis://127.0.0.1:6379\" }\n");
        assertThat(c.redis()).hasValueSatisfying(r -> {
            assertThat(r.prefix()).isEqualTo("postern:");
            assertThat(r.timeout()).isEqualTo("500ms");
        });
        assertThat(load("redis: { url: \"rediss://user:pw@redis.internal:6380/2\", prefix: \"eu1:\", timeout: 2s }\n").redis().orElseThrow().prefix())
                .isEqualTo("eu1:");
        assertThat(OperatorConfig.defaults().redis()).isEmpty();
    }

    @Test
    void refusesABadRedisUrlOrTimeout() {
        assertThatThrownBy(() -> load("redis: { url: \"http://127.0.0.1:6379\" }\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("redis.url");
        assertThatThrownBy(() -> load("redis: { url: \"redis://127.0.0.1:6379\", timeout: soon }\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("soon");
        assertThatThrownBy(() -> load("redis: { url: \"redis://127.0.0.1:6379\", pool: 3 }\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("pool");
    }

    @Test
    void nodeNameDefaultsToTheMachinesHostName() throws IOException {
        assertThat(load("node: { name: edge-2 }\n").node().nodeName()).isEqualTo("edge-2");
        assertThat(OperatorConfig.defaults().node().nodeName()).isEqualTo(java.net.InetAddress.getLocalHost().getHostName());
    }

    @Test
    void theProxyProtocolNeedsTrustedProxiesAndIsForSmtpOnly() throws IOException {
        var smtp = load("listeners: { smtp: { address: 0.0.0.0, port: 25, proxy-protocol: true, trusted-proxies: [10.0.0.0/8, \"fd00::/8\"] } }\n")
                .listeners().smtp();
        assertThat(smtp.takesProxyProtocol()).isTrue();
        assertThat(smtp.proxyHeaderTimeout()).isEqualTo("5s");
        assertThat(OperatorConfig.defaults().listeners().smtp().takesProxyProtocol()).isFalse();
        assertThatThrownBy(() -> load("listeners: { smtp: { address: 0.0.0.0, port: 25, proxy-protocol: true } }\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("listeners.smtp.proxy-protocol needs trusted-proxies");
        assertThatThrownBy(() -> load("listeners: { smtp: { address: 0.0.0.0, port: 25, proxy-protocol: true, trusted-proxies: [10.0.0.0/33] } }\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("listeners.smtp.trusted-proxies");
        assertThatThrownBy(() -> load("listeners: { admin: { address: 127.0.0.1, port: 8025, proxy-protocol: true, trusted-proxies: [10.0.0.1] } }\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("listeners.admin");
    }
}
