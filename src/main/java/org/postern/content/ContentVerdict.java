package org.postern.content;

import java.util.List;

/**
 * What the classifier thinks of one message.
 *
 * @param spamProbability between 0 and 1
 * @param reasons         the {@link ContentReasonCode#CLASSIFIER} reason with its log-odds and the strongest words
 */
public record ContentVerdict(double spamProbability, List<ContentReason> reasons) {
    public ContentVerdict {
        if (!(spamProbability >= 0 && spamProbability <= 1)) throw new IllegalArgumentException("probability " + spamProbability);
        reasons = List.copyOf(reasons);
    }

    /** The probability as log-odds, clamped to ±{@value #MAX_LOG_ODDS} so that certainty stays finite. */
    public double logOdds() {
        double p = Math.min(Math.max(spamProbability, 1e-12), 1 - 1e-12);
        return Math.max(-MAX_LOG_ODDS, Math.min(MAX_LOG_ODDS, Math.log(p / (1 - p))));
    }

    public static final double MAX_LOG_ODDS = 20;
}
