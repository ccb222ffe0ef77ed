package org.postern.content;

import java.util.List;

/**
 * What the classifier thinks of one message.
 *
 * @param spamProbability between 0 and 1: from the message's content and the signs it shows by itself
 *                        ({@link MessageSigns}), the total the model was trained on
 * @param reasons         the {@link ContentReasonCode#CLASSIFIER} reason with its log-odds and the strongest words
 * @param signs           the log-odds of those signs within the probability (the SCL lists them as reasons of
 *                        their own); 0 from a verdict that leaves them out
 */
public record ContentVerdict(double spamProbability, List<ContentReason> reasons, double signs) {
    public ContentVerdict {
        if (!(spamProbability >= 0 && spamProbability <= 1)) throw new IllegalArgumentException("probability " + spamProbability);
        if (!Double.isFinite(signs)) throw new IllegalArgumentException("signs " + signs);
        reasons = List.copyOf(reasons);
    }

    /** A verdict that leaves the message's own signs to the SCL. */
    public ContentVerdict(double spamProbability, List<ContentReason> reasons) {
        this(spamProbability, reasons, 0);
    }

    /** The probability as log-odds, clamped to ±{@value #MAX_LOG_ODDS} so that certainty stays finite. */
    public double logOdds() {
        double p = Math.min(Math.max(spamProbability, 1e-12), 1 - 1e-12);
        return Math.max(-MAX_LOG_ODDS, Math.min(MAX_LOG_ODDS, Math.log(p / (1 - p))));
    }

    public static final double MAX_LOG_ODDS = 20;
}
