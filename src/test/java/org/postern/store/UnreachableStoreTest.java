package org.postern.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** An unreachable store stops startup quickly with StoreUnavailableException; none of these need a server. */
class UnreachableStoreTest {

    private static final Duration FAST = Duration.ofSeconds(6);

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void failsFastWithStoreUnavailable(Executable open) {
        long start = System.nanoTime();
        assertThatThrownBy(open::execute).isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("store unreachable");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(FAST);
    }

    @Test
    void postgresOnAClosedPortFailsFast() throws IOException {
        int port = closedPort();
        failsFastWithStoreUnavailable(
                () -> Database.open("jdbc:postgresql://127.0.0.1:" + port + "/postern?user=postgres").close());
    }

    @Test
    void postgresServerThatNeverAnswersFailsFast() throws Exception {
        List<Socket> accepted = new CopyOnWriteArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept()); // hold the connection, never say a word
                    }
                } catch (IOException closed) {
                    // the server socket closed: test over
                }
            });
            failsFastWithStoreUnavailable(() -> Database.open(
                    "jdbc:postgresql://127.0.0.1:" + silent.getLocalPort() + "/postern?user=postgres").close());
        } finally {
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    @Test
    void h2ServerOnAClosedPortFailsFast() throws IOException {
        int port = closedPort();
        failsFastWithStoreUnavailable(() -> Database.open("jdbc:h2:tcp://127.0.0.1:" + port + "/postern").close());
    }

    @Test
    void aUrlOfAnotherDatabaseIsAConfigurationError() {
        assertThatThrownBy(() -> Database.open("jdbc:mysql://127.0.0.1/postern"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unsupported store url");
    }
}
