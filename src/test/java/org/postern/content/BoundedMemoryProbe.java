package org.postern.content;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Run in a child JVM with a small heap by {@link BoundedMemoryTest}: parses one message and prints what the view
 * holds, one {@code key=value} a line. An OutOfMemoryError (exit 1) means the view did not stay bounded.
 */
public final class BoundedMemoryProbe {

    public static void main(String[] args) throws Exception {
        try (MessageView v = MessageView.parse(Path.of(args[0]))) {
            System.out.println("size=" + v.size());
            System.out.println("textChars=" + v.text().length());
            System.out.println("truncated=" + v.problems().contains(ParseProblem.TEXT_TRUNCATED));
            for (Attachment a : v.attachments()) {
                System.out.println("attachment=" + a.filename().orElse("") + "," + a.size() + "," + a.sha256() + ","
                        + a.spilledToFile() + "," + reread(a));
            }
        }
    }

    /** SHA-256 of the bytes read back through {@link Attachment#open()}. */
    private static String reread(Attachment a) throws IOException {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            try (InputStream in = new DigestInputStream(a.open(), sha)) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
