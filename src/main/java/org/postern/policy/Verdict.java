package org.postern.policy;

import java.util.List;

/**
 * The result of running one phase: the decision that ended it (or the last, silent Continue) and the chain
 * of every stage that spoke, in order — what the trace, the reply and {@code explain} all print.
 */
public record Verdict(Phase phase, Decision decision, List<Step> chain) {

    public record Step(Phase phase, String stage, Decision decision) { }

    public Verdict { chain = List.copyOf(chain); }

    public boolean proceeds() {
        return decision instanceof Decision.Continue || decision instanceof Decision.Accept;
    }
}
