package org.postern.content;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * How far a newly trained model's log-odds sit from the truth on mail it did not learn, as one shift of its bias.
 *
 * <p>Training stops stepping on a message once the model is sure enough of it (the thick threshold), so how sure the
 * model is of new mail depends on the corpus: on mail with full headers its log-odds came out about right, on mail
 * stored without headers (Subject and text only) they were about 1 too low for spam and ham alike while the fields
 * such copies lost still counted against them, and SCL 5 caught 86 % of that spam, 92 % once calibrated
 * (cross-validated; README). So the training messages are split in
 * {@value #PARTS}; a model is
 * trained on all but one part and scores that part, and the shift is the one that makes those held-out scores (with
 * the message's signs and the mix offset, as training saw them) best predict the labels: a one-parameter logistic
 * regression, Platt's calibration with the slope kept at 1 so that the SCL reasons' weights keep their meaning.
 *
 * <p>A shift down (the model too sure of spam) is applied in full. A shift up stops where more than
 * {@link #HELD_OUT_HAM_AT_JUNK} of the held-out ham would reach SCL 5: a better-calibrated SCL is no excuse for
 * junking ham. That share is twice the 0.1 % the SCL aims at because the held-out scores come from models trained on
 * three quarters of the mail, whose ham tail is heavier than the full model's (cross-validated on mail without
 * headers: 0.2 % held out left 0.12-0.15 % of unseen ham at SCL 5).
 */
public final class HeldOutCalibration {

    static final int PARTS = 4;
    /** Fewer messages of either kind than this, and the held-out scores say too little: no shift. */
    static final int MIN_PER_KIND = 50;
    /** The largest shift applied, in log-odds: more would say the corpus is broken, not the model. */
    static final double MAX_SHIFT = 3;
    /** The share of held-out ham a shift up may put at SCL 5 or above (see the class comment). */
    static final double HELD_OUT_HAM_AT_JUNK = 0.002;
    private static final long PARTS_SEED = 0x5CA1AB1EL;
    /** The SCL total at which mail is junked (SCL 5). */
    private static final double JUNK_FLOOR = SclWeights.bundled().floorOf(5);

    private HeldOutCalibration() {
    }

    /**
     * What calibration found: {@code fitted}, the shift that best predicts the held-out labels (0 when there was too
     * little mail), and {@code applied}, what the model's bias was moved by.
     */
    public record Shift(double fitted, double applied, boolean measured, Estimate estimate, CopyShift copies) {
        static final Shift NONE = new Shift(0, 0, false, Estimate.NONE, CopyShift.NONE);

        /** One line for {@code train}'s output. */
        public String describe() {
            if (!measured) {
                return "log-odds not calibrated (fewer than " + MIN_PER_KIND + " messages of a kind)";
            }
            String line = String.format(java.util.Locale.ROOT, "log-odds calibrated on held-out mail: %+.2f", applied);
            if (applied != fitted) {
                line += String.format(java.util.Locale.ROOT, " (fitted %+.2f, held back so that at most %.1f %% of "
                        + "held-out ham reaches SCL 5)", fitted, HELD_OUT_HAM_AT_JUNK * 100);
            }
            return line;
        }
    }

    /**
     * How the held-out scores fare at SCL 5 once shifted: each part of the training mail scored by a model trained on
     * the other parts, so an estimate, from the administrator's own mail, of what the model will do with mail it has
     * not seen. It is pessimistic, on ham about twice the full model's rate on the SpamAssassin corpus's folds (README),
     * since those models learned from {@value #PARTS}-1 parts of {@value #PARTS}. The SCL
     * here is the classifier's log-odds and the message's own signs, as {@code classify} gives it; at the gateway the
     * connection's evidence (blocklists, authentication) adds to it.
     */
    public record Estimate(long spam, long spamAtJunk, long ham, long hamAtJunk) {
        static final Estimate NONE = new Estimate(0, 0, 0, 0);

        /** One line for {@code train}'s output. */
        public String describe() {
            return String.format(java.util.Locale.ROOT, "held-out estimate (each quarter of the training mail scored "
                    + "by a model trained on the rest): SCL 5 or above for %.2f %% of spam (%d of %d) and %.3f %% of ham "
                    + "(%d of %d)", 100.0 * spamAtJunk / spam, spamAtJunk, spam, 100.0 * hamAtJunk / ham, hamAtJunk, ham);
        }
    }

    /**
     * How far the model's log-odds sit from the truth on copies of mail kept without its header block (its Subject and
     * text, as some corpora and exports keep mail), when it learned from mail with headers. Such a copy lacks every
     * header feature the model leans on, so its log-odds come out low: cross-validated on the SpamAssassin corpus, a
     * model of the corpus as stored put 79.8 % of the held-out copies' spam at SCL 5 with 2 of 4,149 ham, where the
     * ranking allowed 91.2 % at 4. The held-out models score the copies of their held-out part, and the shift is fitted
     * and held back as the main one is; it is kept apart ({@link SpamModel#copyShift}) and added only to such copies'
     * log-odds, so mail with headers is judged as before.
     */
    public record CopyShift(double fitted, double applied, boolean measured, Estimate estimate) {
        static final CopyShift NONE = new CopyShift(0, 0, false, Estimate.NONE);

        /** One line for {@code train}'s output. */
        public String describe() {
            if (!measured) return "";
            String line = String.format(java.util.Locale.ROOT, "copies kept without their header block: log-odds "
                    + "calibrated on held-out copies: %+.2f", applied);
            if (applied != fitted) {
                line += String.format(java.util.Locale.ROOT, " (fitted %+.2f, held back so that at most %.1f %% of "
                        + "held-out ham reaches SCL 5)", fitted, HELD_OUT_HAM_AT_JUNK * 100);
            }
            return line + "; " + estimate.describe().replace("held-out estimate", "held-out copies");
        }
    }

    /**
     * The shift for a model trained on {@code examples} with the mix {@code offset}; {@code trainer} trains a fresh
     * model on a subset the same way. The parts are chosen by a seeded shuffle and trained in parallel, each on its own
     * model, so the shift is the same on every run.
     */
    static Shift shift(List<Trainer.Example> examples, double offset, TrainingSettings settings,
                       Function<List<Trainer.Example>, SpamModel> trainer) {
        long spam = examples.stream().filter(Trainer.Example::spam).count();
        if (spam < MIN_PER_KIND || examples.size() - spam < MIN_PER_KIND) return Shift.NONE;
        List<Integer> order = new ArrayList<>(IntStream.range(0, examples.size()).boxed().toList());
        Collections.shuffle(order, new Random(settings.seed() ^ PARTS_SEED));
        int[] part = new int[examples.size()];
        for (int i = 0; i < order.size(); i++) part[order.get(i)] = i % PARTS;
        double[][] heldOutScores = IntStream.range(0, PARTS).parallel().mapToObj(p -> {
            List<Trainer.Example> rest = new ArrayList<>();
            for (int i = 0; i < examples.size(); i++) if (part[i] != p) rest.add(examples.get(i));
            SpamModel model = trainer.apply(rest);
            double[] scores = new double[2 * examples.size()];
            for (int i = 0; i < examples.size(); i++) {
                if (part[i] != p) continue;
                scores[i] = model.scoreWithSigns(examples.get(i).slots()) + offset;
                // The same model scores the message's copy: a fresh model's copies' shift is 0, so as it learned.
                int at = examples.size() + i;
                examples.get(i).copy().ifPresent(c -> scores[at] = model.scoreWithSigns(c) + offset);
            }
            return scores;
        }).toArray(double[][]::new);
        double[] scores = new double[examples.size()];
        boolean[] labels = new boolean[examples.size()];
        for (int i = 0; i < examples.size(); i++) {
            scores[i] = heldOutScores[part[i]][i];
            labels[i] = examples.get(i).spam();
        }
        Fit main = fit(scores, labels, offset);
        return new Shift(main.fitted(), main.applied(), true, main.estimate(),
                copyShift(examples, part, heldOutScores, main.applied(), offset));
    }

    /** The {@link CopyShift} from the held-out models' scores of the copies, once the main shift is applied. */
    private static CopyShift copyShift(List<Trainer.Example> examples, int[] part, double[][] heldOutScores,
                                       double mainShift, double offset) {
        List<Double> copyScores = new ArrayList<>();
        List<Boolean> copyLabels = new ArrayList<>();
        for (int i = 0; i < examples.size(); i++) {
            if (examples.get(i).copy().isEmpty()) continue;
            copyScores.add(heldOutScores[part[i]][examples.size() + i] + mainShift);
            copyLabels.add(examples.get(i).spam());
        }
        long spam = copyLabels.stream().filter(b -> b).count();
        if (spam < MIN_PER_KIND || copyLabels.size() - spam < MIN_PER_KIND) return CopyShift.NONE;
        double[] scores = copyScores.stream().mapToDouble(Double::doubleValue).toArray();
        boolean[] labels = new boolean[scores.length];
        for (int i = 0; i < labels.length; i++) labels[i] = copyLabels.get(i);
        Fit copies = fit(scores, labels, offset);
        return new CopyShift(copies.fitted(), copies.applied(), true, copies.estimate());
    }

    /** A fitted shift, what of it is applied, and how the held-out mail fares with it. */
    private record Fit(double fitted, double applied, Estimate estimate) { }

    /**
     * The shift that best predicts the held-out {@code labels} from their {@code scores} (which include the mix
     * {@code offset}); a shift up is raised only as far as leaves at most {@link #HELD_OUT_HAM_AT_JUNK} of the
     * held-out ham at SCL 5 or above.
     */
    private static Fit fit(double[] scores, boolean[] labels, double offset) {
        List<Double> hamTotals = new ArrayList<>();
        for (int i = 0; i < scores.length; i++) if (!labels[i]) hamTotals.add(scores[i] - offset);
        double fitted = Math.max(-MAX_SHIFT, Math.min(MAX_SHIFT, bestShift(scores, labels)));
        double applied = fitted > 0 ? Math.min(fitted, Math.max(0, upTo(hamTotals))) : fitted;
        return new Fit(fitted, applied, estimate(scores, labels, applied - offset));
    }

    /** The largest shift up that leaves at most {@link #HELD_OUT_HAM_AT_JUNK} of these held-out ham totals at SCL 5. */
    private static double upTo(List<Double> hamTotals) {
        hamTotals.sort(Comparator.reverseOrder());
        int allowed = (int) Math.floor(hamTotals.size() * HELD_OUT_HAM_AT_JUNK);
        return JUNK_FLOOR - hamTotals.get(Math.min(allowed, hamTotals.size() - 1)) - 1e-6;
    }

    /** Counts the held-out messages whose total, moved by {@code move}, reaches SCL 5. */
    private static Estimate estimate(double[] scores, boolean[] labels, double move) {
        long spam = 0, spamAtJunk = 0, ham = 0, hamAtJunk = 0;
        for (int i = 0; i < scores.length; i++) {
            boolean junk = scores[i] + move >= JUNK_FLOOR;
            if (labels[i]) {
                spam++;
                if (junk) spamAtJunk++;
            } else {
                ham++;
                if (junk) hamAtJunk++;
            }
        }
        return new Estimate(spam, spamAtJunk, ham, hamAtJunk);
    }

    /**
     * The b that minimises the log loss of sigmoid(score + b) against the labels (Newton's method; the loss is convex
     * in b, and with both kinds present it has a finite minimum), with {@link SpamModel#probability}'s StrictMath: the
     * same model bytes on every JVM.
     */
    static double bestShift(double[] scores, boolean[] labels) {
        double b = 0;
        for (int iteration = 0; iteration < 50; iteration++) {
            double gradient = 0;
            double curvature = 1e-9;
            for (int i = 0; i < scores.length; i++) {
                double p = SpamModel.probability(scores[i] + b);
                gradient += p - (labels[i] ? 1 : 0);
                curvature += p * (1 - p);
            }
            double step = gradient / curvature;
            b -= Math.max(-1, Math.min(1, step));
            if (Math.abs(step) < 1e-9) break;
        }
        return b;
    }
}
