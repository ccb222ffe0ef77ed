package org.postern.content;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One parallel pass over the corpus: each message's features, its side of the split, and the weight of the
 * heuristics (which do not depend on the model), so training and held-out evaluation need no second parse.
 */
final class CorpusRun {

    record Item(String entry, boolean spam, boolean heldOut, Trainer.Example example, double heuristics, int bcl) { }

    record Metrics(int spam, int ham, int spamCaught, int hamFlagged, int spamAtScl5, int hamAtScl5, int hamAtScl7,
                   double auc) {
        double accuracy() {
            return (double) (spamCaught + ham - hamFlagged) / (spam + ham);
        }

        String describe() {
            return String.format(Locale.ROOT, "held-out %d spam / %d ham: accuracy %.2f%% at p>=0.5 (spam recall %.2f%%, "
                            + "ham FP %.2f%%); at SCL>=5 spam recall %.2f%%, ham FP %.2f%%; ham FP at SCL>=7 %.2f%%; ROC AUC %.4f",
                    spam, ham, 100 * accuracy(), 100.0 * spamCaught / spam, 100.0 * hamFlagged / ham,
                    100.0 * spamAtScl5 / spam, 100.0 * hamAtScl5 / ham, 100.0 * hamAtScl7 / ham, auc);
        }
    }

    private CorpusRun() {
    }

    static List<Item> read(Path corpus, TrainingSettings settings) throws IOException {
        return read(corpus, settings, view -> view);
    }

    /**
     * The corpus as some public corpora store mail: each message cut down to its Subject and decoded text, with no
     * other header and no MIME structure.
     */
    static List<Item> readWithoutHeaders(Path corpus, TrainingSettings settings) throws IOException {
        return read(corpus, settings, MessageView::keptAsSubjectAndText);
    }

    private static List<Item> read(Path corpus, TrainingSettings settings, java.util.function.UnaryOperator<MessageView> as)
            throws IOException {
        Trainer prep = new Trainer(settings);
        SclCalculator scl = SclCalculator.standard();
        ContentVerdict neutral = new ContentVerdict(0.5, List.of());
        List<Item> items = new ArrayList<>();
        for (String archive : Corpus.ARCHIVES) {
            boolean spam = archive.startsWith("spam");
            Path file = corpus.resolve(archive);
            int prefix = file.toString().length() + 1;
            MessageBatch.run(List.of(file), ViewLimits.forClassification(), Runtime.getRuntime().availableProcessors(),
                    (name, parsed) -> {
                        MessageView view = as.apply(parsed);
                        try {
                            SclResult h = scl.calculate(neutral, view, SclInputs.none());
                            String entry = name.substring(prefix);
                            return new Item(entry, spam, Corpus.heldOut(entry), prep.prepare(view, spam), h.score(), h.bcl());
                        } finally {
                            if (view != parsed) view.close();
                        }
                    },
                    (name, item) -> items.add(item));
        }
        return items;
    }

    /** A trainer holding the training side of the split (every message but the held-out fifth). */
    static Trainer trainer(List<Item> items, TrainingSettings settings) {
        Trainer trainer = new Trainer(settings);
        items.stream().filter(i -> !i.heldOut()).forEach(i -> trainer.add(i.example()));
        return trainer;
    }

    static Metrics evaluate(List<Item> items, SpamClassifier classifier) {
        SclWeights weights = SclWeights.bundled();
        int spam = 0, ham = 0, caught = 0, flagged = 0, spam5 = 0, ham5 = 0, ham7 = 0;
        List<double[]> scored = new ArrayList<>();
        for (Item i : items) {
            if (!i.heldOut()) continue;
            double logOdds = classifier.model().score(i.example().slots());
            double p = SpamModel.probability(classifier.model().scoreWithSigns(i.example().slots()));
            double limit = weights.classifierLimit();
            int s = weights.sclFor(Math.max(-limit, Math.min(limit, logOdds)) + i.heuristics());
            scored.add(new double[] {logOdds + i.heuristics(), i.spam() ? 1 : 0});
            if (i.spam()) {
                spam++;
                if (p >= 0.5) caught++;
                if (s >= 5) spam5++;
            } else {
                ham++;
                if (p >= 0.5) flagged++;
                if (s >= 5) ham5++;
                if (s >= 7) ham7++;
            }
        }
        return new Metrics(spam, ham, caught, flagged, spam5, ham5, ham7, auc(scored));
    }

    /** The probability that a random spam scores above a random ham (ties count half). */
    private static double auc(List<double[]> scored) {
        scored.sort((a, b) -> Double.compare(a[0], b[0]));
        double rankSum = 0;
        long positives = 0;
        for (int i = 0; i < scored.size(); ) {
            int j = i;
            while (j < scored.size() && scored.get(j)[0] == scored.get(i)[0]) j++;
            double rank = (i + 1 + j) / 2.0;
            for (int k = i; k < j; k++) if (scored.get(k)[1] == 1) { rankSum += rank; positives++; }
            i = j;
        }
        long negatives = scored.size() - positives;
        return (rankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }
}
