package org.postern.admin;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.config.ConfigException;
import org.postern.config.ConfigLoader;
import org.postern.edge.Gateway;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A node whose admin port is taken does not start half-way: it fails naming the key and leaves nothing running. */
class AdminPortTakenTest {

    @Test
    void failsNamingListenersAdminWhenThePortIsTaken(@TempDir Path dir) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Path config = Files.writeString(dir.resolve("postern.yaml"), """
                    node: { hostname: mx.port.postern.test, data-dir: "%1$s" }
                    listeners: { smtp: { address: 127.0.0.1, port: 0 }, admin: { address: 127.0.0.1, port: %2$d } }
                    store: { url: "jdbc:h2:file:%1$s/postern" }
                    """.formatted(dir, taken.getLocalPort()));
            assertThatThrownBy(() -> Gateway.start(ConfigLoader.load(config)))
                    .isInstanceOf(ConfigException.class).hasMessageContaining("listeners.admin");
            // everything the half-started node opened was closed: the same data directory starts again
            Files.writeString(config, Files.readString(config).replace("port: " + taken.getLocalPort(), "port: 0"));
            Gateway.start(ConfigLoader.load(config)).close();
        }
    }
}
