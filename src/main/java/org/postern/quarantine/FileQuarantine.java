package org.postern.quarantine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Quarantine on the node's disk: {@code <data-dir>/quarantine/<tenant>/<id>.eml} (the message as it would have
 * been delivered, Postern's headers included) beside {@code <id>.json} (its {@link QuarantinedMessage}). A held
 * message is durable (fsync) before the client hears 250. Release moves both files into {@code released/}, from
 * where the running node takes them into its spool ({@link QuarantineReleaser}).
 */
public final class FileQuarantine implements Quarantine {

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,62}");
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule()).registerModule(new Jdk8Module())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final Path root;

    public FileQuarantine(Path dataDir) {
        this.root = dataDir.resolve("quarantine");
    }

    /** Holds a message: {@code headers} then the received content, made durable before returning. */
    @Override
    public void hold(QuarantinedMessage m, String headers, Path content) throws IOException {
        Path dir = Files.createDirectories(tenantDir(m.tenant()));
        Path eml = dir.resolve(safe(m.id()) + ".eml");
        try (OutputStream out = Files.newOutputStream(eml, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
             InputStream in = Files.newInputStream(content)) {
            out.write(headers.getBytes(StandardCharsets.UTF_8));
            in.transferTo(out);
        }
        fsync(eml);
        Path tmp = dir.resolve(safe(m.id()) + ".json.tmp");
        Files.write(tmp, JSON.writeValueAsBytes(m));
        fsync(tmp);
        Files.move(tmp, dir.resolve(safe(m.id()) + ".json"), StandardCopyOption.ATOMIC_MOVE);
        fsync(dir);
    }

    /** The tenant's held messages, newest first. */
    @Override
    public List<QuarantinedMessage> list(String tenant) throws IOException {
        return read(tenantDir(tenant));
    }

    @Override
    public Optional<QuarantinedMessage> find(String tenant, String id) throws IOException {
        Path json = tenantDir(tenant).resolve(safe(id) + ".json");
        return Files.exists(json) ? Optional.of(JSON.readValue(json.toFile(), QuarantinedMessage.class)) : Optional.empty();
    }

    /** The held message as it would be delivered. */
    @Override
    public InputStream open(String tenant, String id) throws IOException {
        return Files.newInputStream(tenantDir(tenant).resolve(safe(id) + ".eml"));
    }

    /**
     * Hands the message to delivery: it leaves the tenant's list now and the running node spools it.
     *
     * @param by who released it (an admin's name), for the trace
     */
    @Override
    public boolean release(String tenant, String id, String by, Instant at) throws IOException {
        Path dir = tenantDir(tenant);
        Path json = dir.resolve(safe(id) + ".json");
        if (!Files.exists(json)) return false;
        QuarantinedMessage m = JSON.readValue(json.toFile(), QuarantinedMessage.class);
        Path released = Files.createDirectories(releasedDir());
        Files.move(dir.resolve(safe(id) + ".eml"), released.resolve(safe(id) + ".eml"), StandardCopyOption.ATOMIC_MOVE);
        Path tmp = released.resolve(safe(id) + ".json.tmp");
        Files.write(tmp, JSON.writeValueAsBytes(m.releasedBy(by, at)));
        fsync(tmp);
        Files.move(tmp, released.resolve(safe(id) + ".json"), StandardCopyOption.ATOMIC_MOVE);
        Files.delete(json);
        fsync(released);
        fsync(dir);
        return true;
    }

    /** Deletes the tenant's messages held before {@code cutoff} (its retention); returns how many. */
    @Override
    public int expire(String tenant, Instant cutoff) throws IOException {
        int n = 0;
        for (QuarantinedMessage m : list(tenant)) {
            if (m.heldAt().isBefore(cutoff) && delete(tenant, m.id())) n++;
        }
        return n;
    }

    /** Tenants with a quarantine folder. */
    @Override
    public List<String> tenants() throws IOException {
        Path dir = root.resolve("tenants");
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) return out;
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(dir)) {
            for (Path d : dirs) out.add(d.getFileName().toString());
        }
        return out;
    }

    @Override
    public boolean delete(String tenant, String id) throws IOException {
        Path dir = tenantDir(tenant);
        boolean existed = Files.deleteIfExists(dir.resolve(safe(id) + ".json"));
        Files.deleteIfExists(dir.resolve(safe(id) + ".eml"));
        return existed;
    }

    /** Released messages waiting to be spooled. */
    @Override
    public List<QuarantinedMessage> released() throws IOException {
        return read(releasedDir());
    }

    Path releasedContent(String id) {
        return releasedDir().resolve(safe(id) + ".eml");
    }

    @Override
    public InputStream openReleased(String id) throws IOException {
        return Files.newInputStream(releasedContent(id));
    }

    @Override
    public void forgetReleased(String id) throws IOException {
        Files.deleteIfExists(releasedDir().resolve(safe(id) + ".json"));
        Files.deleteIfExists(releasedDir().resolve(safe(id) + ".eml"));
    }

    private List<QuarantinedMessage> read(Path dir) throws IOException {
        List<QuarantinedMessage> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) return out;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
            for (Path f : files) {
                try {
                    out.add(JSON.readValue(f.toFile(), QuarantinedMessage.class));
                } catch (NoSuchFileException raced) {
                    // released or deleted meanwhile
                }
            }
        }
        out.sort(Comparator.comparing(QuarantinedMessage::heldAt).reversed());
        return out;
    }

    private Path tenantDir(String tenant) {
        return root.resolve("tenants").resolve(safe(tenant));
    }

    private Path releasedDir() {
        return root.resolve("released");
    }

    /** Ids and tenant ids become file names: nothing else may reach the file system. */
    private static String safe(String name) {
        if (!SAFE.matcher(name).matches()) throw new IllegalArgumentException("not a quarantine id or tenant: " + name);
        return name;
    }

    private static void fsync(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
