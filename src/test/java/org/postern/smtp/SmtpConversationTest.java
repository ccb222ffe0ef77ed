package org.postern.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The command conversation over real sockets: order, syntax, limits, and what the handler gets to see. */
class SmtpConversationTest {

    @Test
    void deliversAPipelinedTransactionAndAnswersTheBatchInOrder() {
        try (TestServer server = TestServer.start(); RawSmtpClient c = server.connectAndEhlo()) {
            c.send("MAIL FROM:<alice@example.org>\r\nRCPT TO:<bob@example.net>\r\nRCPT TO:<carol@example.net>\r\n"
                    + "DATA\r\n");
            List<RawSmtpClient.Reply> replies = c.replies(4);
            assertThat(replies).extracting(RawSmtpClient.Reply::code).containsExactly(250, 250, 250, 354);
            c.send("Subject: hi\r\n\r\nbody\r\n.\r\nQUIT\r\n");
            assertThat(c.reply().code()).isEqualTo(250);
            assertThat(c.reply().code()).isEqualTo(221);
            RecordingHandler h = server.handler(0);
            assertThat(h.awaitClosed()).isEqualTo("quit");
            assertThat(new String(h.messages.get(0), StandardCharsets.US_ASCII)).isEqualTo("Subject: hi\r\n\r\nbody\r\n");
            assertThat(h.events).containsSubsequence("connect", "ehlo:client.test", "mail:alice@example.org",
                    "rcpt:bob@example.net", "rcpt:carol@example.net", "dataStart", "openMessage", "complete:21",
                    "closed:quit");
        }
    }

    @Test
    void advertisesTheExtensionKeywordsInEhlo() {
        SmtpSettings settings = TestServer.settings().maxMessageSize(1_000_000).build();
        try (TestServer server = TestServer.start(settings); RawSmtpClient c = server.connect()) {
            assertThat(c.reply().text()).isEqualTo("mx.test ESMTP Postern");
            RawSmtpClient.Reply ehlo = c.command("EHLO client.test");
            assertThat(ehlo.code()).isEqualTo(250);
            assertThat(ehlo.lines()).containsExactly("mx.test", "PIPELINING", "SIZE 1000000", "ENHANCEDSTATUSCODES",
                    "8BITMIME", "SMTPUTF8", "CHUNKING"); // no STARTTLS: this server has no TLS
        }
    }

    @Test
    void answersHeloWithOurHostnameOnly() {
        try (TestServer server = TestServer.start(); RawSmtpClient c = server.connect()) {
            c.reply();
            assertThat(c.command("HELO client.test")).isEqualTo(new RawSmtpClient.Reply(250, List.of("mx.test")));
        }
    }

    @Test
    void refusesCommandsOutOfSequenceWith503() {
        try (TestServer server = TestServer.start(); RawSmtpClient c = server.connect()) {
            c.reply();
            assertThat(c.command("MAIL FROM:<a@example.org>").text()).startsWith("5.5.1 Error: send HELO/EHLO first");
            c.command("EHLO client.test");
            assertThat(c.command("RCPT TO:<b@example.net>").text()).startsWith("5.5.1 Error: need MAIL command");
            assertThat(c.command("DATA").text()).startsWith("5.5.1 Error: need MAIL command");
            c.command("MAIL FROM:<a@example.org>");
            assertThat(c.command("DATA").text()).startsWith("5.5.1 Error: need RCPT command");
            assertThat(c.command("MAIL FROM:<a@example.org>").text()).startsWith("5.5.1 Error: nested MAIL");
            RecordingHandler h = server.handler(0);
            assertThat(h.eventsStartingWith("mail:")).hasSize(1);
            assertThat(h.eventsStartingWith("dataStart")).isEmpty();
            assertThat(h.refusals).extracting(Reply::code).containsExactly(503, 503, 503, 503, 503);
        }
    }

