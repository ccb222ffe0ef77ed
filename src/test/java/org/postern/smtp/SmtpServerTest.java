package org.postern.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The listener: ports, counting, draining on close, and many idle connections. */
class SmtpServerTest {

    @Test
    void bindsAnEphemeralPortAndCountsOpenConnections() {
        try (TestServer server = TestServer.start()) {
            assertThat(server.server.port()).isPositive();
            RawSmtpClient a = server.connect();
            a.reply(); // greeted: its handler is handler(0)
            RawSmtpClient b = server.connect();
            b.reply();
            assertThat(server.server.openConnections()).isEqualTo(2);
            a.command("QUIT");
            a.close();
            server.handler(0).awaitClosed();
            awaitOpen(server, 1);
            assertThat(server.server.acceptedConnections()).isEqualTo(2);
            b.close();
        }
    }

    @Test
    void drainsOnCloseIdleSessionsAtOnceAndBusyOnesAfterTheirTransaction() throws Exception {
        TestServer server = TestServer.start(TestServer.settings().shutdownGrace(Duration.ofSeconds(5)).build());
        RawSmtpClient idle = server.connectAndEhlo();
        RawSmtpClient busy = server.connectAndEhlo();
        busy.send("MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.net>\r\nDATA\r\n");
        assertThat(busy.replies(3)).extracting(RawSmtpClient.Reply::code).containsExactly(250, 250, 354);
        Thread closer = Thread.ofPlatform().start(() -> server.server.close());
        RawSmtpClient.Reply idleReply = idle.reply();
        assertThat(idleReply.code()).isEqualTo(421);
        assertThat(idleReply.text()).startsWith("4.3.2 mx.test Service shutting down");
        busy.send("Subject: last one\r\n\r\nstill delivered\r\n.\r\n");
        assertThat(busy.reply().code()).isEqualTo(250);
        assertThat(busy.reply().code()).isEqualTo(421);
        closer.join(10_000);
        assertThat(closer.isAlive()).isFalse();
        assertThat(server.server.openConnections()).isZero();
        assertThat(server.handler(1).messages).hasSize(1);
        assertThat(server.handler(0).awaitClosed()).isEqualTo("shutdown");
        assertThat(server.handler(1).awaitClosed()).isEqualTo("shutdown");
        idle.close();
        busy.close();
    }

    @Test
    void forceClosesSessionsStillBusyAfterTheGracePeriod() throws Exception {
        TestServer server = TestServer.start(TestServer.settings().shutdownGrace(Duration.ofMillis(300)).build());
        RawSmtpClient busy = server.connectAndEhlo();
        busy.command("MAIL FROM:<a@example.org>");
        long start = System.nanoTime();
        server.server.close();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(busy.closedByServer(Duration.ofSeconds(5))).isTrue();
        assertThat(server.handler(0).awaitClosed()).isEqualTo("shutdown");
        busy.close();
    }

    @Test
    void holdsFiveThousandIdleConnectionsInModestMemory() throws Exception {
        int connections = 5000;
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        try (TestServer server = TestServer.start()) {
            long before = usedHeapAfterGc(memory);
            List<Socket> sockets = new ArrayList<>(connections);
            try {
                byte[] banner = new byte[64];
                for (int i = 0; i < connections; i++) {
                    Socket s = new Socket();
                    s.connect(new InetSocketAddress("127.0.0.1", server.server.port()), 5000);
                    s.setSoTimeout(10_000);
                    sockets.add(s);
                }
                for (Socket s : sockets) {
                    InputStream in = s.getInputStream();
                    assertThat(in.read(banner)).isPositive(); // each session is running and greeted us
                }
                assertThat(server.server.openConnections()).isEqualTo(connections);
                long perConnection = (usedHeapAfterGc(memory) - before) / connections;
                // Measured ~15 KiB (8 KiB input buffer, both socket ends, handler, virtual thread stack);
                // 32 KiB leaves room for noise and still catches any large per-connection buffer.
                assertThat(perConnection).as("heap per idle connection").isLessThan(32 * 1024);
            } finally {
                for (Socket s : sockets) closeQuietly(s);
            }
            awaitOpen(server, 0);
        }
    }

    private static long usedHeapAfterGc(MemoryMXBean memory) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    private static void awaitOpen(TestServer server, int expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (server.server.openConnections() != expected) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("open connections " + server.server.openConnections() + " != " + expected);
            }
            Thread.onSpinWait();
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // cleanup
        }
    }
}
