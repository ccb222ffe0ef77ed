package org.postern.content;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    /**
     * Seeded: headers of fields, folds, stray lines, text, boundaries and blank lines, read through a stream that
     * hands out a few bytes at a time, give what the rule says line by line (SpamAssassin's reading).
     */
    @Test
    void randomMalformedHeadersEndWhereTheRuleSaysInWhateverPiecesTheyArrive() throws IOException {
        Random random = new Random(29112026);
        String[] kinds = {"X-Field: value", "X-Old : value", " folded", "\tfolded", "stray words", "text, more text",
                "--boundary", "word: looks like a field", "", "naïve", "From: a@example.org"};
        for (int round = 0; round < 2000; round++) {
            StringBuilder message = new StringBuilder(random.nextInt(4) == 0 ? "From sender@example.org Mon\n" : "");
            int lines = 1 + random.nextInt(8);
            for (int l = 0; l < lines; l++) {
                message.append(kinds[random.nextInt(kinds.length)]).append(random.nextBoolean() ? "\r\n" : "\n");
            }
            if (random.nextBoolean()) message.append("tail without a line end");
            String text = message.toString();
            byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
            long seed = random.nextLong();
            InputStream trickle = new ByteArrayInputStream(bytes) {
                final Random pieces = new Random(seed);

                @Override
                public synchronized int read(byte[] b, int off, int len) {
                    return super.read(b, off, Math.min(len, 1 + pieces.nextInt(7)));
                }
            };
            try (HeaderEnd in = new HeaderEnd(trickle)) {
                String out = new String(random.nextBoolean() ? in.readAllBytes() : readByteByByte(in), StandardCharsets.ISO_8859_1);
                assertThat(out).as("round %d: %s", round, text).isEqualTo(byTheRule(text));
            }
        }
    }

    /** The rule, line by line: where the header ends and the blank line goes (ended like the line before it). */
    private static String byTheRule(String message) {
        List<String> lines = new ArrayList<>();
        Matcher m = Pattern.compile("[^\n]*\n|[^\n]+$").matcher(message);
        while (m.find()) lines.add(m.group());
        StringBuilder out = new StringBuilder();
        String blank = "\r\n";
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String rest = String.join("", lines.subList(i, lines.size()));
            if (i == 0 && line.startsWith("From ")) {
                out.append(line);
            } else if (line.equals("\n") || line.equals("\r\n")) {
                return out.append(rest).toString();
            } else if (line.startsWith(" ") || line.startsWith("\t") || (isField(line) && !line.startsWith("--"))) {
                out.append(line);
            } else if (!line.startsWith("--") && line.endsWith("\n") && i + 1 < lines.size() && continuesTheHeader(lines.get(i + 1))) {
                out.append(line); // one stray line between fields
            } else {
                return out.append(blank).append(rest).toString();
            }
            blank = line.endsWith("\r\n") ? "\r\n" : "\n";
        }
        return out.toString();
    }

    private static boolean continuesTheHeader(String line) {
        return line.startsWith(" ") || line.startsWith("\t") || (isField(line) && !line.startsWith("--"));
    }

    private static boolean isField(String line) {
        return Pattern.compile("^[!-9;-~]+[ \t]*:").matcher(line).find();
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
