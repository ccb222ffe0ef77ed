package org.postern.content;

import java.util.List;

/**
 * The content filter's verdict on one message.
 *
 * @param scl             −1…9 (ARCHITECTURE.md's table: 5–6 spam, 7–8 high confidence, 9 certain)
 * @param bcl             bulk complaint level 0–9
 * @param score           the total in log-odds the SCL was read from
 * @param spamProbability the classifier's probability alone
 * @param reasons         every reason that contributed, the classifier's first
 */
public record SclResult(int scl, int bcl, double score, double spamProbability, List<ContentReason> reasons) {
    public SclResult {
        if (scl < -1 || scl > 9) throw new IllegalArgumentException("scl " + scl);
        if (bcl < 0 || bcl > 9) throw new IllegalArgumentException("bcl " + bcl);
        reasons = List.copyOf(reasons);
    }

    /** The reasons' stable ids, in order, for the trace and {@code classify --json}. */
    public List<String> reasonIds() {
        return reasons.stream().map(r -> r.code().id()).toList();
    }
}