    @Test
    void answersDataWith554WhenEveryRecipientWasRefused() {
        try (TestServer server = TestServer.start(TestServer.settings().build(),
                h -> h.rcptAnswer = r -> Reply.of(550, "5.1.1", "No such user"));
             RawSmtpClient c = server.connectAndEhlo()) {
            c.command("MAIL FROM:<a@example.org>");
            assertThat(c.command("RCPT TO:<nobody@example.net>").code()).isEqualTo(550);
            RawSmtpClient.Reply data = c.command("DATA");
            assertThat(data.code()).isEqualTo(554);
            assertThat(data.text()).startsWith("5.5.1 Error: no valid recipients");
        }
    }

    @Test
    void everyRefusalTheSessionMakesCarriesTheReference() {
        try (TestServer server = TestServer.start(); RawSmtpClient c = server.connect()) {
            c.reply();
            List<RawSmtpClient.Reply> refusals = List.of(
                    c.command("MAIL FROM:<a@example.org>"),
                    c.command("BOGUS"),
                    c.command("EHLO"),
                    c.command("EXPN staff"),
                    c.command("AUTH PLAIN AGFsaWNlAHNlY3JldA=="));
            RecordingHandler h = server.handler(0);
            assertThat(refusals).allSatisfy(r -> {
                assertThat(r.code()).isGreaterThanOrEqualTo(500);
                assertThat(r.last()).endsWith(" [ref=" + h.ref + "]");
            });
            // AUTH before EHLO: out of sequence before it is unimplemented
            assertThat(refusals).extracting(RawSmtpClient.Reply::code).containsExactly(503, 500, 501, 502, 503);
            assertThat(h.refusals).hasSize(5);
        }
    }

