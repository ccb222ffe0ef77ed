package org.postern.edge;

import org.apache.james.mime4j.codec.EncoderUtil;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The header changes a transport rule asks for that touch the received message: fields removed by name and a
 * prefix put before the Subject (RFC 2047-encoded when it is not ASCII). The body is copied as it is.
 */
final class HeaderRewrite {

    private HeaderRewrite() { }

    static boolean needed(List<String> remove, Optional<String> subjectPrefix) {
        return !remove.isEmpty() || subjectPrefix.isPresent();
    }

    static void rewrite(Path message, OutputStream out, List<String> remove, Optional<String> subjectPrefix) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(message), 1 << 16)) {
            ByteArrayOutputStream field = new ByteArrayOutputStream();
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            boolean subjectSeen = false;
            while ((b = in.read()) != -1) {
                line.write(b);
                if (b != '\n') continue;
                byte[] l = line.toByteArray();
                line.reset();
                boolean continuation = l.length > 0 && (l[0] == ' ' || l[0] == '\t');
                if (continuation) {
                    field.write(l);
                    continue;
                }
                subjectSeen |= emit(field.toByteArray(), out, remove, subjectPrefix);
                field.reset();
                if (l.length <= 2 && (l[0] == '\r' || l[0] == '\n')) { // the empty line: the body follows
                    if (!subjectSeen && subjectPrefix.isPresent()) out.write(("Subject: " + encode(subjectPrefix.get().strip()) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(l);
                    in.transferTo(out);
                    return;
                }
                field.write(l);
            }
            emit(field.toByteArray(), out, remove, subjectPrefix);
            out.write(line.toByteArray());
        }
    }

    /** Writes one field unless it is removed; returns whether it was the Subject. */
    private static boolean emit(byte[] f, OutputStream out, List<String> remove, Optional<String> prefix) throws IOException {
        if (f.length == 0) return false;
        String text = new String(f, StandardCharsets.ISO_8859_1);
        int colon = text.indexOf(':');
        String name = colon > 0 ? text.substring(0, colon).strip().toLowerCase(Locale.ROOT) : "";
        if (remove.contains(name)) return false;
        if (name.equals("subject") && prefix.isPresent()) {
            // One space between prefix and subject, whether or not the rule's text ends in one ("[EXT] ").
            out.write(("Subject: " + encode(prefix.get().stripTrailing()) + " ").getBytes(StandardCharsets.US_ASCII));
            out.write(f, colon + 1 + (f.length > colon + 1 && f[colon + 1] == ' ' ? 1 : 0), f.length - colon - 1 - (f.length > colon + 1 && f[colon + 1] == ' ' ? 1 : 0));
            return true;
        }
        out.write(f);
        return false;
    }

    private static String encode(String text) {
        return text.chars().allMatch(c -> c >= 0x20 && c < 0x7f) ? text : EncoderUtil.encodeEncodedWord(text, EncoderUtil.Usage.TEXT_TOKEN);
    }
}
