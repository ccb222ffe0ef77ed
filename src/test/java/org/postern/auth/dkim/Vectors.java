package org.postern.auth.dkim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Test data: the shared conformance folder and our own fixtures, read as the tests need them. */
final class Vectors {

    /** The shared suites, beside the repository (conformance README: {@code ../shared/conformance/dkim/}). */
    static final Path SHARED = Path.of("..", "shared", "conformance", "dkim");
    static final Path DKIMPY = SHARED.resolve("dkimpy");
    static final Path MAIL_AUTH = SHARED.resolve("mail-auth");
    /** Our dkimpy-signed fixtures (README.md there says how they were made). */
    static final Path FIXTURES = Path.of("src", "test", "resources", "auth", "dkim", "dkimpy");

    private Vectors() {
    }

    static byte[] bytes(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(Path p) {
        return new String(bytes(p), StandardCharsets.UTF_8).strip();
    }

    /** LF line ends to CRLF, leaving existing CRLFs alone. */
    static byte[] crlf(byte[] in) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(in.length + in.length / 20);
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '\n' && (i == 0 || in[i - 1] != '\r')) out.write('\r');
            out.write(in[i]);
        }
        return out.toByteArray();
    }

    static byte[] crlf(String s) {
        return crlf(s.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] base64File(Path p) {
        return Base64.getDecoder().decode(text(p));
    }

    /** A {@code mail-auth} vector: DNS lines, an empty line, then the message (LF line ends, made CRLF here). */
    record MailAuthVector(Map<String, String> dns, byte[] message) {
        static MailAuthVector read(Path p) {
            String all = new String(bytes(p), StandardCharsets.UTF_8);
            int blank = all.indexOf("\n\n");
            Map<String, String> dns = new LinkedHashMap<>();
            for (String line : all.substring(0, blank).split("\n")) {
                int space = line.indexOf(' ');
                dns.put(line.substring(0, space), line.substring(space + 1).strip());
            }
            byte[] raw = bytes(p);
            byte[] message = java.util.Arrays.copyOfRange(raw,
                    all.substring(0, blank + 2).getBytes(StandardCharsets.UTF_8).length, raw.length);
            return new MailAuthVector(dns, crlf(message));
        }
    }

    /** {@code name record} lines, {@code #} comments. */
    static Map<String, String> zone(Path p) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : text(p).split("\n")) {
            if (line.isBlank() || line.startsWith("#")) continue;
            int space = line.indexOf(' ');
            out.put(line.substring(0, space), line.substring(space + 1).strip());
        }
        return out;
    }

    /** {@code file outcome...} lines of {@code expected.txt}. */
    static List<List<String>> manifest(Path p) {
        List<List<String>> out = new ArrayList<>();
        for (String line : text(p).split("\n")) {
            if (line.isBlank() || line.startsWith("#")) continue;
            out.add(List.of(line.strip().split("\\s+")));
        }
        return out;
    }
}
