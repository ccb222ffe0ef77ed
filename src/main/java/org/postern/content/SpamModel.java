package org.postern.content;

/**
 * Two logistic regressions over {@code 2^bits} hashed binary features each, and how many messages of each kind
 * taught them: one over the words, pairs and facts of {@link FeatureExtractor#extract}, one over the character
 * 4-grams of the header block ({@link FeatureExtractor#headerGrams}). They are trained separately on the same
 * messages and their log-odds added, the header view at {@link #HEADER_SHARE}: trained together, the 4-grams (as many
 * per message as all other features) drown the words, and cross-validation flagged more ham (README, "What was
 * tried"). Not thread-safe by itself: {@link SpamClassifier} serialises the updates.
 */
final class SpamModel {

    /** The header view's share of the log-odds (cross-validated: 0.4-0.6 equal, 0.5 taken). */
    static final double HEADER_SHARE = 0.5;

    /** One linear view: a weight per slot and a bias. */
    static final class View {
        final float[] weights;
        float bias;

        View(int bits) {
            this.weights = new float[1 << bits];
        }

        double score(int[] slots) {
            double s = bias;
            for (int slot : slots) s += weights[slot];
            return s;
        }

        /**
         * What this view predicts for the message: the probability of its log-odds plus {@code signs} (what the
         * message's own signs add to the SCL, see {@link Slots}), the total it learns on.
         */
        double predict(int[] slots, double signs) {
            return probability(score(slots) + signs);
        }

        /**
         * One step of stochastic gradient descent on the log loss, from the {@code prediction} {@link #predict} just
         * made: every present feature moves by the same amount, in the direction that would have made it less wrong.
         * Feedback steps so; batch training gives each feature its own step size ({@link AdaptiveSteps}).
         */
        void step(int[] slots, double prediction, boolean spam, double learningRate) {
            double error = (spam ? 1 : 0) - prediction;
            float delta = (float) (learningRate * error);
            bias += delta;
            for (int slot : slots) weights[slot] += delta;
        }

        void copyFrom(View other) {
            System.arraycopy(other.weights, 0, weights, 0, weights.length);
            bias = other.bias;
        }
    }

    final int bits;
    final View words;
    final View header;
    /**
     * What the log-odds of a copy kept without its header block are moved by ({@link HeldOutCalibration.CopyShift}):
     * set when the model learned from mail with headers, 0 when it learned from such copies (its bias did).
     */
    float copyShift;
    long spamLearned;
    long hamLearned;

    SpamModel(int bits) {
        if (bits < ModelFile.MIN_BITS || bits > ModelFile.MAX_BITS) {
            throw new IllegalArgumentException("hash bits must be " + ModelFile.MIN_BITS + ".." + ModelFile.MAX_BITS);
        }
        this.bits = bits;
        this.words = new View(bits);
        this.header = new View(bits);
    }

    /**
     * A message's features as slots of both views, and the log-odds its {@link MessageSigns} add to the SCL. The
     * views learn on their log-odds plus those signs, the total the SCL will judge them by: trained without, a model
     * is calibrated as if the signs added nothing, and on mail where they are common (every message lacking a
     * Date, say) the SCL would count them on top of a model that had already learned them from its features.
     */
    record Slots(int[] words, int[] header, double signs, boolean storedCopy) {
        static Slots of(MessageView view, int bits) {
            return new Slots(FeatureExtractor.extract(view).indexes(bits),
                    FeatureExtractor.headerGrams(view, Features.plain()).indexes(bits),
                    MessageSigns.weight(view, SclWeights.bundled()), view.keptWithoutHeaderBlock());
        }
    }

    /** The classifier's log-odds for a message with these features (the SCL adds {@link Slots#signs} and the rest). */
    double score(Slots slots) {
        return words.score(slots.words()) + HEADER_SHARE * header.score(slots.header()) + copyShiftFor(slots);
    }

    /** What {@link #copyShift} adds to this message's log-odds: the shift for a copy kept without its header block, else 0. */
    double copyShiftFor(Slots slots) {
        return slots.storedCopy() ? copyShift : 0;
    }

    /**
     * Where a message's log-odds come from: the sum of its word-view weights, of its header-view weights (at
     * {@link #HEADER_SHARE}), the views' biases (what the model says of any message before reading it) and the
     * message's own signs. Named in every verdict, so that a score made of hundreds of small weights, none of which
     * the five strongest features explain, still shows which view it came from.
     */
    record Parts(double words, double header, double base, double signs) {
        String describe() {
            String line = String.format(java.util.Locale.ROOT, "words %+.2f, header %+.2f, base %+.2f", words, header, base);
            return signs == 0 ? line : line + String.format(java.util.Locale.ROOT, ", message signs %+.2f", signs);
        }
    }

    Parts parts(Slots slots) {
        return new Parts(words.score(slots.words()) - words.bias, HEADER_SHARE * (header.score(slots.header()) - header.bias),
                words.bias + HEADER_SHARE * header.bias + copyShiftFor(slots), slots.signs());
    }

    /** The log-odds with the message's own signs: the total the views learn on, and the spam probability's. */
    double scoreWithSigns(Slots slots) {
        return score(slots) + slots.signs();
    }

    /** StrictMath, not Math: the same training gives the same model bytes on every JVM and processor. */
    static double probability(double score) {
        return 1 / (1 + StrictMath.exp(-score));
    }

    void count(boolean spam) {
        if (spam) spamLearned++;
        else hamLearned++;
    }

    SpamModel copy() {
        SpamModel c = new SpamModel(bits);
        c.words.copyFrom(words);
        c.header.copyFrom(header);
        c.copyShift = copyShift;
        c.spamLearned = spamLearned;
        c.hamLearned = hamLearned;
        return c;
    }
}
