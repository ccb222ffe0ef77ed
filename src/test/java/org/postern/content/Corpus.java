package org.postern.content;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * The SpamAssassin public corpus in {@code shared/corpus/spamassassin} (label by archive: {@code spam*} is spam,
 * the rest ham), with the deterministic split the shipped model is trained on: a message is held out for evaluation
 * when the CRC-32 of its archive entry name (e.g. {@code spam_2/00001.317e...}) is divisible by 5, about 20%.
 * Training never sees a held-out message.
 */
final class Corpus {

    static final String[] ARCHIVES = {"easy_ham.tar.gz", "easy_ham_2.tar.gz", "hard_ham.tar.gz", "spam.tar.gz", "spam_2.tar.gz"};

    record Message(String entry, boolean spam, MessageView view) { }

    private Corpus() {
    }

    static boolean heldOut(String entryName) {
        CRC32 crc = new CRC32();
        crc.update(entryName.getBytes(StandardCharsets.UTF_8));
        return crc.getValue() % 5 == 0;
    }

    /**
     * Whether a message is in a deterministic sample of about {@code fraction} of the corpus (CRC-32 of the entry name
     * with a suffix, so the sample does not follow the held-out split or the folds): for training on another mix.
     */
    static boolean sampled(String entryName, double fraction) {
        if (fraction >= 1) return true;
        CRC32 crc = new CRC32();
        crc.update((entryName + "#keep").getBytes(StandardCharsets.UTF_8));
        return crc.getValue() % 10_000 < fraction * 10_000;
    }

    /** The corpus folder: -Dpostern.corpus, else ../shared/corpus/spamassassin, else /work/shared/corpus/spamassassin. */
    static Optional<Path> locate() {
        List<Path> candidates = new ArrayList<>();
        String property = System.getProperty("postern.corpus");
        if (property != null) candidates.add(Path.of(property));
        candidates.add(Path.of("..", "shared", "corpus", "spamassassin"));
        candidates.add(Path.of("/work/shared/corpus/spamassassin"));
        return candidates.stream().filter(p -> Files.isRegularFile(p.resolve("spam.tar.gz"))).findFirst();
    }

    /** For tests: the corpus, or a skip on a developer machine without it; under CI a missing corpus fails. */
    static Path require() {
        Optional<Path> found = locate();
        if (found.isEmpty() && System.getenv("CI") != null && !System.getenv("CI").isBlank()) {
            throw new IllegalStateException("CI: the corpus shared/corpus/spamassassin is missing");
        }
        Assumptions.assumeTrue(found.isPresent(), "corpus shared/corpus/spamassassin not found");
        return found.get();
    }

    /** Reads every message of the wanted side of the split, in archive order, and hands over its view. */
    static void forEach(Path corpus, boolean wantHeldOut, ViewLimits limits, java.util.function.Consumer<Message> consumer)
            throws IOException {
        for (String archive : ARCHIVES) {
            boolean spam = archive.startsWith("spam");
            Path file = corpus.resolve(archive);
            MailInputs.forEach(file, (name, in) -> {
                String entry = name.substring(file.toString().length() + 1);
                if (heldOut(entry) != wantHeldOut) return;
                try (MessageView view = MessageView.parse(in, limits)) {
                    consumer.accept(new Message(entry, spam, view));
                }
            });
        }
    }
}
