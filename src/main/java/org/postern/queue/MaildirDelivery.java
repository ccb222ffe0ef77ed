package org.postern.queue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Final delivery into Maildirs (https://cr.yp.to/proto/maildir.html), one per recipient:
 * {@code <root>/<recipient address, lower-cased>/{tmp,new,cur}}, created as needed. Each message is written to
 * {@code tmp/}, fsynced, renamed into {@code new/}, and {@code new/} is fsynced before the recipient counts as
 * delivered — the spool copy is removed after that, so the Maildir copy must already be durable.
 *
 * <p>As the final delivery agent we add {@code Return-Path} (RFC 5321 §4.4: the final delivery inserts it) and
 * {@code Delivered-To} (Postfix local(8) convention, used for loop detection), then the prepended headers, then
 * the content byte for byte. Lines keep their CRLF ends; Dovecot and most readers accept that.
 */
final class MaildirDelivery {

    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final Path root;
    private final String hostname;
    private final Clock clock;

    /** @param root a relative root is resolved against the process working directory */
    MaildirDelivery(Path root, String hostname, Clock clock) {
        this.root = root.toAbsolutePath();
        this.hostname = hostname;
        this.clock = clock;
    }

    List<RecipientResult> deliver(Envelope envelope, Path content, List<String> recipients) {
        List<RecipientResult> results = new ArrayList<>(recipients.size());
        for (String r : recipients) results.add(deliverOne(envelope, content, r));
        return results;
    }

    private RecipientResult deliverOne(Envelope envelope, Path content, String recipient) {
        String box = mailboxName(recipient);
        if (box == null) return RecipientResult.failed(recipient, "recipient address cannot name a Maildir: '" + recipient + "'");
        Path maildir = root.resolve(box);
        Path tmpFile = null;
        try {
            Path tmp = Files.createDirectories(maildir.resolve("tmp"));
            Path fresh = Files.createDirectories(maildir.resolve("new"));
            Files.createDirectories(maildir.resolve("cur"));
            String unique = uniqueName();
            tmpFile = tmp.resolve(unique);
            write(tmpFile, envelope, recipient, content);
            Path target = fresh.resolve(unique);
            Files.move(tmpFile, target, StandardCopyOption.ATOMIC_MOVE);
            tmpFile = null;
            DirectorySync.fsync(fresh);
            return RecipientResult.delivered(recipient, "delivered to maildir " + target);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(tmpFile);
            return RecipientResult.deferred(recipient, "maildir " + maildir + ": " + e);
        }
    }

    private static void write(Path file, Envelope envelope, String recipient, Path content) throws IOException {
        String headers = "Return-Path: <" + envelope.mailFrom() + ">\r\n" + "Delivered-To: " + recipient + "\r\n"
                + envelope.prependHeaders();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
             OutputStream out = Channels.newOutputStream(ch);
             InputStream in = Files.newInputStream(content)) {
            out.write(headers.getBytes(StandardCharsets.UTF_8));
            in.transferTo(out);
            ch.force(true);
        }
    }

    /**
     * The address as a directory name, lower-cased (mailboxes are case-insensitive on nearly every system), or
     * null when it could escape the root or is not a plain name.
     */
    static String mailboxName(String address) {
        String a = address.strip().toLowerCase(Locale.ROOT);
        if (a.isEmpty() || a.startsWith(".") || a.length() > 255) return null;
        for (int i = 0; i < a.length(); i++) {
            char ch = a.charAt(i);
            if (ch == '/' || ch == '\\' || ch < ' ' || ch == 127) return null;
        }
        return a;
    }

    /** time.MusecPpidQseqRrandom.host — the modern Maildir unique name; '/' and ':' in the host are escaped. */
    private String uniqueName() {
        Instant now = clock.instant();
        String host = hostname.replace("/", "\\057").replace(":", "\\072");
        return now.getEpochSecond() + ".M" + (now.getNano() / 1000) + "P" + ProcessHandle.current().pid()
                + "Q" + SEQUENCE.incrementAndGet() + "R" + Integer.toHexString(ThreadLocalRandom.current().nextInt())
                + "." + host;
    }

    private static void deleteQuietly(Path file) {
        if (file == null) return;
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a stale tmp file in a Maildir is cleaned by the reader after 36 hours, per the Maildir convention
        }
    }
}
