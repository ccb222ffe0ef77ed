package org.postern.content;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32;

/**
 * Development tool, not a test: the in-process twin of {@code bench/accuracy/run.sh}'s Postern part, for trying
 * classifier changes quickly. Same folds (CRC-32 of the entry name mod 5), features extracted once, each fold
 * trained on the other four with the given settings; pooled over the folds it prints recall and ham false positives
 * at SCL 5 and 7, ROC AUC, and two threshold-free numbers: ham FP at the score that catches 99% of spam, and spam
 * recall at the score that flags at most 0.1% of ham.
 * Usage: java [-Dorders=N] ... CrossValidation [bits rate epochs margin]...
 */
public final class CrossValidation {

    static final int FOLDS = 5;

    public static void main(String[] args) throws Exception {
        Path corpus = Corpus.locate().orElseThrow();
        List<TrainingSettings> runs = new ArrayList<>();
        for (int a = 0; a + 3 < args.length; a += 4) {
            runs.add(new TrainingSettings(Integer.parseInt(args[a]), Double.parseDouble(args[a + 1]),
                    Integer.parseInt(args[a + 2]), Double.parseDouble(args[a + 3]), Long.getLong("seed", 20_02L), Integer.getInteger("orders", 5)));
        }
        if (runs.isEmpty()) runs.add(TrainingSettings.defaults());
        long t0 = System.nanoTime();
        List<CorpusRun.Item> items = CorpusRun.read(corpus, runs.get(0));
        System.out.printf(Locale.ROOT, "read %d messages in %.1f s%n", items.size(), (System.nanoTime() - t0) / 1e9);
        if (Boolean.getBoolean("trainingSide")) {
            // Only the bundled model's training side (the held-out fifth stays unseen), e.g. for choosing SCL bands.
            items = items.stream().filter(i -> !i.heldOut()).toList();
        }
        for (TrainingSettings s : runs) {
            if (s.hashBits() != runs.get(0).hashBits()) items = CorpusRun.read(corpus, s);
            List<Scored> scored = evaluate(items, s, testVariant(s));
            System.out.println(describe(s, scored));
            if (System.getProperty("floors") != null) {
                for (String floor : System.getProperty("floors").split(",")) {
                    double t = Double.parseDouble(floor);
                    long spam = scored.stream().filter(Scored::spam).count();
                    long caught = scored.stream().filter(x -> x.spam() && x.total() >= t).count();
                    long flagged = scored.stream().filter(x -> !x.spam() && x.total() >= t).count();
                    System.out.printf(Locale.ROOT, "  total >= %s: spam recall %.2f%%, ham flagged %d of %d (%.3f%%)%n", floor,
                            100.0 * caught / spam, flagged, scored.size() - spam, 100.0 * flagged / (scored.size() - spam));
                }
            }
            if (System.getenv("DUMP") != null) {
                long shown = Long.parseLong(System.getenv().getOrDefault("DUMPN", "30")); // highest ham, lowest spam
                scored.stream().filter(x -> !x.spam()).sorted(Comparator.comparingDouble(Scored::total).reversed()).limit(shown)
                        .forEach(x -> System.out.printf(Locale.ROOT, "  ham  %7.2f SCL %d %s%n", x.total(), x.scl(), x.entry() + "  " + PARTS.get(x.entry())));
                scored.stream().filter(Scored::spam).sorted(Comparator.comparingDouble(Scored::total)).limit(shown)
                        .forEach(x -> System.out.printf(Locale.ROOT, "  spam %7.2f SCL %d %s%n", x.total(), x.scl(), x.entry() + "  " + PARTS.get(x.entry())));
            }
        }
    }

    static int fold(String entry) {
        CRC32 crc = new CRC32();
        crc.update(entry.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % FOLDS);
    }

    /** With DUMP set: per dumped message, its classifier and heuristics parts. */
    static final java.util.Map<String, String> PARTS = new java.util.concurrent.ConcurrentHashMap<>();

    /** One scored test message: its label, SCL and the SCL's unclamped total. */
    record Scored(String entry, boolean spam, int scl, double total) { }

    /**
     * -Dpostern.testCorpus=DIR: each test message is taken from that copy of the corpus (same entry names), the
     * heuristics from -Dpostern.testHeuristicsCorpus (default the same copy): models trained on the corpus as stored,
     * judged on mail as something else sees it (e.g. a gateway in front of the recipient's MX).
     */
    static java.util.Map<String, CorpusRun.Item> testVariant(TrainingSettings s) throws java.io.IOException {
        String dir = System.getProperty("postern.testCorpus");
        if (dir == null) return java.util.Map.of();
        java.util.Map<String, CorpusRun.Item> slots = new java.util.HashMap<>();
        for (CorpusRun.Item i : CorpusRun.read(Path.of(dir), s)) slots.put(i.entry(), i);
        String hdir = System.getProperty("postern.testHeuristicsCorpus");
        if (hdir == null) return slots;
        java.util.Map<String, CorpusRun.Item> out = new java.util.HashMap<>();
        for (CorpusRun.Item i : CorpusRun.read(Path.of(hdir), s)) {
            CorpusRun.Item v = slots.get(i.entry());
            out.put(i.entry(), new CorpusRun.Item(v.entry(), v.spam(), v.heldOut(), v.example(), i.heuristics(), i.bcl()));
        }
        return out;
    }

    /**
     * -Dpostern.alsoTrainOn=DIR: another copy of the corpus (same entry names, e.g. stored without headers) whose
     * messages are added to each fold's training side, never those of the fold under test: a model that learns from
     * both ways of keeping mail, judged on one.
     */
    static final List<CorpusRun.Item> ALSO_TRAIN_ON = alsoTrainOn();

