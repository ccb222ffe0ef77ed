package org.postern.content;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.postern.content.MessageViewTest.view;

/** Bad input gives a view with a named problem, never an exception or a hang (issue 5, "Bad input"). */
class MalformedMessagesTest {

    @Test
    void multipartWithoutBoundaryParameterIsABrokenStructure() throws IOException {
        MessageView v = view(MalformedMail.NO_BOUNDARY_PARAMETER);
        assertThat(v.problems()).contains(ParseProblem.BROKEN_STRUCTURE);
        assertThat(v.text()).contains("hello");
    }

    @Test
    void partsThatNeverCloseAreABrokenStructure() throws IOException {
        MessageView v = view(MalformedMail.PARTS_NEVER_CLOSE);
        assertThat(v.problems()).contains(ParseProblem.BROKEN_STRUCTURE);
        assertThat(v.text()).contains("hello");
    }

    @Test
    void brokenBase64IsDecodedAsFarAsItGoes() throws IOException {
        MessageView v = view(MalformedMail.BROKEN_BASE64);
        assertThat(v.problems()).contains(ParseProblem.BROKEN_ENCODING);
        assertThat(v.text()).startsWith("Hello wor");
    }

    @Test
    void brokenQuotedPrintableKeepsTheText() throws IOException {
        MessageView v = view(MalformedMail.BROKEN_QUOTED_PRINTABLE);
        assertThat(v.text()).contains("price").contains("100");
    }

    @Test
    void aOneMegabyteHeaderIsCutNotFatal() throws IOException {
        MessageView v = view(MalformedMail.longHeaderLine(1 << 20));
        assertThat(v.problems()).contains(ParseProblem.HEADER_TRUNCATED);
        assertThat(v.subject()).hasSize(ViewLimits.defaults().maxHeaderChars());
        assertThat(v.header("Date")).isPresent();
        assertThat(v.text()).isEqualTo("body\n");
    }

    @Test
    void nestingOneHundredDeepIsCountedNotRead() throws IOException {
        MessageView v = view(MalformedMail.nested(100));
        assertThat(v.problems()).contains(ParseProblem.TOO_DEEP);
        assertThat(v.parts()).hasSize(101);
        assertThat(v.text()).doesNotContain("deep down");
    }

    @Test
    void aMillionTinyPartsStopAtThePartLimit(@TempDir Path dir) throws IOException {
        Path file = MalformedMail.tinyParts(dir.resolve("tiny-parts.eml"), 1_000_000, "\n");
        try (MessageView v = MessageView.parse(file)) {
            assertThat(v.problems()).contains(ParseProblem.TOO_MANY_PARTS);
            assertThat(v.parts()).hasSize(ViewLimits.defaults().maxParts());
            assertThat(v.size()).isEqualTo(Files.size(file));
        }
    }

    @Test
    void anUnknownCharsetIsNamedAndTheTextStillRead() throws IOException {
        MessageView v = view(MalformedMail.UNKNOWN_CHARSET);
        assertThat(v.problems()).contains(ParseProblem.UNKNOWN_CHARSET);
        assertThat(v.text()).contains("prices");
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
