package org.postern.content;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Development tool, not a test: cross-validates training settings on the TRAINING side of the corpus split only
 * (5 folds by entry-name hash), so the held-out messages stay unseen while settings are chosen.
 * Usage: java ... TuneClassifier bits rate epochs margin [...more quadruples]
 */
public final class TuneClassifier {

    record Example(String entry, boolean spam, MessageView view) { }

    public static void main(String[] args) throws Exception {
        Path corpus = Corpus.locate().orElseThrow();
        List<Corpus.Message> messages = new ArrayList<>();
        long t0 = System.nanoTime();
        Corpus.forEach(corpus, false, ViewLimits.forClassification(), messages::add);
        System.out.printf(Locale.ROOT, "parsed %d training-side messages in %.1f s%n", messages.size(), (System.nanoTime() - t0) / 1e9);
        for (int a = 0; a + 3 < args.length; a += 4) {
            TrainingSettings s = new TrainingSettings(Integer.parseInt(args[a]), Double.parseDouble(args[a + 1]),
                    Integer.parseInt(args[a + 2]), Double.parseDouble(args[a + 3]), 2002);
            int fp = 0, fn = 0, ham = 0, spam = 0;
            Trainer prep = new Trainer(s);
            List<Trainer.Example> examples = messages.stream().map(m -> prep.prepare(m.view(), m.spam())).toList();
            for (int fold = 0; fold < 5; fold++) {
                Trainer trainer = new Trainer(s);
                List<Corpus.Message> test = new ArrayList<>();
                for (int i = 0; i < messages.size(); i++) {
                    Corpus.Message m = messages.get(i);
                    if (Math.floorMod(m.entry().hashCode(), 5) == fold) test.add(m);
                    else trainer.add(examples.get(i));
                }
                SpamClassifier c = trainer.train();
                for (Corpus.Message m : test) {
                    double p = c.spamProbability(m.view());
                    if (m.spam()) { spam++; if (p < 0.5) fn++; } else { ham++; if (p >= 0.5) fp++; }
                }
            }
            System.out.printf(Locale.ROOT, "bits=%d rate=%s epochs=%d margin=%s: FP %d/%d (%.2f%%), FN %d/%d (%.2f%%), accuracy %.3f%%%n",
                    s.hashBits(), s.learningRate(), s.epochs(), s.margin(), fp, ham, 100.0 * fp / ham, fn, spam,
                    100.0 * fn / spam, 100.0 * (ham + spam - fp - fn) / (ham + spam));
        }
    }
}
