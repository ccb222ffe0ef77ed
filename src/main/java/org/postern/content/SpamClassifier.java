package org.postern.content;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The spam classifier: logistic regression over the hashed binary features of {@link FeatureExtractor}, the
 * approach that led the TREC 2007 spam track (Cormack; Sculley and Wachman), trained online, in two views whose
 * log-odds add up (words and facts; character 4-grams of the header block: see {@link SpamModel}).
 *
 * <p>Thread-safe. {@link #classify} takes no lock; {@link #learn} updates the weights under a lock and publishes them
 * with a release fence that the acquire fence in {@link #classify} pairs with, so feedback takes effect for the next
 * message without a restart (float writes are atomic in Java, so no weight is ever torn). A
 * classification running during an update may see part of it, which is harmless: it is one message either way.</p>
 */
public final class SpamClassifier {

    private static final String BUNDLED = "default-model.bin";
    /** Feedback repeats the update until the message lands this far on the reported side (or gives up). */
    private static final double FEEDBACK_CONFIDENCE = 0.9;
    private static final int FEEDBACK_MAX_STEPS = 20;
    private static final int TOP_FEATURES = 5;

    private final SpamModel model;
    private final double learningRate;
    private final Object updates = new Object();

    SpamClassifier(SpamModel model, double learningRate) {
        this.model = model;
        this.learningRate = learningRate;
    }

    /** A classifier that knows nothing yet (every message scores 0.5 until it learns). */
    public static SpamClassifier untrained(TrainingSettings settings) {
        return new SpamClassifier(new SpamModel(settings.hashBits()), settings.learningRate());
    }

    /** The model shipped with Postern, trained on the SpamAssassin public corpus (see {@code DefaultModelBuilder}). */
    public static SpamClassifier bundled() {
        try (InputStream in = SpamClassifier.class.getResourceAsStream(BUNDLED)) {
            if (in == null) throw new IllegalStateException(BUNDLED + " is missing from the class path");
            return new SpamClassifier(ModelFile.read(in), TrainingSettings.defaults().learningRate());
        } catch (IOException e) {
            throw new UncheckedIOException("the bundled spam model cannot be read", e);
        }
    }

    public static SpamClassifier load(Path modelFile) throws IOException {
        return new SpamClassifier(ModelFile.load(modelFile), TrainingSettings.defaults().learningRate());
    }

    /** Writes the model atomically (a running gateway reading the file sees the old or the new one). */
    public void save(Path modelFile) throws IOException {
        SpamModel snapshot;
        synchronized (updates) {
            snapshot = model.copy();
        }
        ModelFile.save(snapshot, modelFile);
    }

    /**
     * The probability that the message is spam, from its content and the signs it shows by itself (the total the
     * model learned on, see {@link SpamModel.Slots}), and the features that weighed most in either view.
     */
    public ContentVerdict classify(MessageView view) {
        VarHandle.acquireFence(); // pairs with the release fence in learn: see every published update
        Features words = FeatureExtractor.extract(view, Features.recording());
        Features header = FeatureExtractor.headerGrams(view, Features.recording());
        int[] wordSlots = words.indexes(model.bits);
        int[] headerSlots = header.indexes(model.bits);
        double signs = MessageSigns.weight(view, SclWeights.bundled());
        SpamModel.Slots slots = new SpamModel.Slots(wordSlots, headerSlots, signs, view.keptWithoutHeaderBlock());
        double score = model.scoreWithSigns(slots);
        SpamModel.Parts parts = model.parts(slots);
        double p = SpamModel.probability(score);
        String detail = String.format(Locale.ROOT, "p=%.4f; log-odds %.2f (%s); %s", p, score, parts.describe(),
                // Named in the direction of the classifier's own part, the weight its SCL reason shows.
                strongest(words, wordSlots, header, headerSlots, score - signs > 0));
        return new ContentVerdict(p, List.of(new ContentReason(ContentReasonCode.CLASSIFIER, detail, 0)), signs);
    }

    /** The probability alone, without naming features: the cheap path for batch evaluation. */
    public double spamProbability(MessageView view) {
        VarHandle.acquireFence();
        return SpamModel.probability(model.scoreWithSigns(SpamModel.Slots.of(view, model.bits)));
    }

    /**
     * Learns from feedback ("this is junk" / "this is not junk"): steps each view towards the reported label until
     * it classifies the message that way with some confidence, so a report changes that message's verdict at once.
     */
    public void learn(MessageView view, boolean isSpam) {
        SpamModel.Slots slots = SpamModel.Slots.of(view, model.bits);
        synchronized (updates) {
            // Each view steps on the total the verdict is made of: the signs and, for a copy, the copies' shift.
            double offset = slots.signs() + model.copyShiftFor(slots);
            learn(model.words, slots.words(), offset, isSpam);
            learn(model.header, slots.header(), offset, isSpam);
            model.count(isSpam);
            VarHandle.releaseFence();
        }
    }

    private void learn(SpamModel.View view, int[] slots, double signs, boolean isSpam) {
        for (int i = 0; i < FEEDBACK_MAX_STEPS; i++) {
            double p = view.predict(slots, signs);
            if (isSpam ? p >= FEEDBACK_CONFIDENCE : p <= 1 - FEEDBACK_CONFIDENCE) break;
            view.step(slots, p, isSpam, learningRate);
        }
    }

    /** Runs a change of the model under the update lock and publishes it, as {@link #learn} does. */
    void update(java.util.function.Consumer<SpamModel> change) {
        synchronized (updates) {
            change.accept(model);
            VarHandle.releaseFence();
        }
    }

    /** Messages learned so far, spam then ham, training and feedback together. */
    public long spamLearned() {
        return model.spamLearned;
    }

    public long hamLearned() {
        return model.hamLearned;
    }

    /** The hash bits of the model: it holds 2^bits weights. */
    public int hashBits() {
        return model.bits;
    }

    /** Names the features that pushed hardest towards the verdict, from where the extraction recorded them. */
    private String strongest(Features words, int[] wordSlots, Features header, int[] headerSlots, boolean towardsSpam) {
        // Read each weight once: feedback may change them meanwhile, and a sort whose keys move under it can throw
        // "Comparison method violates its general contract". A header weight counts at the header view's share.
        record Weighed(Features from, int slot, double weight) {}
        List<Weighed> top = java.util.stream.Stream.concat(
                        java.util.Arrays.stream(wordSlots).mapToObj(s -> new Weighed(words, s, model.words.weights[s])),
                        java.util.Arrays.stream(headerSlots).mapToObj(s ->
                                new Weighed(header, s, SpamModel.HEADER_SHARE * model.header.weights[s])))
                .filter(w -> towardsSpam ? w.weight() > 0 : w.weight() < 0)
                .sorted(Comparator.comparingDouble(w -> -Math.abs(w.weight())))
                .limit(TOP_FEATURES).toList();
        String label = towardsSpam ? "spam signs: " : "ham signs: ";
        if (top.isEmpty()) return label + "none";
        return label + top.stream()
                .map(w -> w.from().nameOf(w.slot(), model.bits).orElse("?") + String.format(Locale.ROOT, " %+.2f", w.weight()))
                .collect(Collectors.joining(", "));
    }

    SpamModel model() {
        return model;
    }
}
