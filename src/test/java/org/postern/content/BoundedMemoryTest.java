package org.postern.content;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A 50 MB message is viewed in a JVM whose whole heap is 48 MB: the text is capped, the 40 MB attachment goes
 * through a temporary file and reads back bit for bit, and the file is gone once the view is closed.
 */
class BoundedMemoryTest {

    private static final int ATTACHMENT_BYTES = 40 << 20;

    @Test
    void aFiftyMegabyteMessageFitsInASmallHeap(@TempDir Path dir) throws Exception {
        Path message = dir.resolve("big.eml");
        String attachmentSha = writeBigMessage(message);
        assertThat(Files.size(message)).isGreaterThan(50L << 20);
        Path spill = Files.createDirectory(dir.resolve("tmp"));

        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx48m", "-XX:+UseSerialGC", "-Djava.io.tmpdir=" + spill,
                "-cp", System.getProperty("java.class.path"), BoundedMemoryProbe.class.getName(), message.toString())
                .redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (var reader = child.inputReader()) {
            reader.lines().forEach(lines::add);
        }
        assertThat(child.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(child.exitValue()).as(String.join("\n", lines)).isZero();

        assertThat(lines).contains("size=" + Files.size(message), "truncated=true");
        long textChars = Long.parseLong(value(lines, "textChars="));
        assertThat(textChars).isLessThanOrEqualTo(ViewLimits.defaults().maxTextCharsTotal() + 16);
        assertThat(lines).contains("attachment=data.bin," + ATTACHMENT_BYTES + "," + attachmentSha + ",true," + attachmentSha);
        try (Stream<Path> left = Files.list(spill)) {
            assertThat(left).as("temporary files deleted on close").isEmpty();
        }
    }

    private static String value(List<String> lines, String prefix) {
        return lines.stream().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow().substring(prefix.length());
    }

    /** Headers, 6 MB of plain text, 2 MB of HTML and a 40 MB base64 attachment; returns the attachment's SHA-256. */
    private static String writeBigMessage(Path file) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        Random random = new Random(50);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            write(out, """
                    From: Big Sender <big@example.test>\r
                    To: someone@example.test\r
                    Subject: a big one\r
                    MIME-Version: 1.0\r
                    Content-Type: multipart/mixed; boundary="big"\r
                    \r
                    --big\r
                    Content-Type: text/plain; charset=utf-8\r
                    \r
                    """);
            String line = "the quick brown fox jumps over the lazy dog and keeps running far away\r\n";
            for (int i = 0; i < (6 << 20) / line.length(); i++) write(out, line);
            write(out, "--big\r\nContent-Type: text/html\r\n\r\n<html><body>");
            for (int i = 0; i < (2 << 20) / 40; i++) write(out, "<p>para <a href=\"http://x.example/\">x</a></p>\r\n");
            write(out, "</body></html>\r\n--big\r\nContent-Type: application/octet-stream\r\n"
                    + "Content-Disposition: attachment; filename=\"data.bin\"\r\nContent-Transfer-Encoding: base64\r\n\r\n");
            Base64.Encoder mime = Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[57 * 1024];
            for (int written = 0; written < ATTACHMENT_BYTES; written += chunk.length) {
                random.nextBytes(chunk);
                int n = Math.min(chunk.length, ATTACHMENT_BYTES - written);
                byte[] piece = n == chunk.length ? chunk : java.util.Arrays.copyOf(chunk, n);
                sha.update(piece);
                out.write(mime.encode(piece));
                write(out, "\r\n");
            }
            write(out, "--big--\r\n");
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static void write(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.US_ASCII));
    }
}