    @Test
    void answersVrfyWith252AndHelpWith214AndNoopWith250() {
        try (TestServer server = TestServer.start(); RawSmtpClient c = server.connect()) {
            c.reply();
            assertThat(c.command("VRFY postmaster").text()).startsWith("2.5.0 ");
            assertThat(c.command("VRFY postmaster").code()).isEqualTo(252);
            assertThat(c.command("HELP").code()).isEqualTo(214);
            assertThat(c.command("NOOP").code()).isEqualTo(250);
            assertThat(c.command("RSET").code()).isEqualTo(250);
            assertThat(c.command("QUIT").code()).isEqualTo(221);
            assertThat(c.closedByServer(Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void answersEachLineOfPipelinedGarbageAndStaysInStep() {
        try (TestServer server = TestServer.start(); RawSmtpClient c = server.connectAndEhlo()) {
            c.send("MAIL FROM:<a@example.org>\r\nFOO bar\r\nRCPT TO:<b@example.net>\r\nRCPT TO:<bad address>\r\n"
                    + "\r\nMAIL FROM:<x\r\nRCPT TO:<c@example.net> NOTIFY=NEVER\r\nNOOP\r\n");
            assertThat(c.replies(8)).extracting(RawSmtpClient.Reply::code)
                    .containsExactly(250, 500, 250, 501, 500, 501, 555, 250);
        }
    }

    @Test
    void acceptsTheCommonSpaceAfterTheColonButNoMore() {
        try (TestServer server = TestServer.start(); RawSmtpClient c = server.connectAndEhlo()) {
            assertThat(c.command("MAIL FROM: <a@example.org>").code()).isEqualTo(250);
            assertThat(c.command("RCPT TO:  <b@example.net>").code()).isEqualTo(501);
            assertThat(c.command("RCPT TO:<@relay.example,@other.example:b@example.net>").code()).isEqualTo(250);
            assertThat(server.handler(0).eventsStartingWith("rcpt:")).containsExactly("rcpt:b@example.net");
        }
    }

    @Test
    void refusesADeclaredSizeOverTheLimitAtMail() {
        try (TestServer server = TestServer.start(TestServer.settings().maxMessageSize(10_000).build());
             RawSmtpClient c = server.connectAndEhlo()) {
            RawSmtpClient.Reply reply = c.command("MAIL FROM:<a@example.org> SIZE=10001");
            assertThat(reply.code()).isEqualTo(552);
            assertThat(reply.text()).startsWith("5.3.4 ");
            assertThat(c.command("MAIL FROM:<a@example.org> SIZE=10000").code()).isEqualTo(250);
            assertThat(server.handler(0).eventsStartingWith("mail:")).hasSize(1);
        }
    }

    @Test
    void refusesUnknownAndBinaryMimeParametersWith555() {
        try (TestServer server = TestServer.start(); RawSmtpClient c = server.connectAndEhlo()) {
            assertThat(c.command("MAIL FROM:<a@example.org> RET=HDRS").code()).isEqualTo(555);
            assertThat(c.command("MAIL FROM:<a@example.org> BODY=BINARYMIME").code()).isEqualTo(555);
            assertThat(c.command("MAIL FROM:<a@example.org> BODY=8BITMIME SMTPUTF8").code()).isEqualTo(250);
        }
    }

    @Test
    void refusesAnOverlongCommandLineWithoutBufferingIt() {
        try (TestServer server = TestServer.start(); RawSmtpClient c = server.connectAndEhlo()) {
            byte[] line = new byte[10 * 1024 * 1024 + 7];
            java.util.Arrays.fill(line, (byte) 'x');
            System.arraycopy("NOOP ".getBytes(StandardCharsets.US_ASCII), 0, line, 0, 5);
            line[line.length - 2] = '\r';
            line[line.length - 1] = '\n';
            c.sendBytes(line);
            RawSmtpClient.Reply reply = c.reply();
            assertThat(reply.code()).isEqualTo(500);
            assertThat(reply.text()).startsWith("5.5.2 Error: line too long");
            assertThat(c.command("NOOP").code()).isEqualTo(250);
        }
    }

    @Test
    void refusesNulAndBareLfInCommandsWith500() {
        try (TestServer server = TestServer.start(); RawSmtpClient c = server.connectAndEhlo()) {
            assertThat(c.command("NOOP\0").code()).isEqualTo(500);
            c.send("NOOP\n");
            RawSmtpClient.Reply bareLf = c.reply();
            assertThat(bareLf.code()).isEqualTo(500);
            assertThat(bareLf.text()).contains("bare <LF>");
            assertThat(c.command("NOOP").code()).isEqualTo(250);
        }
    }

    @Test
    void allowsUtf8AddressesOnlyInAnSmtpUtf8Transaction() {
        try (TestServer server = TestServer.start(); RawSmtpClient c = server.connectAndEhlo()) {
            c.sendUtf8("MAIL FROM:<jürgen@例え.jp>\r\n");
            RawSmtpClient.Reply sender = c.reply();
            assertThat(sender.code()).isEqualTo(550);
            assertThat(sender.text()).startsWith("5.6.7 ");
            c.command("MAIL FROM:<a@example.org>");
            c.sendUtf8("RCPT TO:<münchen@example.de>\r\n");
            RawSmtpClient.Reply recipient = c.reply();
            assertThat(recipient.code()).isEqualTo(553);
            assertThat(recipient.text()).startsWith("5.6.7 ");
            c.command("RSET");
            c.sendUtf8("MAIL FROM:<jürgen@例え.jp> SMTPUTF8\r\nRCPT TO:<münchen@example.de>\r\n");
            assertThat(c.replies(2)).extracting(RawSmtpClient.Reply::code).containsExactly(250, 250);
            c.sendUtf8("NOOP héllo\r\n");
            assertThat(c.reply().code()).isEqualTo(500);
            c.sendBytes(new byte[] {'R', 'C', 'P', 'T', ' ', 'T', 'O', ':', '<', (byte) 0xff, '@', 'x', '>', '\r', '\n'});
            assertThat(c.reply().code()).isEqualTo(500); // not UTF-8 at all
            assertThat(server.handler(0).eventsStartingWith("mail:"))
                    .containsExactly("mail:a@example.org", "mail:jürgen@例え.jp");
        }
    }

    @Test
    void closesWith421AfterTooManyErrors() {
        try (TestServer server = TestServer.start(TestServer.settings().maxErrors(5).build());
             RawSmtpClient c = server.connect()) {
            c.reply();
            c.send("A\r\nB\r\nC\r\nD\r\nE\r\nF\r\nG\r\n");
            List<RawSmtpClient.Reply> replies = c.replies(6);
            assertThat(replies.subList(0, 5)).extracting(RawSmtpClient.Reply::code).containsOnly(500);
            assertThat(replies.get(5).code()).isEqualTo(421);
            assertThat(replies.get(5).text()).startsWith("4.7.0 mx.test Error: too many errors [ref=");
            assertThat(c.closedByServer(Duration.ofSeconds(5))).isTrue();
            assertThat(server.handler(0).awaitClosed()).isEqualTo("too-many-errors");
        }
    }

    @Test
    void closesAnIdleSessionWith421AfterTheCommandTimeout() {
        SmtpSettings settings = TestServer.settings().commandTimeout(Duration.ofMillis(300)).build();
        try (TestServer server = TestServer.start(settings); RawSmtpClient c = server.connect()) {
            c.reply();
            RawSmtpClient.Reply timeout = c.reply();
            assertThat(timeout.code()).isEqualTo(421);
            assertThat(timeout.text()).startsWith("4.4.2 mx.test Error: timeout exceeded [ref=");
            assertThat(c.closedByServer(Duration.ofSeconds(5))).isTrue();
            assertThat(server.handler(0).awaitClosed()).isEqualTo("timeout");
        }
    }

    @Test
    void acceptsOnlyQuitAfterA554Greeting() {
        try (TestServer server = TestServer.start(TestServer.settings().build(),
                h -> h.greeting = Reply.of(554, "5.7.1", "Access denied [ref=X]"));
             RawSmtpClient c = server.connect()) {
            assertThat(c.reply().code()).isEqualTo(554);
            assertThat(c.command("EHLO client.test").code()).isEqualTo(503);
            assertThat(c.command("MAIL FROM:<a@example.org>").code()).isEqualTo(503);
            // A refused BDAT still consumes its chunk: the 5 octets "QUIT\r" are skipped, not run as a command;
            // the LF left over is a (bare LF) line of its own.
            c.send("BDAT 5\r\nQUIT\r\n");
            assertThat(c.reply().code()).isEqualTo(503);
            assertThat(c.reply().code()).isEqualTo(500);
            assertThat(c.command("QUIT").code()).isEqualTo(221);
            RecordingHandler h = server.handler(0);
            assertThat(h.awaitClosed()).isEqualTo("quit");
            assertThat(h.events).noneMatch(e -> e.startsWith("ehlo") || e.startsWith("mail"));
        }
    }

    @Test
    void closesAtOnceAfterA421Greeting() {
        try (TestServer server = TestServer.start(TestServer.settings().build(),
                h -> h.greeting = Reply.of(421, "4.7.0", "Too many connections"));
             RawSmtpClient c = server.connect()) {
            assertThat(c.reply().code()).isEqualTo(421);
            assertThat(c.closedByServer(Duration.ofSeconds(5))).isTrue();
            assertThat(server.handler(0).awaitClosed()).isEqualTo("handler-closed");
        }
    }

    @Test
    void hangsUpOnHttpRequests() {
        try (TestServer server = TestServer.start(); RawSmtpClient c = server.connect()) {
            c.reply();
            c.send("GET / HTTP/1.1\r\nHost: mx.test\r\n\r\n");
            assertThat(c.reply().code()).isEqualTo(221);
            assertThat(c.closedByServer(Duration.ofSeconds(5))).isTrue();
            assertThat(server.handler(0).awaitClosed()).isEqualTo("cross-protocol");
        }
    }

    @Test
    void resetsTheTransactionOnRsetAndOnANewEhlo() {
        try (TestServer server = TestServer.start(); RawSmtpClient c = server.connectAndEhlo()) {
            c.command("MAIL FROM:<a@example.org>");
            c.command("RSET");
            assertThat(c.command("RCPT TO:<b@example.net>").code()).isEqualTo(503);
            c.command("MAIL FROM:<a@example.org>");
            c.command("EHLO again.test");
            assertThat(c.command("RCPT TO:<b@example.net>").code()).isEqualTo(503);
            assertThat(server.handler(0).events).containsSubsequence("mail:a@example.org", "reset",
                    "mail:a@example.org", "reset", "ehlo:again.test");
        }
    }

    @Test
    void tellsTheHandlerWhenTheClientDisconnects() {
        try (TestServer server = TestServer.start()) {
            RawSmtpClient c = server.connectAndEhlo();
            c.close();
            assertThat(server.handler(0).awaitClosed()).isEqualTo("disconnected");
        }
    }
}
