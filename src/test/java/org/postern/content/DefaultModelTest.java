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
import static org.assertj.core.api.Assertions.within;

/**
 * The shipped model: rebuilt from the training side of the corpus split it is byte for byte the shipped file (so
 * {@link DefaultModelBuilder} is its recipe), and on the held-out side, which it never saw, it classifies well.
 * Measurements go to {@code target/content-accuracy.txt}.
 */
class DefaultModelTest {

    @Test
    void theShippedModelIsReproducibleAndAccurateOnHeldOutMail(@TempDir Path dir) throws IOException {
        TrainingSettings settings = TrainingSettings.defaults();
        List<CorpusRun.Item> items = corpus();
        long read = System.nanoTime();
        SpamClassifier rebuilt = CorpusRun.trainer(items, settings).train();
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
                        + "trained on %d in %.1f s; model %d bytes%n", m.describe(), items.size(), readSeconds,
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

    /** The corpus's features, read once for both tests, and how long that took. */
    private static List<CorpusRun.Item> corpus;
    private static double readSeconds;

    private static synchronized List<CorpusRun.Item> corpus() throws IOException {
        if (corpus == null) {
            long start = System.nanoTime();
            corpus = CorpusRun.read(Corpus.require(), TrainingSettings.defaults());
            readSeconds = (System.nanoTime() - start) / 1e9;
        }
        return corpus;
    }

    /**
     * The mix of a training corpus is how it was collected, not what a tenant receives. Trained on the same spam but
     * a quarter of the ham (1.8 spam per ham instead of 1 per 2.2), the model scores held-out ham as the model of the
     * full training side does where it matters for the SCL: the 99th percentile of the classifier's log-odds within
     * 0.75, the median no higher than 0.75 above, and at most 4 more of the 811 ham at SCL 5 (with the offset 4
     * against 1). Measured without the mix offset: the 99th percentile 2.1 and the median 0.9 higher, 10 ham at SCL 5
     * against 1.
     */
    @Test
    void theMixOfTheTrainingMailDoesNotMoveTheScl() throws IOException {
        List<CorpusRun.Item> items = corpus();
        Scores reference = Scores.of(items, 1);
        Scores spamHeavy = Scores.of(items, 0.25);
        String both = spamHeavy + " against " + reference;
        assertThat(spamHeavy.trainedSpam() / (double) spamHeavy.trainedHam()).isGreaterThan(1.5);
        assertThat(spamHeavy.ham99()).as(both).isCloseTo(reference.ham99(), within(0.75));
        assertThat(spamHeavy.hamMedian()).as(both).isLessThanOrEqualTo(reference.hamMedian() + 0.75);
        assertThat(spamHeavy.metrics().hamAtScl5()).as(both).isLessThanOrEqualTo(reference.metrics().hamAtScl5() + 4);
    }

    /** A model trained on the training side with a fraction of its ham, and how it scores the held-out ham. */
    private record Scores(long trainedSpam, long trainedHam, double hamMedian, double ham99, CorpusRun.Metrics metrics) {
        static Scores of(List<CorpusRun.Item> items, double hamKept) {
            Trainer trainer = new Trainer(TrainingSettings.defaults());
            items.stream().filter(i -> !i.heldOut() && (i.spam() || Corpus.sampled(i.entry(), hamKept))).forEach(i -> trainer.add(i.example()));
            SpamClassifier c = trainer.train();
            double[] ham = items.stream().filter(i -> i.heldOut() && !i.spam())
                    .mapToDouble(i -> c.model().score(i.example().slots())).sorted().toArray();
            return new Scores(trainer.spamCount(), trainer.size() - trainer.spamCount(), ham[ham.length / 2],
                    ham[(int) (ham.length * 0.99)], CorpusRun.evaluate(items, c));
        }
    }
}
