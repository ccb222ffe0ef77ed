package org.postern.queue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The spool's files and how they are made durable. Layout under the data directory:
 * <pre>
 *   spool/tmp/&lt;id&gt;.msg             content being received, and temp files of the steps below
 *   spool/queue/&lt;id&gt;.msg           content, exactly as received (CRLF lines, unstuffed)
 *   spool/queue/&lt;id&gt;.env.json      the envelope; its presence is what makes the message queued
 *   spool/queue/&lt;id&gt;.state.json    per-recipient delivery state, absent until the first attempt
 * </pre>
 * Every file enters {@code queue/} by an atomic rename of a fsynced temp file, followed by an fsync of
 * {@code queue/} (shared between concurrent writers, {@link DirectorySync}). Anything else found at startup
 * is the debris of a crash before a commit returned, and is removed.
 */
final class QueueDirectory {

    private static final Logger log = LoggerFactory.getLogger(QueueDirectory.class);
    static final String CONTENT = ".msg";
    static final String ENVELOPE = ".env.json";
    static final String STATE = ".state.json";

    private static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final Path tmp;
    private final Path queue;
    private final DirectorySync queueSync;

    private QueueDirectory(Path tmp, Path queue) {
        this.tmp = tmp;
        this.queue = queue;
        this.queueSync = new DirectorySync(queue);
    }

    static QueueDirectory open(Path dataDir) throws IOException {
        Path spool = dataDir.resolve("spool");
        Path tmp = Files.createDirectories(spool.resolve("tmp"));
        Path queue = Files.createDirectories(spool.resolve("queue"));
        DirectorySync.fsync(spool);
        return new QueueDirectory(tmp, queue);
    }

    Path queueDir() {
        return queue;
    }

    /** A new, empty temp file for content being received. */
    Path createPending(String id) throws IOException {
        return Files.createFile(tmp.resolve(id + CONTENT));
    }

    Path content(String id) {
        return queue.resolve(id + CONTENT);
    }

    /** Moves received content and its envelope into the queue; durable when this returns. */
    void commit(String id, Path pendingContent, Envelope envelope) throws IOException {
        force(pendingContent);
        Path envTmp = tmp.resolve(id + ENVELOPE);
        writeSynced(envTmp, JSON.writeValueAsBytes(envelope));
        // Content first: an envelope in queue/ always has its content (recovery drops envelope-less content).
        Files.move(pendingContent, content(id), StandardCopyOption.ATOMIC_MOVE);
        Files.move(envTmp, queue.resolve(id + ENVELOPE), StandardCopyOption.ATOMIC_MOVE);
        queueSync.sync();
    }

    /** Replaces the recipients' state atomically; durable when this returns. */
    void writeState(String id, DeliveryState state) throws IOException {
        Path t = tmp.resolve(id + STATE);
        writeSynced(t, JSON.writeValueAsBytes(state));
        Files.move(t, queue.resolve(id + STATE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        queueSync.sync();
    }

    /**
     * Removes a finished message. The envelope goes first and that is made durable: without it the message is
     * not queued any more, and leftover content or state is debris that recovery removes.
     */
    void remove(String id) throws IOException {
        Files.deleteIfExists(queue.resolve(id + ENVELOPE));
        queueSync.sync();
        Files.deleteIfExists(content(id));
        Files.deleteIfExists(queue.resolve(id + STATE));
    }

    /** A message found in the queue at startup. */
    record Recovered(String id, Envelope envelope, DeliveryState state) {}

    /** Cleans crash debris and returns every queued message that still has recipients pending. */
    List<Recovered> recover() throws IOException {
        int stale = deleteAll(tmp);
        if (stale > 0) log.info("spool: removed {} stale temp file(s) from {}", stale, tmp);
        TreeSet<String> ids = new TreeSet<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(queue)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                String id = idOf(name);
                if (id == null) {
                    log.warn("spool: removing unexpected file {}", f);
                    Files.deleteIfExists(f);
                } else {
                    ids.add(id);
                }
            }
        }
        List<Recovered> out = new ArrayList<>();
        for (String id : ids) recoverOne(id, out);
        return out;
    }

    private void recoverOne(String id, List<Recovered> out) throws IOException {
        Path env = queue.resolve(id + ENVELOPE);
        if (!Files.exists(env) || !Files.exists(content(id))) {
            // A commit that never returned (so never acknowledged), or a removal cut short.
            log.info("spool: removing incomplete message {}", id);
            remove(id);
            return;
        }
        Envelope envelope;
        DeliveryState state;
        try {
            envelope = JSON.readValue(env.toFile(), Envelope.class);
            Path stateFile = queue.resolve(id + STATE);
            state = Files.exists(stateFile) ? JSON.readValue(stateFile.toFile(), DeliveryState.class)
                    : DeliveryState.initial(envelope);
        } catch (IOException | RuntimeException e) {
            // Never delete what we cannot read: an operator may repair it. It is skipped until then.
            log.error("spool: cannot read message {} ({}); left in place, not delivered", id, e.toString());
            return;
        }
        if (state.finished()) {
            remove(id);
            return;
        }
        out.add(new Recovered(id, envelope, state));
    }

    private static String idOf(String name) {
        for (String suffix : List.of(ENVELOPE, STATE, CONTENT)) {
            if (name.endsWith(suffix) && name.length() > suffix.length()) return name.substring(0, name.length() - suffix.length());
        }
        return null;
    }

    private static int deleteAll(Path dir) throws IOException {
        int n = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                try {
                    if (Files.deleteIfExists(f)) n++;
                } catch (NoSuchFileException ignored) {
                    // gone already
                }
            }
        }
        return n;
    }

    private static void writeSynced(Path file, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
             OutputStream out = Channels.newOutputStream(ch)) {
            out.write(bytes);
            out.flush();
            ch.force(true);
        }
    }

    /** fsync(2) of a file whatever descriptor wrote it: the kernel flushes the file's dirty pages. */
    static void force(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }
}
