package org.postern.content;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.testsupport.TestGateway;
import org.postern.testsupport.TestSmtpClient;
import org.postern.trace.TraceRecord;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 5's bad input over real SMTP to a started gateway: every malformed message gets a verdict (an SCL in the
 * trace) with the named {@code mime.malformed} reason, within a time bound, and the gateway keeps serving. The same
 * messages are checked on the view alone in {@link MalformedMessagesTest}; memory per message is bounded by
 * {@link BoundedMemoryTest}.
 */
class MalformedMimeOverSmtpTest {

    @TempDir static Path dir;
    private static TestGateway gw;

    @BeforeAll
    static void start() {
        gw = new TestGateway(dir.resolve("gw"), "mx.malformed.postern.test", """
                tenants:
                  - id: robust
                    domains: [robust.test]
                    delivery: "maildir:%1$s/mail/robust"
                    anti-spam: { mode: quarantine, junk-at: 5, quarantine-at: 8 }
                """.formatted(dir));
    }

    @AfterAll
    static void stop() {
        if (gw != null) gw.close();
    }

    /** Sends, checks the verdict names the problem, and that it came within {@code bound}; the trace record. */
    private static TraceRecord judged(String message, String problemId, Duration bound) {
        long start = System.nanoTime();
        TestSmtpClient.Reply r = gw.send("client.example", "a@example.test", "user@robust.test", message.replace("\n", "\r\n"));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(r.code()).as(r.toString()).isEqualTo(250);
        TraceRecord t = gw.traceOf(r);
        assertThat(t.scl()).as("a verdict").isPresent();
        assertThat(t.decisions().toString()).as("named reason").containsPattern("mime\\.malformed \\([^)]*" + problemId.replace(".", "\\."));
        assertThat(took).as("time for one message").isLessThan(bound);
        // and the gateway still serves the next client
        assertThat(gw.send("client.example", "a@example.test", "user@robust.test",
                TestGateway.wellFormed("a@example.test", "Subject: ok\r\n\r\nfine\r\n")).code()).isEqualTo(250);
        return t;
    }

    @Test
    void multipartWithoutBoundary() {
        judged(MalformedMail.NO_BOUNDARY_PARAMETER, "mime.broken-structure", Duration.ofSeconds(10));
    }

    @Test
    void partsThatNeverClose() {
        judged(MalformedMail.PARTS_NEVER_CLOSE, "mime.broken-structure", Duration.ofSeconds(10));
    }

    @Test
    void nestingOneHundredDeep() {
        judged(MalformedMail.nested(100), "mime.too-deep", Duration.ofSeconds(10));
    }

    @Test
    void brokenBase64() {
        judged(MalformedMail.BROKEN_BASE64, "mime.broken-encoding", Duration.ofSeconds(10));
    }

    @Test
    void brokenQuotedPrintable() {
        judged(MalformedMail.BROKEN_QUOTED_PRINTABLE, "mime.broken-encoding", Duration.ofSeconds(10));
    }

    @Test
    void unknownCharset() {
        judged(MalformedMail.UNKNOWN_CHARSET, "mime.unknown-charset", Duration.ofSeconds(10));
    }

    @Test
    void aOneMegabyteHeaderLine() {
        // 1 MB (10^6 octets): under the edge's line cap, so it reaches the content filter, which cuts it.
        judged(MalformedMail.longHeaderLine(1_000_000), "mime.header-truncated", Duration.ofSeconds(20));
    }

    @Test
    void aHeaderLinePastTheEdgesLineCapIsRefusedPrecisely() {
        // 1 MiB of Subject plus its name: past the edge's hard line cap (1 MiB), refused before anything is stored.
        TestSmtpClient.Reply r = gw.send("client.example", "a@example.test", "user@robust.test",
                MalformedMail.longHeaderLine(1 << 20).replace("\n", "\r\n"));
        assertThat(r.code()).isEqualTo(552);
        assertThat(r.enhancedCode()).isEqualTo("5.3.4");
        assertThat(r.text()).contains("line longer than 1048576 octets").contains("[ref=");
        assertThat(gw.send("client.example", "a@example.test", "user@robust.test",
                TestGateway.wellFormed("a@example.test", "Subject: ok\r\n\r\nfine\r\n")).code()).isEqualTo(250);
    }

    @Test
    void aMillionTinyParts() throws Exception {
        Path file = MalformedMail.tinyParts(dir.resolve("tiny.eml"), 1_000_000, "\n");
        judged(Files.readString(file, StandardCharsets.US_ASCII), "mime.too-many-parts", Duration.ofSeconds(60));
    }

    /**
     * A message sent without From, Date, Message-ID or Received, its text right under the Subject: {@code classify}
     * takes such a file for a copy kept without its header block and does not count the fields it lost, but over
     * SMTP it was sent so, and the gateway holds it to every one of them.
     */
    @Test
    void mailSentWithoutAHeaderBlockIsHeldToTheFieldsItLacks() {
        TestSmtpClient.Reply r = gw.send("client.example", "a@example.test", "user@robust.test",
                "Subject: cheap meds\r\nbuy now at our store\r\nand save\r\n");
        assertThat(r.code()).as(r.toString()).isEqualTo(250);
        String decisions = gw.traceOf(r).decisions().toString();
        assertThat(decisions).contains("header.missing-from", "header.missing-date", "header.missing-message-id",
                "mime.malformed (mime.malformed-header").doesNotContain("not counted");
    }
}
