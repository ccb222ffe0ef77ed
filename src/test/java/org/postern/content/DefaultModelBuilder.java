package org.postern.content;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Regenerates the shipped model, {@code src/main/resources/org/postern/content/default-model.bin}, from the training
 * side of the corpus split ({@link Corpus#heldOut}) with {@link TrainingSettings#defaults()}, and prints the
 * held-out metrics. Deterministic: {@code DefaultModelTest} checks the shipped file is what this writes.
 *
 * <pre>bench/content/regenerate-default-model.sh</pre>
 */
public final class DefaultModelBuilder {

    static final Path SHIPPED = Path.of("src", "main", "resources", "org", "postern", "content", "default-model.bin");

    public static void main(String[] args) throws Exception {
        Path corpus = Corpus.locate().orElseThrow(() -> new IllegalStateException("corpus not found (-Dpostern.corpus=DIR)"));
        Path target = args.length > 0 ? Path.of(args[0]) : SHIPPED;
        TrainingSettings settings = TrainingSettings.defaults();
        long start = System.nanoTime();
        List<CorpusRun.Item> items = CorpusRun.read(corpus, settings);
        long read = System.nanoTime();
        Trainer trainer = CorpusRun.trainer(items, settings);
        SpamClassifier classifier = trainer.train();
        long trained = System.nanoTime();
        classifier.save(target);
        SpamClassifier shipped = SpamClassifier.load(target);
        long training = items.stream().filter(i -> !i.heldOut()).count();
        System.out.printf(Locale.ROOT, "read %d messages in %.1f s, trained on %d in %.1f s; wrote %s (%d bytes)%n",
                items.size(), (read - start) / 1e9, training, (trained - read) / 1e9, target, Files.size(target));
        System.out.println(trainer.calibration().describe());
        System.out.println(trainer.calibration().estimate().describe());
        System.out.println(trainer.calibration().copies().describe());
        System.out.println(CorpusRun.evaluate(items, shipped).describe());
    }
}
