package org.postern.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** BDAT (RFC 3030 CHUNKING) over real sockets. */
class ChunkingTest {

    private static RawSmtpClient openTransaction(TestServer server) {
        RawSmtpClient c = server.connectAndEhlo();
        c.send("MAIL FROM:<alice@example.org>\r\nRCPT TO:<bob@example.net>\r\n");
        assertThat(c.replies(2)).extracting(RawSmtpClient.Reply::code).containsExactly(250, 250);
        return c;
    }

    private static String content(RecordingHandler h) {
        return new String(h.messages.get(0), StandardCharsets.ISO_8859_1);
    }

    @Test
    void assemblesPipelinedChunksSplitMidLineAndMidCrlf() {
        try (TestServer server = TestServer.start(); RawSmtpClient c = openTransaction(server)) {
            // chunk 1 ends inside a line, chunk 2 between CR and LF, chunk 3 starts with that LF
            c.send("BDAT 11\r\nSubject: chBDAT 6\r\nunk\r\n\rBDAT 10 LAST\r\n\nbody\r\n.\r\n");
            assertThat(c.replies(3)).extracting(RawSmtpClient.Reply::code).containsExactly(250, 250, 250);
            RecordingHandler h = server.handler(0);
            assertThat(content(h)).isEqualTo("Subject: chunk\r\n\r\nbody\r\n.\r\n"); // no dot-unstuffing in BDAT
            assertThat(h.events).contains("complete:27");
        }
    }

    @Test
    void endsTheMessageWithBdatZeroLast() {
        try (TestServer server = TestServer.start(); RawSmtpClient c = openTransaction(server)) {
            c.send("BDAT 12\r\nSubject: z\r\n");
            RawSmtpClient.Reply chunk = c.reply();
            assertThat(chunk.code()).isEqualTo(250);
            assertThat(chunk.text()).contains("12 octets");
            assertThat(c.command("BDAT 0 LAST").code()).isEqualTo(250);
            assertThat(content(server.handler(0))).isEqualTo("Subject: z\r\n");
        }
    }

    @Test
    void refusesBareLfInChunksAtBdatLastWith554() {
        try (TestServer server = TestServer.start(); RawSmtpClient c = openTransaction(server)) {
            c.send("BDAT 13\r\nSubject: z\n\r\n");
            assertThat(c.reply().code()).isEqualTo(250);
            c.send("BDAT 6 LAST\r\nbody\r\n");
            RawSmtpClient.Reply last = c.reply();
            assertThat(last.code()).isEqualTo(554);
            assertThat(last.text()).startsWith("5.6.0 ").contains("[ref=");
            RecordingHandler h = server.handler(0);
            assertThat(h.aborts).hasSize(1);
            assertThat(h.messages).isEmpty();
            assertThat(c.command("NOOP").code()).isEqualTo(250); // the session goes on
        }
    }

    @Test
    void refusesADotNextToABareCrInChunks() {
        try (TestServer server = TestServer.start(); RawSmtpClient c = openTransaction(server)) {
            c.send("BDAT 16 LAST\r\nhi\r.\rMAIL FROM\r\n");
            assertThat(c.reply().code()).isEqualTo(554);
            assertThat(server.handler(0).aborts).hasSize(1);
        }
    }

    @Test
    void refusesFurtherChunksAfterAFailedOneUntilRset() {
        try (TestServer server = TestServer.start(TestServer.settings().maxMessageSize(10).build());
             RawSmtpClient c = openTransaction(server)) {
            c.send("BDAT 20\r\n" + "x".repeat(20) + "BDAT 5 LAST\r\nyyyyy");
            RawSmtpClient.Reply tooBig = c.reply();
            assertThat(tooBig.code()).isEqualTo(552);
            assertThat(tooBig.text()).startsWith("5.3.4 ");
            RawSmtpClient.Reply after = c.reply();
            assertThat(after.code()).isEqualTo(503);
            assertThat(c.command("DATA").code()).isEqualTo(503);
            assertThat(c.command("RSET").code()).isEqualTo(250);
            RecordingHandler h = server.handler(0);
            assertThat(h.aborts).hasSize(1);
            assertThat(h.messages).isEmpty();
        }
    }

    @Test
    void refusesDataAfterBdatInTheSameTransaction() {
        try (TestServer server = TestServer.start(); RawSmtpClient c = openTransaction(server)) {
            c.send("BDAT 3\r\nabc");
            assertThat(c.reply().code()).isEqualTo(250);
            RawSmtpClient.Reply data = c.command("DATA");
            assertThat(data.code()).isEqualTo(503);
            assertThat(data.text()).startsWith("5.5.1 Error: DATA after BDAT");
        }
    }

    @Test
    void skipsTheChunkOfABdatOutOfSequence() {
        try (TestServer server = TestServer.start(); RawSmtpClient c = server.connectAndEhlo()) {
            c.send("BDAT 10\r\nNOOP\r\nNOOP");  // 10 octets: if they were read as commands we'd get 250s
            assertThat(c.reply().code()).isEqualTo(503);
            assertThat(c.command("NOOP").code()).isEqualTo(250);
            assertThat(server.handler(0).events).noneMatch(e -> e.startsWith("dataStart"));
        }
    }

    @Test
    void abortsTheMessageWhenTheClientVanishesMidChunk() {
        try (TestServer server = TestServer.start()) {
            RawSmtpClient c = openTransaction(server);
            c.send("BDAT 100\r\nonly part");
            c.close();
            RecordingHandler h = server.handler(0);
            assertThat(h.awaitClosed()).isEqualTo("disconnected");
            assertThat(h.aborts).hasSize(1);
            assertThat(h.messages).isEmpty();
        }
    }
}
