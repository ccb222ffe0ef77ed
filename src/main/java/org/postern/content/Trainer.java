package org.postern.content;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Batch training from labelled messages: extracts each message's features once as it is added (so the views can be
 * closed at once), then makes {@link TrainingSettings#epochs()} online passes in shuffled order, in
 * {@link TrainingSettings#orders()} orders averaged into one model.
 */
public final class Trainer {

    /** One message's features for both views of {@link SpamModel} and its label; made by {@link #prepare} on any thread. */
    public record Example(SpamModel.Slots slots, boolean spam) { }

    private final TrainingSettings settings;
    private final List<Example> examples = new ArrayList<>();

    public Trainer(TrainingSettings settings) {
        this.settings = settings;
    }

    public void add(MessageView view, boolean isSpam) {
        add(prepare(view, isSpam));
    }

    /** Extracts a message's features; thread-safe, so views can be prepared in parallel and added in order. */
    public Example prepare(MessageView view, boolean isSpam) {
        return new Example(SpamModel.Slots.of(view, settings.hashBits()), isSpam);
    }

    public void add(Example example) {
        examples.add(example);
    }

    public int size() {
        return examples.size();
    }

    public long spamCount() {
        return examples.stream().filter(Example::spam).count();
    }

    /** Trains a new model on everything added; the same examples and settings give the same model. */
    public SpamClassifier train() {
        SpamModel model = new SpamModel(settings.hashBits());
        continueTraining(model);
        return new SpamClassifier(model, settings.learningRate());
    }

    /** Trains further on top of an existing classifier's model (used by {@code train --update}). */
    public void trainOnto(SpamClassifier classifier) {
        classifier.update(this::continueTraining);
    }

    private void continueTraining(SpamModel model) {
        if (model.bits != settings.hashBits()) {
            throw new IllegalArgumentException("model has " + model.bits + " hash bits, training uses " + settings.hashBits());
        }
        if (settings.orders() == 1) {
            passes(model, settings.seed());
        } else {
            // Each order starts from the same model; their average is the result (see TrainingSettings#orders).
            SpamModel start = model.copy();
            List<SpamModel> trained = new ArrayList<>();
            for (int o = 0; o < settings.orders(); o++) {
                SpamModel m = start.copy();
                passes(m, settings.seed() + o);
                trained.add(m);
            }
            average(trained.stream().map(m -> m.words).toList(), model.words);
            average(trained.stream().map(m -> m.header).toList(), model.header);
        }
        for (Example e : examples) model.count(e.spam());
    }

    private static void average(List<SpamModel.View> views, SpamModel.View into) {
        float[] sum = new float[into.weights.length];
        double biasSum = 0;
        for (SpamModel.View v : views) {
            for (int i = 0; i < sum.length; i++) sum[i] += v.weights[i];
            biasSum += v.bias;
        }
        for (int i = 0; i < sum.length; i++) into.weights[i] = sum[i] / views.size();
        into.bias = (float) (biasSum / views.size());
    }

    /** Each view learns on its own (its own error decides whether a message teaches it), in the same shuffled order. */
    private void passes(SpamModel model, long seed) {
        List<Example> order = new ArrayList<>(examples);
        Random random = new Random(seed);
        for (int epoch = 0; epoch < settings.epochs(); epoch++) {
            Collections.shuffle(order, random);
            for (Example e : order) {
                learn(model.words, e.slots().words(), e.slots().signs(), e.spam());
                learn(model.header, e.slots().header(), e.slots().signs(), e.spam());
            }
        }
    }

    private void learn(SpamModel.View view, int[] slots, double signs, boolean spam) {
        double p = view.predict(slots, signs);
        if (Math.abs((spam ? 1 : 0) - p) > settings.margin()) view.step(slots, p, spam, settings.learningRate());
    }
}
