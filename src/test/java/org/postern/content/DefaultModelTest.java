package org.postern.content;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped model: rebuilt from the training side of the corpus split it is byte for byte the shipped file (so
 * {@link DefaultModelBuilder} is its recipe), and on the held-out side, which it never saw, it classifies well.
 * Measurements go to {@code target/content-accuracy.txt}.
 */
class DefaultModelTest {

    @Test
    void theShippedModelIsReproducibleAndAccurateOnHeldOutMail(@TempDir Path dir) throws IOException {
        Path corpus = Corpus.require();
        TrainingSettings settings = TrainingSettings.defaults();
        long start = System.nanoTime();
        List<CorpusRun.Item> items = CorpusRun.read(corpus, settings);
        long read = System.nanoTime();
        SpamClassifier rebuilt = CorpusRun.train(items, settings);
        long trained = System.nanoTime();
        Path model = dir.resolve("model.bin");
        rebuilt.save(model);

        byte[] shipped;
        try (InputStream in = SpamClassifier.class.getResourceAsStream("default-model.bin")) {
            assertThat(in).as("default-model.bin on the class path").isNotNull();
            shipped = in.readAllBytes();
        }
        assertThat(Files.readAllBytes(model))
                .as("the shipped model differs from what the corpus gives: run bench/content/regenerate-default-model.sh")
                .isEqualTo(shipped);

        CorpusRun.Metrics m = CorpusRun.evaluate(items, SpamClassifier.bundled());
        long trainingMessages = items.stream().filter(i -> !i.heldOut()).count();
        String report = String.format(Locale.ROOT, "%s%nread and featurised %d messages in %.1f s (%d threads); "
                        + "trained on %d in %.1f s; model %d bytes%n", m.describe(), items.size(), (read - start) / 1e9,
                Runtime.getRuntime().availableProcessors(), trainingMessages, (trained - read) / 1e9, shipped.length);
        System.out.print(report);
        Files.writeString(Path.of("target", "content-accuracy.txt"), report);

        assertThat(m.spam()).isGreaterThan(300);
        assertThat(m.ham()).isGreaterThan(700);
        assertThat(m.accuracy()).as(report).isGreaterThanOrEqualTo(0.985);
        assertThat((double) m.spamCaught() / m.spam()).as(report).isGreaterThanOrEqualTo(0.97);
        assertThat((double) m.hamFlagged() / m.ham()).as(report).isLessThanOrEqualTo(0.015);
        assertThat((double) m.hamAtScl7() / m.ham()).as(report).isLessThanOrEqualTo(0.005);
        assertThat(m.auc()).as(report).isGreaterThanOrEqualTo(0.995);
        assertThat(shipped.length).isLessThan(4 << 20);
    }
}
