package org.postern.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;
import org.postern.testsupport.Downstreams.LmtpServer;
import org.postern.testsupport.Downstreams.SinkMessage;
import org.postern.testsupport.Downstreams.SmtpSink;
import org.postern.testsupport.TestSmtpClient.Reply;

/** Proves the real downstream servers in {@link Downstreams} work, over real sockets. */
@Timeout(120)
class DownstreamsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path tmp;

    @Test
    void smtpSinkCapturesEachMessageToItsOwnFile() {
        try (SmtpSink sink = Downstreams.smtpSink(tmp.resolve("dump"))) {
            assertThat(sink.messageCount()).isZero();
            try (TestSmtpClient c = TestSmtpClient.connect(sink.port())) {
                assertThat(c.greeting().code()).isEqualTo(220);
                assertThat(c.ehlo("client.test").code()).isEqualTo(250);
                c.mailFrom("sender@example.org").assertCode(250);
                c.rcptTo("one@bench.test").assertCode(250);
                c.rcptTo("two@bench.test").assertCode(250);
                Reply end = c.data("Subject: first\r\nX-Test: yes\r\n\r\nline one\r\n.leading dot\r\n");
                assertThat(end.code()).isEqualTo(250);

                c.mailFrom("").assertCode(250);
                c.rcptTo("three@bench.test").assertCode(250);
                c.data("Subject: second\n\nbody with bare LF\n").assertCode(250);
                assertThat(c.quit().code()).isEqualTo(221);
            }
            List<SinkMessage> msgs = sink.awaitMessages(2, WAIT);
            assertThat(msgs).hasSize(2);
            SinkMessage first = msgs.stream().filter(m -> "first".equals(m.header("Subject")))
                    .findFirst().orElseThrow();
            assertThat(first.mailFrom()).isEqualTo("sender@example.org");
            assertThat(first.recipients()).containsExactly("one@bench.test", "two@bench.test");
            assertThat(first.helo()).isEqualTo("client.test");
            assertThat(first.clientAddress()).isEqualTo("127.0.0.1");
            assertThat(first.header("X-Test")).isEqualTo("yes");
            assertThat(first.body()).isEqualTo("line one\n.leading dot\n");
            SinkMessage second = msgs.stream().filter(m -> "second".equals(m.header("Subject")))
                    .findFirst().orElseThrow();
            assertThat(second.mailFrom()).isEmpty();
            assertThat(second.recipients()).containsExactly("three@bench.test");
            assertThat(second.body()).isEqualTo("body with bare LF\n");
        }
    }

    @Test
    void smtpSinkDoesNotCountUnfinishedOrAbortedTransactions() throws Exception {
        try (SmtpSink sink = Downstreams.smtpSink(tmp.resolve("dump"))) {
            try (TestSmtpClient c = TestSmtpClient.connect(sink.port())) {
                c.ehlo("client.test").assertCode(250);
                c.mailFrom("a@example.org").assertCode(250);
                c.rcptTo("b@bench.test").assertCode(250);
                c.command("DATA").assertCode(354);
                c.writeRaw("Subject: half\r\n\r\nnot finished\r\n".getBytes(StandardCharsets.US_ASCII));
                Thread.sleep(300);
                // the file exists on disk but is still open in smtp-sink: not a message yet
                assertThat(sink.messageCount()).isZero();
            }
            // disconnect aborts the transaction; smtp-sink deletes the partial file
            awaitPartialFileDeleted(sink);
            assertThat(sink.messageCount()).isZero();
        }
    }

    @Test
    void smtpSinkSoftFailsRcpt() throws Exception {
        try (SmtpSink sink = Downstreams.smtpSinkTempFailing(tmp.resolve("dump"), "RCPT");
                TestSmtpClient c = TestSmtpClient.connect(sink.port())) {
            c.ehlo("client.test").assertCode(250);
            c.mailFrom("a@example.org").assertCode(250);
            Reply r = c.rcptTo("b@bench.test");
            assertThat(r.code()).isEqualTo(450);
            assertThat(r.isTransient()).isTrue();
            assertThat(c.command("DATA").code()).isEqualTo(503);
            c.quit();
            // smtp-sink opened a file at MAIL and deletes it once the client leaves; closed but not yet deleted, it
            // would count as a message
            awaitPartialFileDeleted(sink);
            assertThat(sink.messageCount()).isZero();
        }
    }

    private static void awaitPartialFileDeleted(SmtpSink sink) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline && hasFiles(sink.dumpDir())) {
            Thread.sleep(50);
        }
        assertThat(hasFiles(sink.dumpDir())).isFalse();
    }

    @Test
    void smtpSinkSoftFailsDataAndHardFailsRcptOnRequest() {
        try (SmtpSink soft = Downstreams.smtpSinkTempFailing(tmp.resolve("soft"), "DATA");
                TestSmtpClient c = TestSmtpClient.connect(soft.port())) {
            c.ehlo("client.test").assertCode(250);
            c.mailFrom("a@example.org").assertCode(250);
            c.rcptTo("b@bench.test").assertCode(250);
            assertThat(c.data("Subject: x\r\n\r\nx\r\n").code()).isEqualTo(450);
        }
        try (SmtpSink hard = Downstreams.smtpSinkRejecting(tmp.resolve("hard"), "RCPT");
                TestSmtpClient c = TestSmtpClient.connect(hard.port())) {
            c.ehlo("client.test").assertCode(250);
            c.mailFrom("a@example.org").assertCode(250);
            Reply r = c.rcptTo("b@bench.test");
            assertThat(r.code()).isEqualTo(500);
            assertThat(r.isPermanent()).isTrue();
        }
        try (SmtpSink endOfData = Downstreams.smtpSinkTempFailing(tmp.resolve("dot"), ".");
                TestSmtpClient c = TestSmtpClient.connect(endOfData.port())) {
            c.ehlo("client.test").assertCode(250);
            c.mailFrom("a@example.org").assertCode(250);
            c.rcptTo("b@bench.test").assertCode(250);
            assertThat(c.data("Subject: x\r\n\r\nx\r\n").code()).isEqualTo(450);
        }
    }

    @Test
    void smtpSinkCanShutDownOrDropTheConnection() {
        try (SmtpSink sink = Downstreams.smtpSinkShuttingDown(tmp.resolve("d1"), "MAIL");
                TestSmtpClient c = TestSmtpClient.connect(sink.port())) {
            c.ehlo("client.test").assertCode(250);
            assertThat(c.mailFrom("a@example.org").code()).isEqualTo(421);
            assertThat(c.isClosedByServer(Duration.ofSeconds(5))).isTrue();
        }
        try (SmtpSink sink = Downstreams.smtpSinkDropping(tmp.resolve("d2"), "RCPT");
                TestSmtpClient c = TestSmtpClient.connect(sink.port())) {
            c.ehlo("client.test").assertCode(250);
            c.mailFrom("a@example.org").assertCode(250);
            assertThatThrownBy(() -> c.rcptTo("b@bench.test")).isInstanceOf(UncheckedIOException.class);
        }
    }

    @Test
    void smtpSinkSpeaksLmtpWithOneReplyPerRecipient() {
        try (SmtpSink sink = Downstreams.lmtpSink(tmp.resolve("dump"));
                TestSmtpClient c = TestSmtpClient.connect(sink.port())) {
            c.lhlo("client.test").assertCode(250);
            c.mailFrom("a@example.org").assertCode(250);
            c.rcptTo("x@bench.test").assertCode(250);
            c.rcptTo("y@bench.test").assertCode(250);
            List<Reply> replies = c.lmtpData("Subject: lmtp\r\n\r\nhi\r\n", 2);
            assertThat(replies).extracting(Reply::code).containsExactly(250, 250);
            assertThat(sink.awaitMessages(1, WAIT).get(0).protocol()).isEqualTo("LMTP");
        }
    }

    @Test
    void blackHoleAcceptsButNeverAnswers() throws IOException {
        try (Downstreams.BlackHole hole = Downstreams.blackHole();
                Socket s = new Socket("127.0.0.1", hole.port())) {
            s.setSoTimeout(500);
            s.getOutputStream().write("EHLO x\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThatThrownBy(() -> s.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
            assertThat(hole.connectionCount()).isEqualTo(1);
        }
    }

    @Test
    void dovecotLmtpGivesPerRecipientResults() throws IOException {
        Path mailRoot = tmp.resolve("mail");
        try (LmtpServer lmtp = Downstreams.dovecotLmtp(mailRoot);
                TestSmtpClient c = TestSmtpClient.connect(lmtp.port())) {
            assertThat(c.greeting().code()).isEqualTo(220);
            c.lhlo("gateway.test").assertCode(250);
            c.mailFrom("sender@example.org").assertCode(250);
            assertThat(c.rcptTo("alice@example.test").code()).isEqualTo(250);
            Reply unknown = c.rcptTo("nosuchuser@example.test");
            assertThat(unknown.code()).isEqualTo(550);
            assertThat(unknown.enhancedCode()).isEqualTo("5.1.1");
            Reply temp = c.rcptTo("tempfail@example.test");
            assertThat(temp.code()).isEqualTo(451);
            assertThat(c.rcptTo("overquota@example.test").code()).isEqualTo(250);
            assertThat(c.rcptTo("Bob+tag@Other.test").code()).isEqualTo(250);

            List<Reply> perRcpt = c.lmtpData("Subject: via lmtp\r\nMessage-ID: <m1@example.org>\r\n\r\n"
                    + "hello\r\n.dot line\r\n", 3);
            assertThat(perRcpt).as(() -> "replies " + perRcpt + "\ndovecot log:\n" + lmtp.log())
                    .extracting(Reply::code).containsExactly(250, 452, 250);
            assertThat(perRcpt.get(0).text()).contains("<alice@example.test>");
            assertThat(perRcpt.get(1).enhancedCode()).isEqualTo("4.2.2");
            assertThat(perRcpt.get(1).text()).contains("<overquota@example.test>", "Quota");
            assertThat(c.quit().code()).isEqualTo(221);

            List<Path> alice = lmtp.awaitMessages("alice@example.test", 1, WAIT);
            assertThat(alice).hasSize(1);
            assertThat(alice.get(0)).startsWith(mailRoot.resolve("example.test/alice/Maildir"));
            String stored = Files.readString(alice.get(0));
            assertThat(stored).contains("Subject: via lmtp", "hello\n.dot line\n");
            assertThat(lmtp.awaitMessages("bob@other.test", 1, WAIT)).hasSize(1);
            assertThat(lmtp.messages("overquota@example.test")).isEmpty();
            assertThat(lmtp.allMessages()).hasSize(2);
        }
    }

    @Test
    void closeStopsTheServersAndTheirChildren() throws Exception {
        SmtpSink sink = Downstreams.smtpSink(tmp.resolve("dump"));
        LmtpServer lmtp = Downstreams.dovecotLmtp(tmp.resolve("mail"));
        try (TestSmtpClient c = TestSmtpClient.connect(lmtp.port())) {
            c.lhlo("x").assertCode(250); // make dovecot spawn its lmtp and auth children
            c.mailFrom("a@example.org").assertCode(250);
            c.rcptTo("someone@example.test").assertCode(250);
        }
        int sinkPort = sink.port();
        int lmtpPort = lmtp.port();
        sink.close();
        lmtp.close();
        assertThat(sink.isAlive()).isFalse();
        assertThat(lmtp.isAlive()).isFalse();
        assertThat(connectable(sinkPort)).isFalse();
        assertThat(connectable(lmtpPort)).isFalse();
        assertThat(ProcessHandle.allProcesses()
                .filter(h -> h.info().commandLine().orElse("").contains("postern-lmtp-" + lmtpPort)))
                .isEmpty();
    }

    @Test
    void missingBinaryFailsUnderCiAndSkipsElsewhere() {
        if (Downstreams.runningInCi()) {
            assertThatThrownBy(() -> Downstreams.requireBinary("nothing", Optional.empty()))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("CI");
        } else {
            assertThatThrownBy(() -> Downstreams.requireBinary("nothing", Optional.empty()))
                    .isInstanceOf(TestAbortedException.class);
        }
    }

    @Test
    void clientDotStuffsAndNormalisesLineEndings() {
        byte[] wire = TestSmtpClient.dotStuff(".a\nb\r\n..c\rd".getBytes(StandardCharsets.US_ASCII));
        assertThat(new String(wire, StandardCharsets.US_ASCII))
                .isEqualTo("..a\r\nb\r\n...c\r\nd\r\n.\r\n");
        assertThat(new String(TestSmtpClient.dotStuff(new byte[0]), StandardCharsets.US_ASCII))
                .isEqualTo(".\r\n");
    }

    private static boolean hasFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (var s = Files.walk(dir)) {
            return s.anyMatch(Files::isRegularFile);
        }
    }

    private static boolean connectable(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
