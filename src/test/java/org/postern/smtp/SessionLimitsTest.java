package org.postern.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Per-session limits, and failing closed when the handler or its sink fails. */
class SessionLimitsTest {

    @Test
    void closesWith421AfterTooManyCommands() {
        try (TestServer server = TestServer.start(TestServer.settings().maxCommands(3).build());
             RawSmtpClient c = server.connect()) {
            c.reply();
            c.send("NOOP\r\nNOOP\r\nNOOP\r\nNOOP\r\n");
            assertThat(c.replies(4)).extracting(RawSmtpClient.Reply::code).containsExactly(250, 250, 250, 421);
            assertThat(server.handler(0).awaitClosed()).isEqualTo("too-many-commands");
        }
    }

    @Test
    void closesWith421AfterTooManyTransactions() {
        try (TestServer server = TestServer.start(TestServer.settings().maxTransactions(1).build());
             RawSmtpClient c = server.connectAndEhlo()) {
            assertThat(c.command("MAIL FROM:<a@example.org>").code()).isEqualTo(250);
            c.command("RSET");
            RawSmtpClient.Reply second = c.command("MAIL FROM:<a@example.org>");
            assertThat(second.code()).isEqualTo(421);
            assertThat(second.text()).startsWith("4.7.0 mx.test Error: too many messages");
            assertThat(server.handler(0).awaitClosed()).isEqualTo("too-many-transactions");
        }
    }

    @Test
    void resetsTheErrorCountAfterADeliveredMessage() {
        try (TestServer server = TestServer.start(TestServer.settings().maxErrors(3).build());
             RawSmtpClient c = server.connectAndEhlo()) {
            c.send("X\r\nY\r\n");
            c.replies(2);
            c.send("MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.net>\r\nDATA\r\n");
            c.replies(3);
            assertThat(c.command("Subject: s\r\n\r\nb\r\n.").code()).isEqualTo(250);
            c.send("X\r\nY\r\n");
            assertThat(c.replies(2)).extracting(RawSmtpClient.Reply::code).containsExactly(500, 500);
            assertThat(c.command("NOOP").code()).isEqualTo(250); // still open: 2 errors since delivery
        }
    }

    @Test
    void answers451WhenTheHandlerThrowsAndCarriesOn() {
        try (TestServer server = TestServer.start(TestServer.settings().build(), h -> h.rcptAnswer = r -> {
            throw new IllegalStateException("policy bug");
        }); RawSmtpClient c = server.connectAndEhlo()) {
            c.command("MAIL FROM:<a@example.org>");
            RawSmtpClient.Reply reply = c.command("RCPT TO:<b@example.net>");
            assertThat(reply.code()).isEqualTo(451);
            assertThat(reply.text()).startsWith("4.3.0 ").contains("[ref=");
            assertThat(c.command("DATA").code()).isEqualTo(554); // no recipient was accepted
            assertThat(c.command("NOOP").code()).isEqualTo(250);
        }
    }

    @Test
    void answers451AfterTheDataWhenTheSinkFails() {
        try (TestServer server = TestServer.start(TestServer.settings().build(), h -> h.sinkFails = true);
             RawSmtpClient c = server.connectAndEhlo()) {
            c.send("MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.net>\r\nDATA\r\n");
            c.replies(3);
            c.send("Subject: s\r\n\r\n" + "line\r\n".repeat(5000) + ".\r\nNOOP\r\n");
            RawSmtpClient.Reply reply = c.reply();
            assertThat(reply.code()).isEqualTo(451);
            assertThat(reply.text()).startsWith("4.3.0 ");
            assertThat(c.reply().code()).isEqualTo(250);
            RecordingHandler h = server.handler(0);
            assertThat(h.aborts).hasSize(1);
            assertThat(h.eventsStartingWith("complete")).isEmpty();
        }
    }

    @Test
    void closesASessionWhoseClientStopsReadingReplies() throws Exception {
        SmtpSettings settings = TestServer.settings().commandTimeout(Duration.ofMillis(500)).maxCommands(10_000_000)
                .maxErrors(10_000_000).build();
        try (TestServer server = TestServer.start(settings); Socket s = new Socket()) {
            s.setReceiveBufferSize(4096); // so the server's writes back up after a few MB, not tens
            s.connect(new InetSocketAddress("127.0.0.1", server.server.port()));
            byte[] batch = "HELP\r\n".repeat(10_000).getBytes(StandardCharsets.US_ASCII);
            Thread writer = Thread.ofPlatform().daemon().start(() -> {
                try {
                    OutputStream out = s.getOutputStream();
                    for (int i = 0; i < 2_000; i++) out.write(batch); // never reads a single reply
                } catch (IOException expected) {
                    // the server gave up on us
                }
            });
            RecordingHandler h = server.handler(0);
            assertThat(h.awaitClosed()).isEqualTo("write-stalled");
            s.close();
            writer.join(5000);
        }
    }
}
