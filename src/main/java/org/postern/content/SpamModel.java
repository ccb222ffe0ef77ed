package org.postern.content;

/**
 * The weights of a logistic regression over {@code 2^bits} hashed binary features, and how many messages of each
 * kind taught it. Not thread-safe by itself: {@link SpamClassifier} serialises the updates.
 */
final class SpamModel {

    final int bits;
    final float[] weights;
    float bias;
    long spamLearned;
    long hamLearned;

    SpamModel(int bits) {
        if (bits < ModelFile.MIN_BITS || bits > ModelFile.MAX_BITS) {
            throw new IllegalArgumentException("hash bits must be " + ModelFile.MIN_BITS + ".." + ModelFile.MAX_BITS);
        }
        this.bits = bits;
        this.weights = new float[1 << bits];
    }

    /** The log-odds that a message with these features is spam. */
    double score(int[] slots) {
        double s = bias;
        for (int slot : slots) s += weights[slot];
        return s;
    }

    /** StrictMath, not Math: the same training gives the same model bytes on every JVM and processor. */
    static double probability(double score) {
        return 1 / (1 + StrictMath.exp(-score));
    }

    /**
     * One step of stochastic gradient descent on the log loss: every present feature moves by the same amount, in
     * the direction that would have made the prediction less wrong.
     */
    void step(int[] slots, boolean spam, double learningRate) {
        double error = (spam ? 1 : 0) - probability(score(slots));
        float delta = (float) (learningRate * error);
        bias += delta;
        for (int slot : slots) weights[slot] += delta;
    }

    void count(boolean spam) {
        if (spam) spamLearned++;
        else hamLearned++;
    }

    SpamModel copy() {
        SpamModel c = new SpamModel(bits);
        System.arraycopy(weights, 0, c.weights, 0, weights.length);
        c.bias = bias;
        c.spamLearned = spamLearned;
        c.hamLearned = hamLearned;
        return c;
    }
}