    private static List<CorpusRun.Item> alsoTrainOn() {
        String dir = System.getProperty("postern.alsoTrainOn");
        if (dir == null) return List.of();
        try {
            return CorpusRun.read(Path.of(dir), TrainingSettings.defaults());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static List<Scored> evaluate(List<CorpusRun.Item> items, TrainingSettings s) {
        return evaluate(items, s, java.util.Map.of());
    }

    static List<Scored> evaluate(List<CorpusRun.Item> items, TrainingSettings s, java.util.Map<String, CorpusRun.Item> variant) {
        SclWeights weights = SclWeights.bundled();
        double h = Double.parseDouble(System.getProperty("heuristics", "1"));
        List<Scored> scored = new ArrayList<>();
        String testArchives = System.getProperty("testArchives");
        for (int k = 0; k < (testArchives == null ? FOLDS : 1); k++) {
            Trainer trainer = new Trainer(s);
            List<CorpusRun.Item> test = new ArrayList<>();
            for (CorpusRun.Item i : items) {
                if (testArchives == null ? fold(i.entry()) == k : inArchives(i.entry(), testArchives)) {
                    test.add(variant.getOrDefault(i.entry(), i));
                } else if (kept(i)) {
                    trainer.add(i.example());
                }
            }
            for (CorpusRun.Item i : ALSO_TRAIN_ON) {
                if (testArchives == null ? fold(i.entry()) != k : !inArchives(i.entry(), testArchives)) trainer.add(i.example());
            }
            SpamClassifier c = trainer.train();
            for (CorpusRun.Item i : test) {
                double logOdds = c.model().score(i.example().slots());
                double limit = weights.classifierLimit();
                double total = Math.max(-limit, Math.min(limit, logOdds)) + h * i.heuristics();
                scored.add(new Scored(i.entry(), i.spam(), weights.sclFor(total), logOdds + h * i.heuristics()));
                if (System.getenv("DUMP") != null) PARTS.put(i.entry(), String.format(Locale.ROOT, "classifier %.2f heuristics %.2f", logOdds, i.heuristics()));
            }
        }
        return scored;
    }

    /**
     * -DtestArchives=easy_ham_2,spam_2: one split instead of the folds, testing on those archives' mail and training
     * on the rest (the later archives against the earlier ones: how the model holds up on mail it did not grow with).
     */
    static boolean inArchives(String entry, String archives) {
        for (String a : archives.split(",")) if (entry.startsWith(a + "/")) return true;
        return false;
    }

    /** -DtrainHamKeep / -DtrainSpamKeep: the fraction of each kind kept for training (a different class mix). */
    static boolean kept(CorpusRun.Item i) {
        return Corpus.sampled(i.entry(), Double.parseDouble(System.getProperty(i.spam() ? "trainSpamKeep" : "trainHamKeep", "1")));
    }

    static String describe(TrainingSettings s, List<Scored> scored) {
        long spam = scored.stream().filter(Scored::spam).count();
        long ham = scored.size() - spam;
        long spam5 = scored.stream().filter(x -> x.spam() && x.scl() >= 5).count();
        long ham5 = scored.stream().filter(x -> !x.spam() && x.scl() >= 5).count();
        long ham7 = scored.stream().filter(x -> !x.spam() && x.scl() >= 7).count();
        List<Double> spamTotals = scored.stream().filter(Scored::spam).map(Scored::total).sorted().toList();
        List<Double> hamTotals = scored.stream().filter(x -> !x.spam()).map(Scored::total).sorted(Comparator.reverseOrder()).toList();
        double at99 = spamTotals.get((int) Math.floor(spam * 0.01)); // 99% of spam score at least this
        long hamAt99 = hamTotals.stream().filter(t -> t >= at99).count();
        int allowed = (int) Math.floor(ham * 0.001); // 0.1% of ham
        double atFp = hamTotals.get(allowed); // flag above the (allowed+1)-th highest ham
        long spamAtFp = spamTotals.stream().filter(t -> t > atFp).count();
        return String.format(Locale.ROOT, "bits=%d rate=%s epochs=%d margin=%s orders=%d | SCL>=5 recall %.2f%% hamFP %.3f%% (%d) | "
                        + "SCL>=7 hamFP %.3f%% (%d) | AUC %.5f | at 99%% recall hamFP %.3f%% (%d) | at 0.1%% hamFP recall %.2f%%",
                s.hashBits(), s.learningRate(), s.epochs(), s.margin(), s.orders(), 100.0 * spam5 / spam, 100.0 * ham5 / ham, ham5,
                100.0 * ham7 / ham, ham7, auc(scored), 100.0 * hamAt99 / ham, hamAt99, 100.0 * spamAtFp / spam);
    }

    static double auc(List<Scored> scored) {
        List<double[]> rows = new ArrayList<>();
        for (Scored x : scored) rows.add(new double[] {x.total(), x.spam() ? 1 : 0});
        rows.sort(Comparator.comparingDouble(r -> r[0]));
        double rankSum = 0;
        long positives = 0;
        for (int i = 0; i < rows.size(); ) {
            int j = i;
            while (j < rows.size() && rows.get(j)[0] == rows.get(i)[0]) j++;
            double rank = (i + 1 + j) / 2.0;
            for (int k = i; k < j; k++) if (rows.get(k)[1] == 1) { rankSum += rank; positives++; }
            i = j;
        }
        long negatives = rows.size() - positives;
        return (rankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }
}
