package org.postern.auth.spf;

/** Ends a check early with temperror or permerror, carrying the reason (RFC 7208 §2.6.6, §2.6.7). */
final class SpfAbort extends Exception {
    private final SpfOutcome outcome;

    private SpfAbort(SpfOutcome outcome, String problem) {
        super(problem, null, false, false);
        this.outcome = outcome;
    }

    static SpfAbort perm(String problem) {
        return new SpfAbort(SpfOutcome.PERMERROR, problem);
    }

    static SpfAbort temp(String problem) {
        return new SpfAbort(SpfOutcome.TEMPERROR, problem);
    }

    SpfOutcome outcome() {
        return outcome;
    }
}
