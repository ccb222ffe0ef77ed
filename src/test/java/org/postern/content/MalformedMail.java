package org.postern.content;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The malformed messages of issue 5's "Bad input", shared by the view tests ({@link MalformedMessagesTest}) and the
 * over-SMTP tests ({@link MalformedMimeOverSmtpTest}). Lines end in {@code \n}; SMTP senders convert.
 */
final class MalformedMail {

    private MalformedMail() {
    }

    static final String NO_BOUNDARY_PARAMETER = """
            From: a@example.test
            Content-Type: multipart/mixed

            --x
            Content-Type: text/plain

            hello
            --x--
            """;

    static final String PARTS_NEVER_CLOSE = """
            From: a@example.test
            Content-Type: multipart/mixed; boundary=x

            --x
            Content-Type: text/plain

            hello, and then the message just ends
            """;

    static final String BROKEN_BASE64 = """
            From: a@example.test
            Content-Type: text/plain
            Content-Transfer-Encoding: base64

            SGVsbG8gd29y!!bGQ=@@@==ZZ
            """;

    static final String BROKEN_QUOTED_PRINTABLE = """
            From: a@example.test
            Content-Type: text/plain
            Content-Transfer-Encoding: quoted-printable

            price =ZZ 100 =4
            """;

    static final String UNKNOWN_CHARSET = """
            From: a@example.test
            Content-Type: text/plain; charset=x-no-such-charset-42

            caf\u00e9 prices
            """;

    /** A Subject of {@code chars} characters on one line. */
    static String longHeaderLine(int chars) {
        return "From: a@example.test\nSubject: " + "A".repeat(chars) + "\nDate: Mon, 1 Jan 2024 00:00:00 +0000\n\nbody\n";
    }

    /** Multiparts nested {@code depth} deep, with a text part at the bottom. */
    static String nested(int depth) {
        StringBuilder m = new StringBuilder("From: a@example.test\nContent-Type: multipart/mixed; boundary=b0\n\n");
        for (int i = 1; i < depth; i++) {
            m.append("--b").append(i - 1).append("\nContent-Type: multipart/mixed; boundary=b").append(i).append("\n\n");
        }
        m.append("--b").append(depth - 1).append("\nContent-Type: text/plain\n\ndeep down\n--b").append(depth - 1).append("--\n");
        for (int i = depth - 2; i >= 0; i--) m.append("--b").append(i).append("--\n");
        return m.toString();
    }

    /** {@code count} one-byte parts written to a file, with {@code lineEnd} line ends. */
    static Path tinyParts(Path file, int count, String lineEnd) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            out.write(("From: a@example.test" + lineEnd + "Content-Type: multipart/mixed; boundary=t" + lineEnd + lineEnd)
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] part = ("--t" + lineEnd + lineEnd + "x" + lineEnd).getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < count; i++) out.write(part);
            out.write(("--t--" + lineEnd).getBytes(StandardCharsets.US_ASCII));
        }
        return file;
    }
}
