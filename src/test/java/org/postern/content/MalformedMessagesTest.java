package org.postern.content;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.postern.content.MessageViewTest.view;

/** Bad input gives a view with a named problem, never an exception or a hang (issue 5, "Bad input"). */
class MalformedMessagesTest {

    @Test
    void multipartWithoutBoundaryParameterIsABrokenStructure() throws IOException {
        MessageView v = view("""
                From: a@example.test
                Content-Type: multipart/mixed

                --x
                Content-Type: text/plain

                hello
                --x--
                """);
        assertThat(v.problems()).contains(ParseProblem.BROKEN_STRUCTURE);
        assertThat(v.text()).contains("hello");
    }

    @Test
    void partsThatNeverCloseAreABrokenStructure() throws IOException {
        MessageView v = view("""
                From: a@example.test
                Content-Type: multipart/mixed; boundary=x

                --x
                Content-Type: text/plain

                hello, and then the message just ends
                """);
        assertThat(v.problems()).contains(ParseProblem.BROKEN_STRUCTURE);
        assertThat(v.text()).contains("hello");
    }

    @Test
    void brokenBase64IsDecodedAsFarAsItGoes() throws IOException {
        MessageView v = view("""
                From: a@example.test
                Content-Type: text/plain
                Content-Transfer-Encoding: base64

                SGVsbG8gd29y!!bGQ=@@@==ZZ
                """);
        assertThat(v.problems()).contains(ParseProblem.BROKEN_ENCODING);
        assertThat(v.text()).startsWith("Hello wor");
    }

    @Test
    void brokenQuotedPrintableKeepsTheText() throws IOException {
        MessageView v = view("""
                From: a@example.test
                Content-Type: text/plain
                Content-Transfer-Encoding: quoted-printable

                price =ZZ 100 =4
                """);
        assertThat(v.text()).contains("price").contains("100");
    }

    @Test
    void aOneMegabyteHeaderIsCutNotFatal() throws IOException {
        String huge = "A".repeat(1 << 20);
        MessageView v = view("From: a@example.test\nSubject: " + huge + "\nDate: Mon, 1 Jan 2024 00:00:00 +0000\n\nbody\n");
        assertThat(v.problems()).contains(ParseProblem.HEADER_TRUNCATED);
        assertThat(v.subject()).hasSize(ViewLimits.defaults().maxHeaderChars());
        assertThat(v.header("Date")).isPresent();
        assertThat(v.text()).isEqualTo("body\n");
    }

    @Test
    void nestingOneHundredDeepIsCountedNotRead() throws IOException {
        StringBuilder m = new StringBuilder("From: a@example.test\nContent-Type: multipart/mixed; boundary=b0\n\n");
        for (int i = 1; i < 100; i++) {
            m.append("--b").append(i - 1).append("\nContent-Type: multipart/mixed; boundary=b").append(i).append("\n\n");
        }
        m.append("--b99\nContent-Type: text/plain\n\ndeep down\n--b99--\n");
        for (int i = 98; i >= 0; i--) m.append("--b").append(i).append("--\n");
        MessageView v = view(m.toString());
        assertThat(v.problems()).contains(ParseProblem.TOO_DEEP);
        assertThat(v.parts()).hasSize(101);
        assertThat(v.text()).doesNotContain("deep down");
    }

    @Test
    void aMillionTinyPartsStopAtThePartLimit(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("tiny-parts.eml");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            out.write("From: a@example.test\nContent-Type: multipart/mixed; boundary=t\n\n".getBytes(StandardCharsets.US_ASCII));
            byte[] part = "--t\n\nx\n".getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 1_000_000; i++) out.write(part);
            out.write("--t--\n".getBytes(StandardCharsets.US_ASCII));
        }
        try (MessageView v = MessageView.parse(file)) {
            assertThat(v.problems()).contains(ParseProblem.TOO_MANY_PARTS);
            assertThat(v.parts()).hasSize(ViewLimits.defaults().maxParts());
            assertThat(v.size()).isEqualTo(Files.size(file));
        }
    }

    @Test
    void headerlessGarbageStillGivesAView() throws IOException {
        byte[] garbage = new byte[100_000];
        new java.util.Random(5).nextBytes(garbage);
        MessageView v = view(garbage);
        assertThat(v.size()).isEqualTo(garbage.length);
        assertThat(v.headers().size()).isLessThanOrEqualTo(ViewLimits.defaults().maxHeaderFields());
    }

    @Test
    void anEmptyMessageIsAnEmptyView() throws IOException {
        MessageView v = view(new byte[0]);
        assertThat(v.headers()).isEmpty();
        assertThat(v.text()).isEmpty();
        assertThat(v.size()).isZero();
    }
}
