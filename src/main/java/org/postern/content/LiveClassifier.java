package org.postern.content;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The classifier a running gateway uses: it follows one model file and swaps in the new model when feedback
 * ({@code ./postern report}, the admin API) rewrites it, so learning takes effect without a restart.
 *
 * <p>Writers replace the file by an atomic rename ({@link ModelFile#save}), so the file's identity (inode), size or
 * modification time changes with every new model and a reader never sees half a model. Each {@link #current()} costs
 * one {@code stat}; a changed file is loaded by one caller while the others keep classifying with the model they have.
 * A file that cannot be read (damaged, another feature set) is logged once and the previous model stays in use: a bad
 * write must not turn the filter off. While the file does not exist the fallback (the bundled model) is used.</p>
 */
public final class LiveClassifier {

    private static final Logger log = LoggerFactory.getLogger(LiveClassifier.class);

    /** What identifies one version of the file; {@code null} fields when the file is absent. */
    private record Stamp(Object fileKey, long size, long modifiedNanos) {
        static final Stamp ABSENT = new Stamp(null, -1, -1);
    }

    private record Loaded(SpamClassifier classifier, Stamp stamp) { }

    private final Path file;
    private final Supplier<SpamClassifier> fallback;
    private final AtomicReference<Loaded> loaded;
    private final Object reloading = new Object();
    private volatile Stamp refused = Stamp.ABSENT;

    private LiveClassifier(Path file, Supplier<SpamClassifier> fallback) {
        this.file = file;
        this.fallback = fallback;
        this.loaded = new AtomicReference<>(new Loaded(fallback.get(), Stamp.ABSENT));
    }

    /**
     * Follows {@code file}; the bundled model while it does not exist. A file that exists at start but cannot be read
     * is an error (the operator named a model they cannot have meant to ignore).
     */
    public static LiveClassifier following(Path file) throws IOException {
        return following(file, SpamClassifier::bundled);
    }

    static LiveClassifier following(Path file, Supplier<SpamClassifier> fallback) throws IOException {
        LiveClassifier live = new LiveClassifier(Objects.requireNonNull(file), fallback);
        Stamp stamp = live.stamp();
        if (!stamp.equals(Stamp.ABSENT)) live.loaded.set(new Loaded(SpamClassifier.load(file), stamp));
        return live;
    }

    /** The model file this classifier follows. */
    public Path file() {
        return file;
    }

    /** The newest readable model: the file is checked on every call (one stat), reloaded when it changed. */
    public SpamClassifier current() {
        Loaded now = loaded.get();
        Stamp stamp = stamp();
        if (stamp.equals(now.stamp()) || stamp.equals(refused)) return now.classifier();
        synchronized (reloading) {
            now = loaded.get();
            if (stamp.equals(now.stamp())) return now.classifier();
            if (stamp.equals(Stamp.ABSENT)) {
                // Deleted: back to the bundled model, as at a start without the file.
                log.info("model file {} is gone: classifying with the bundled model", file);
                now = new Loaded(fallback.get(), Stamp.ABSENT);
                loaded.set(now);
                return now.classifier();
            }
            try {
                now = new Loaded(SpamClassifier.load(file), stamp);
                loaded.set(now);
                log.info("model file {} changed: now classifying with it ({} spam, {} ham learned)",
                        file, now.classifier().spamLearned(), now.classifier().hamLearned());
            } catch (IOException e) {
                refused = stamp;
                log.warn("model file {} changed but cannot be read, keeping the previous model: {}", file, e.getMessage());
            }
            return now.classifier();
        }
    }

    public ContentVerdict classify(MessageView view) {
        return current().classify(view);
    }

    private Stamp stamp() {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return new Stamp(a.fileKey(), a.size(), a.lastModifiedTime().toInstant().getEpochSecond() * 1_000_000_000L
                    + a.lastModifiedTime().toInstant().getNano());
        } catch (NoSuchFileException e) {
            return Stamp.ABSENT;
        } catch (IOException e) {
            log.warn("model file {} cannot be checked: {}", file, e.getMessage());
            return loaded.get().stamp(); // keep what we have
        }
    }
}
