package org.postern.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** DATA over real sockets: dot-stuffing, limits, and the SMTP smuggling defences. */
class DataTransferTest {

    /** A smuggled second transaction: if it ever ran, the handler would see "mail:evil@example.org". */
    private static final String SMUGGLED = "MAIL FROM:<evil@example.org>\r\nRCPT TO:<victim@example.net>\r\nDATA\r\n"
            + "Subject: smuggled\r\n\r\nforged\r\n.\r\n";

    private static RawSmtpClient openData(TestServer server) {
        RawSmtpClient c = server.connectAndEhlo();
        c.send("MAIL FROM:<alice@example.org>\r\nRCPT TO:<bob@example.net>\r\nDATA\r\n");
        assertThat(c.replies(3)).extracting(RawSmtpClient.Reply::code).containsExactly(250, 250, 354);
        return c;
    }

    private static String content(RecordingHandler h) {
        return new String(h.messages.get(0), StandardCharsets.ISO_8859_1);
    }

    @Test
    void removesDotStuffingAndKeepsEverythingElse() {
        try (TestServer server = TestServer.start(); RawSmtpClient c = openData(server)) {
            c.send("Subject: dots\r\n\r\n..one\r\n..\r\n...\r\n.\r\n");
            assertThat(c.reply().code()).isEqualTo(250);
            assertThat(content(server.handler(0))).isEqualTo("Subject: dots\r\n\r\n.one\r\n.\r\n..\r\n");
        }
    }

    @Test
    void acceptsAnEmptyMessage() {
        try (TestServer server = TestServer.start(); RawSmtpClient c = openData(server)) {
            c.send(".\r\n");
            assertThat(c.reply().code()).isEqualTo(250);
            assertThat(server.handler(0).events).contains("complete:0");
        }
    }

    @Test
    void keepsAStrayCrInsideALineAsData() {
        try (TestServer server = TestServer.start(); RawSmtpClient c = openData(server)) {
            c.send("Subject: cr\r\n\r\na\rb\r\nend\r\r\n.\r\n");
            assertThat(c.reply().code()).isEqualTo(250);
            assertThat(content(server.handler(0))).isEqualTo("Subject: cr\r\n\r\na\rb\r\nend\r\r\n");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"LF.LF", "LF.CRLF", "CRLF.LF", "bare LF in a header"})
    void rejectsBareLfInDataWith521AndCloses(String pattern) {
        String payload = switch (pattern) {
            case "LF.LF" -> "Subject: x\r\n\r\nhello\n.\n" + SMUGGLED;
            case "LF.CRLF" -> "Subject: x\r\n\r\nhello\n.\r\n" + SMUGGLED;
            case "CRLF.LF" -> "Subject: x\r\n\r\nhello\r\n.\n" + SMUGGLED;
            default -> "Subject: x\nTo: y\r\n\r\nhello\r\n.\r\n" + SMUGGLED;
        };
        try (TestServer server = TestServer.start(); RawSmtpClient c = openData(server)) {
            c.send(payload);
            RawSmtpClient.Reply reply = c.reply();
            assertThat(reply.code()).isEqualTo(521);
            assertThat(reply.text()).startsWith("5.5.2 Error: bare <LF> received, closing [ref=");
            assertThat(c.closedByServer(Duration.ofSeconds(5))).isTrue();
            RecordingHandler h = server.handler(0);
            assertThat(h.awaitClosed()).isEqualTo("bare-lf");
            assertThat(h.aborts).hasSize(1);
            assertThat(h.messages).isEmpty();
            assertThat(h.eventsStartingWith("mail:")).containsExactly("mail:alice@example.org");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"CR.CR", "CR.CRLF", "CRLF.CR"})
    void refusesADotNextToABareCrAsMalformedEndOfData(String pattern) {
        String fakeEnd = switch (pattern) {
            case "CR.CR" -> "hello\r.\r";
            case "CR.CRLF" -> "hello\r.\r\n";
            default -> "hello\r\n.\r";
        };
        try (TestServer server = TestServer.start(); RawSmtpClient c = openData(server)) {
            c.send("Subject: x\r\n\r\n" + fakeEnd + SMUGGLED);
            RawSmtpClient.Reply reply = c.reply();
            // The smuggled "DATA ... .\r\n" ends the real data; its text was content, never commands.
            assertThat(reply.code()).isEqualTo(554);
            assertThat(reply.text()).startsWith("5.6.0 Malformed end of data [ref=");
            assertThat(c.command("NOOP").code()).isEqualTo(250);
            RecordingHandler h = server.handler(0);
            assertThat(h.eventsStartingWith("mail:")).containsExactly("mail:alice@example.org");
            assertThat(h.aborts).hasSize(1);
            assertThat(h.messages).isEmpty();
        }
    }

