package org.postern.content;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.Properties;

/**
 * The numbers of the SCL, kept apart from the detections (Rspamd's lesson): how many log-odds each reason adds, the
 * most the classifier alone may add, and the lowest total for each SCL. Loaded from {@code scl-weights.properties};
 * a missing weight or an unknown key is an error at startup, never a reason that silently weighs zero.
 */
public final class SclWeights {

    private final Map<ContentReasonCode, Double> weights;
    private final double classifierLimit;
    private final double[] sclFloors; // index 1..9

    private SclWeights(Map<ContentReasonCode, Double> weights, double classifierLimit, double[] sclFloors) {
        this.weights = weights;
        this.classifierLimit = classifierLimit;
        this.sclFloors = sclFloors;
    }

    /** The weights shipped with Postern (read once: training asks for them per message). */
    public static SclWeights bundled() {
        return Bundled.WEIGHTS;
    }

    private static final class Bundled {
        static final SclWeights WEIGHTS = read();
    }

    private static SclWeights read() {
        try (InputStream in = SclWeights.class.getResourceAsStream("scl-weights.properties")) {
            if (in == null) throw new IllegalStateException("scl-weights.properties missing from the class path");
            Properties p = new Properties();
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            return parse(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static SclWeights parse(Properties p) {
        Map<ContentReasonCode, Double> weights = new EnumMap<>(ContentReasonCode.class);
        double[] floors = new double[10];
        double limit = Double.NaN;
        for (String key : p.stringPropertyNames()) {
            double value;
            try {
                value = Double.parseDouble(p.getProperty(key).strip());
            } catch (NumberFormatException e) {
                throw new IllegalStateException("scl-weights: " + key + " is not a number");
            }
            if (key.equals("classifier.limit")) {
                limit = value;
            } else if (key.matches("scl\\.[1-9]")) {
                floors[key.charAt(4) - '0'] = value;
            } else {
                ContentReasonCode code = ContentReasonCode.byId(key)
                        .orElseThrow(() -> new IllegalStateException("scl-weights: unknown reason " + key));
                weights.put(code, value);
            }
        }
        for (ContentReasonCode code : ContentReasonCode.values()) {
            boolean scored = code != ContentReasonCode.CLASSIFIER && code != ContentReasonCode.TRUSTED;
            if (scored && !weights.containsKey(code)) throw new IllegalStateException("scl-weights: no weight for " + code.id());
        }
        for (int scl = 1; scl <= 9; scl++) {
            if (!p.containsKey("scl." + scl)) throw new IllegalStateException("scl-weights: scl." + scl + " missing");
            if (scl > 1 && floors[scl] <= floors[scl - 1]) throw new IllegalStateException("scl-weights: scl." + scl + " must rise");
        }
        if (Double.isNaN(limit) || limit <= 0) throw new IllegalStateException("scl-weights: classifier.limit missing");
        return new SclWeights(weights, limit, floors);
    }

    /** Log-odds a reason adds. */
    public double of(ContentReasonCode code) {
        Double w = weights.get(code);
        if (w == null) throw new IllegalArgumentException(code.id() + " has no weight");
        return w;
    }

    /** The classifier's log-odds are clamped to ± this: certainty needs corroboration to reach SCL 9. */
    public double classifierLimit() {
        return classifierLimit;
    }

    /** The lowest total that gets this SCL (1..9). */
    public double floorOf(int scl) {
        return sclFloors[scl];
    }

    /** The SCL (0–9) for a total score. */
    public int sclFor(double score) {
        int scl = 0;
        for (int s = 1; s <= 9; s++) if (score >= sclFloors[s]) scl = s;
        return scl;
    }
}
