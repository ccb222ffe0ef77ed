package org.postern.content;

/**
 * How a model is trained.
 *
 * @param hashBits     the model has 2^hashBits weights (collisions cost little accuracy and bound memory)
 * @param learningRate the step for a maximally wrong prediction: in training the first step of each feature, which
 *                     then shrinks as the feature is seen ({@link AdaptiveSteps}); in feedback every step
 * @param epochs       passes over the training messages, each in a fresh (seeded) shuffled order
 * @param margin       "thick threshold": a message already classified with an error below this teaches nothing;
 *                     TREC's best online filters trained on errors and near-errors only, which resists overfitting
 *                     to easy mail and keeps the model small
 * @param seed         the shuffle seed: the same messages and settings give the same model, byte for byte
 * @param orders       models trained in that many shuffled orders (seeds seed, seed+1, ...) and averaged into one:
 *                     an online learner depends on the order it saw the messages in, and the average of linear
 *                     models is one linear model, so the model file and classification cost stay the same
 *                     (cross-validated: higher recall and AUC than one order)
 */
public record TrainingSettings(int hashBits, double learningRate, int epochs, double margin, long seed, int orders) {

    public TrainingSettings {
        if (hashBits < ModelFile.MIN_BITS || hashBits > ModelFile.MAX_BITS) throw new IllegalArgumentException("hashBits");
        if (!(learningRate > 0) || epochs < 1 || margin < 0 || margin >= 1 || orders < 1) throw new IllegalArgumentException("settings");
    }

    /** One order: plain online training. */
    public TrainingSettings(int hashBits, double learningRate, int epochs, double margin, long seed) {
        this(hashBits, learningRate, epochs, margin, seed, 1);
    }

    public static TrainingSettings defaults() {
        return new TrainingSettings(22, 0.03, 3, 0.2, 20_02L, 5);
    }
}
