package org.postern.content;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Batch training from labelled messages: extracts each message's features once as it is added (so the views can be
 * closed at once), then makes {@link TrainingSettings#epochs()} online passes in shuffled order, in
 * {@link TrainingSettings#orders()} orders averaged into one model, and calibrates that model's log-odds on mail it
 * did not learn ({@link HeldOutCalibration}).
 */
public final class Trainer {

    /**
     * Ham per spam in the mail the SCL bands were chosen on (the SpamAssassin corpus: 4,149 ham, 1,897 spam). A
     * logistic model's bias learns the mix of its training mail, and that mix says how the corpus was collected, not
     * what a tenant receives: trained on two spam per ham, the same model would put far more ham past SCL 5. So
     * training adds {@link #mixOffset} to every prediction it learns from, as it adds the message's own signs: the
     * mix is explained by the offset and the bias learns only what lies beyond it, and SCL 5 means the same whatever
     * mix an administrator trains on (King and Zeng's prior correction for logistic regression, applied while
     * training because the thick threshold decides which messages teach). Feedback and updates step without it
     * (see {@link #trainOnto}): they must change the verdicts the gateway gives, which have no offset.
     */
    static final double REFERENCE_HAM_PER_SPAM = 4149.0 / 1897.0;

    /**
     * One message's features for both views of {@link SpamModel} and its label; made by {@link #prepare} on any thread.
     * {@code copy}: the features of the same message kept without its header block (its Subject and text), for a
     * message that has one, which calibrates how a model of mail with headers judges such copies
     * ({@link HeldOutCalibration.CopyShift}).
     */
    public record Example(SpamModel.Slots slots, boolean spam, java.util.Optional<SpamModel.Slots> copy) {
        Example withoutCopy() {
            return copy.isEmpty() ? this : new Example(slots, spam, java.util.Optional.empty());
        }
    }

    /** Copies kept per kind for calibrating copies: enough to place SCL 5, without holding a second corpus. */
    static final int COPIES_PER_KIND = 2500;
    private final long[] copiesKept = new long[2];

    private final TrainingSettings settings;
    private final List<Example> examples = new ArrayList<>();
    private HeldOutCalibration.Shift calibration = HeldOutCalibration.Shift.NONE;

    public Trainer(TrainingSettings settings) {
        this.settings = settings;
    }

    public void add(MessageView view, boolean isSpam) {
        add(prepare(view, isSpam));
    }

    /** Extracts a message's features; thread-safe, so views can be prepared in parallel and added in order. */
    public Example prepare(MessageView view, boolean isSpam) {
        SpamModel.Slots slots = SpamModel.Slots.of(view, settings.hashBits());
        if (view.keptWithoutHeaderBlock()) return new Example(slots, isSpam, java.util.Optional.empty());
        try (MessageView copy = view.keptAsSubjectAndText()) {
            return new Example(slots, isSpam, java.util.Optional.of(SpamModel.Slots.of(copy, settings.hashBits())));
        }
    }

    public void add(Example example) {
        int kind = example.spam() ? 1 : 0;
        if (example.copy().isPresent() && copiesKept[kind]++ >= COPIES_PER_KIND) example = example.withoutCopy();
        examples.add(example);
    }

    public int size() {
        return examples.size();
    }

    public long spamCount() {
        return examples.stream().filter(Example::spam).count();
    }

    /**
     * Trains a new model on everything added, then moves its bias by what {@link HeldOutCalibration} measures on mail
     * the model did not learn; the same examples and settings give the same model.
     */
    public SpamClassifier train() {
        SpamModel model = new SpamModel(settings.hashBits());
        long batchSpam = spamCount();
        double offset = mixOffset(batchSpam, examples.size() - batchSpam);
        continueTraining(model, offset);
        calibration = HeldOutCalibration.shift(examples, offset, settings, subset -> {
            SpamModel m = new SpamModel(settings.hashBits());
            trainOn(m, subset, offset);
            return m;
        });
        model.words.bias += (float) calibration.applied();
        model.copyShift = (float) calibration.copies().applied();
        return new SpamClassifier(model, settings.learningRate());
    }

    /** What the last {@link #train} found and applied on held-out mail. */
    public HeldOutCalibration.Shift calibration() {
        return calibration;
    }

    /**
     * Trains further on top of an existing classifier's model (used by {@code train --update}), without the mix offset:
     * an update is a correction, often of one kind only (a new campaign), and like a report it must change the
     * verdicts the gateway gives; the model's calibration came from its first training. With the offset of the mix
     * learned so far, a spam-only update to a model trained on mostly spam stopped short of SCL 5.
     */
    public void trainOnto(SpamClassifier classifier) {
        classifier.update(model -> continueTraining(model, 0));
    }

    private void continueTraining(SpamModel model, double offset) {
        if (model.bits != settings.hashBits()) {
            throw new IllegalArgumentException("model has " + model.bits + " hash bits, training uses " + settings.hashBits());
        }
        trainOn(model, examples, offset);
        for (Example e : examples) model.count(e.spam());
    }

    /** Trains {@code model} on {@code batch} (without counting the messages, see {@link SpamModel#count}). */
    private void trainOn(SpamModel model, List<Example> batch, double offset) {
        if (settings.orders() == 1) {
            passes(model, batch, settings.seed(), offset);
        } else {
            // Each order starts from the same model; their average is the result (see TrainingSettings#orders). The
            // orders are summed as they finish, so one trained order is held at a time, not all of them.
            SpamModel start = model.copy();
            float[] wordSums = new float[model.words.weights.length];
            float[] headerSums = new float[model.header.weights.length];
            double wordBiasSum = 0;
            double headerBiasSum = 0;
            for (int o = 0; o < settings.orders(); o++) {
                SpamModel m = start.copy();
                passes(m, batch, settings.seed() + o, offset);
                wordBiasSum += sumInto(m.words, wordSums);
                headerBiasSum += sumInto(m.header, headerSums);
            }
            averageInto(model.words, wordSums, wordBiasSum, settings.orders());
            averageInto(model.header, headerSums, headerBiasSum, settings.orders());
        }
    }

    /**
     * What a model that has learned {@code spam} and {@code ham} messages adds to the predictions it learns from
     * (see {@link #REFERENCE_HAM_PER_SPAM}): the log of how much more spam per ham it saw than the reference mix, 0
     * at that mix and while one kind is missing. (StrictMath, as {@link SpamModel#probability}: the same model bytes everywhere.)
     */
    static double mixOffset(long spam, long ham) {
        return spam == 0 || ham == 0 ? 0 : StrictMath.log(REFERENCE_HAM_PER_SPAM * spam / ham);
    }

    /** Adds a view's weights to {@code sums}; returns its bias, to be summed by the caller. */
    private static double sumInto(SpamModel.View view, float[] sums) {
        for (int i = 0; i < sums.length; i++) sums[i] += view.weights[i];
        return view.bias;
    }

    /** Sets a view to the average of {@code count} summed views. */
    private static void averageInto(SpamModel.View into, float[] sums, double biasSum, int count) {
        for (int i = 0; i < sums.length; i++) into.weights[i] = sums[i] / count;
        into.bias = (float) (biasSum / count);
    }

    /** Each view learns on its own (its own error decides whether a message teaches it), in the same shuffled order. */
    private void passes(SpamModel model, List<Example> batch, long seed, double mixOffset) {
        List<Example> order = new ArrayList<>(batch);
        Random random = new Random(seed);
        AdaptiveSteps words = new AdaptiveSteps(model.words);
        AdaptiveSteps header = new AdaptiveSteps(model.header);
        for (int epoch = 0; epoch < settings.epochs(); epoch++) {
            Collections.shuffle(order, random);
            for (Example e : order) {
                double offset = e.slots().signs() + mixOffset + model.copyShiftFor(e.slots());
                learn(model.words, words, e.slots().words(), offset, e.spam());
                learn(model.header, header, e.slots().header(), offset, e.spam());
            }
        }
    }

    private void learn(SpamModel.View view, AdaptiveSteps steps, int[] slots, double offset, boolean spam) {
        double p = view.predict(slots, offset);
        if (Math.abs((spam ? 1 : 0) - p) > settings.margin()) steps.step(slots, p, spam, settings.learningRate());
    }
}