    @Test
    void refusesAMessageLargerThanTheLimitAfterReadingItToTheEnd() {
        try (TestServer server = TestServer.start(TestServer.settings().maxMessageSize(1000).build());
             RawSmtpClient c = openData(server)) {
            c.send("Subject: big\r\n\r\n" + "0123456789\r\n".repeat(200) + ".\r\nNOOP\r\n");
            RawSmtpClient.Reply reply = c.reply();
            assertThat(reply.code()).isEqualTo(552);
            assertThat(reply.text()).startsWith("5.3.4 ");
            assertThat(c.reply().code()).isEqualTo(250); // in step: the NOOP after the data is a command again
            RecordingHandler h = server.handler(0);
            assertThat(h.aborts).hasSize(1);
            assertThat(h.largestSinkWrite.get()).isLessThanOrEqualTo(1000);
        }
    }

    @Test
    void refusesATenMegabyteLineInDataWithoutHoldingIt() {
        int cap = 64 * 1024;
        try (TestServer server = TestServer.start(TestServer.settings().maxDataLineLength(cap).build());
             RawSmtpClient c = openData(server)) {
            byte[] line = new byte[10 * 1024 * 1024];
            Arrays.fill(line, (byte) 'y');
            c.send("Subject: long\r\n\r\n");
            c.sendBytes(line);
            c.send("\r\n.\r\n");
            RawSmtpClient.Reply reply = c.reply();
            assertThat(reply.code()).isEqualTo(552);
            assertThat(reply.text()).startsWith("5.3.4 Message has a line longer than 65536 octets");
            RecordingHandler h = server.handler(0);
            assertThat(h.largestSinkWrite.get()).isLessThanOrEqualTo(cap + SmtpInput.BUFFER_SIZE);
            assertThat(h.aborts).hasSize(1);
            assertThat(c.command("NOOP").code()).isEqualTo(250);
        }
    }

    @Test
    void abortsTheMessageWhenTheClientVanishesMidData() {
        try (TestServer server = TestServer.start()) {
            RawSmtpClient c = openData(server);
            c.send("Subject: cut\r\n\r\nhalf a mess");
            c.close();
            RecordingHandler h = server.handler(0);
            assertThat(h.awaitClosed()).isEqualTo("disconnected");
            assertThat(h.aborts).hasSize(1);
            assertThat(h.messages).isEmpty();
        }
    }

    @Test
    void abortsTheMessageAndAnswers421WhenDataStalls() {
        SmtpSettings settings = TestServer.settings().dataBlockTimeout(Duration.ofMillis(300)).build();
        try (TestServer server = TestServer.start(settings); RawSmtpClient c = openData(server)) {
            c.send("Subject: slow\r\n");
            RawSmtpClient.Reply reply = c.reply();
            assertThat(reply.code()).isEqualTo(421);
            assertThat(reply.text()).startsWith("4.4.2 mx.test Error: timeout exceeded");
            RecordingHandler h = server.handler(0);
            assertThat(h.awaitClosed()).isEqualTo("timeout");
            assertThat(h.aborts).hasSize(1);
        }
    }

    @Test
    void answers421WhenNoDataFollows354() {
        SmtpSettings settings = TestServer.settings().dataInitiationTimeout(Duration.ofMillis(300)).build();
        try (TestServer server = TestServer.start(settings); RawSmtpClient c = openData(server)) {
            assertThat(c.reply().code()).isEqualTo(421);
            RecordingHandler h = server.handler(0);
            assertThat(h.awaitClosed()).isEqualTo("timeout");
            assertThat(h.aborts).containsExactly("timeout during DATA");
        }
    }

    @Test
    void writesTheSinksAnswerAndResetsTheHandlerBeforeTheNextMail() {
        try (TestServer server = TestServer.start(TestServer.settings().build(),
                h -> h.completeAnswer = Reply.of(550, "5.7.1", "Spam [ref=X1]"));
             RawSmtpClient c = openData(server)) {
            c.send("Subject: spam\r\n\r\nbuy\r\n.\r\n");
            assertThat(c.reply()).isEqualTo(new RawSmtpClient.Reply(550, java.util.List.of("5.7.1 Spam [ref=X1]")));
            assertThat(c.command("MAIL FROM:<alice@example.org>").code()).isEqualTo(250);
            assertThat(server.handler(0).events).containsSubsequence("complete:22", "reset", "mail:alice@example.org");
        }
    }
}
