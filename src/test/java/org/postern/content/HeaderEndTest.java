package org.postern.content;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class HeaderEndTest {

    private static String through(String message, boolean byteByByte) throws IOException {
        try (HeaderEnd in = new HeaderEnd(new ByteArrayInputStream(message.getBytes(StandardCharsets.ISO_8859_1)))) {
            return new String(byteByByte ? readByteByByte(in) : in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private static byte[] readByteByByte(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int c; (c = in.read()) >= 0; ) out.write(c);
        return out.toByteArray();
    }

    @Test
    void theBlankLineGoesBeforeTheFirstLineThatIsNoField() throws IOException {
        assertThat(through("Subject: hi\nthank you .\nmore\n", false)).isEqualTo("Subject: hi\n\nthank you .\nmore\n");
        assertThat(through("From: a@b\r\nX-A: 1\r\n--outer\r\nContent-Type: text/plain\r\n\r\nx", true))
                .isEqualTo("From: a@b\r\nX-A: 1\r\n\r\n--outer\r\nContent-Type: text/plain\r\n\r\nx");
        assertThat(through("Subject: x\n:no name\n", false)).isEqualTo("Subject: x\n\n:no name\n");
        assertThat(through("Subject: x\nnaïve: word\n", false)).isEqualTo("Subject: x\n\nnaïve: word\n");
        assertThat(through("Subject: x\none line\n\nparagraph\n", true)).isEqualTo("Subject: x\n\none line\n\nparagraph\n");
        assertThat(through("Subject: x\nonly line", false)).isEqualTo("Subject: x\n\nonly line");
        assertThat(through("text without any header\nsecond line\n", true)).isEqualTo("\r\ntext without any header\nsecond line\n");
        String longLine = "word ".repeat(300) + "\n";
        assertThat(through("Subject: x\n" + longLine + "Next: field\n\n", false)).isEqualTo("Subject: x\n\n" + longLine + "Next: field\n\n");
    }

    /** A Content-Type parameter a mailer left unfolded is one broken line between fields, not the start of the body. */
    @Test
    void oneStrayLineBetweenFieldsStaysInTheHeader() throws IOException {
        for (String message : new String[] {
                "Content-Type: text/plain;\r\ncharset=\"GB2312\"\r\nContent-Transfer-Encoding: 8bit\r\n\r\ntext\r\n",
                "Subject: x\nstray\n folded\n\nbody\n"}) {
            HeaderEnd in = new HeaderEnd(new ByteArrayInputStream(message.getBytes(StandardCharsets.US_ASCII)));
            assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo(message);
            assertThat(in.insertedBlankLine()).isFalse();
        }
    }

    @Test
    void aWellFormedHeaderPassesUnchanged() throws IOException {
        for (String message : new String[] {
                "From sender@example.org Mon Feb  3 10:00:00 2025\nSubject: mbox\n\nbody\n",
                "Subject : obsolete space before the colon\n folded\n\tand tabbed\n\nbody: not a header\nno field\n",
                "X-Long: " + "a".repeat(200_000) + "\n\n" + "b".repeat(100_000),
                "Subject: ends inside the header",
                "",
                "\n\nbody only\n"}) {
            assertThat(through(message, false)).isEqualTo(message);
            assertThat(through(message, true)).isEqualTo(message);
        }
    }

    /** Seeded: whatever the header's fields, folds and line ends, a header with its blank line passes byte for byte. */
    @Test
    void randomWellFormedMessagesPassByteForByte() throws IOException {
        Random random = new Random(20261129);
        for (int round = 0; round < 500; round++) {
            String eol = random.nextBoolean() ? "\r\n" : "\n";
            StringBuilder message = new StringBuilder();
            int fields = random.nextInt(12);
            for (int f = 0; f < fields; f++) {
                message.append("X-").append(Integer.toString(random.nextInt(1 << 20), 36))
                        .append(random.nextInt(5) == 0 ? " :" : ":").append(randomText(random)).append(eol);
                if (random.nextInt(4) == 0) message.append(random.nextBoolean() ? " " : "\t").append(randomText(random)).append(eol);
            }
            message.append(eol).append(randomText(random)).append(eol).append("Body-Line: ").append(randomText(random));
            String text = message.toString();
            assertThat(through(text, random.nextBoolean())).as("round %d", round).isEqualTo(text);
        }
    }

    private static String randomText(Random random) {
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(60);
        for (int i = 0; i < length; i++) text.append((char) (32 + random.nextInt(95)));
        return text.toString();
    }

    @Test
    void saysWhetherItHadToEndTheHeader() throws IOException {
        HeaderEnd ended = new HeaderEnd(new ByteArrayInputStream("Subject: a\nbody\n".getBytes(StandardCharsets.US_ASCII)));
        ended.readAllBytes();
        assertThat(ended.insertedBlankLine()).isTrue();
        HeaderEnd fine = new HeaderEnd(new ByteArrayInputStream("Subject: a\n\nbody\n".getBytes(StandardCharsets.US_ASCII)));
        fine.readAllBytes();
        assertThat(fine.insertedBlankLine()).isFalse();
    }
}
