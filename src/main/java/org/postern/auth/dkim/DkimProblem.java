package org.postern.auth.dkim;

/**
 * Why a signature cannot pass, raised while its checks run in RFC 6376 §6.1 order and turned into a
 * {@link DkimResult} by {@link DkimVerifier}. Checked, so that no path forgets to give a reason.
 */
final class DkimProblem extends Exception {

    private final DkimOutcome outcome;

    private DkimProblem(DkimOutcome outcome, String reason) {
        super(reason, null, false, false);
        this.outcome = outcome;
    }

    static DkimProblem of(DkimOutcome outcome, String reason) {
        return new DkimProblem(outcome, reason);
    }

    static DkimProblem permerror(String reason) {
        return new DkimProblem(DkimOutcome.PERMERROR, reason);
    }

    static DkimProblem fail(String reason) {
        return new DkimProblem(DkimOutcome.FAIL, reason);
    }

    static DkimProblem policy(String reason) {
        return new DkimProblem(DkimOutcome.POLICY, reason);
    }

    DkimOutcome outcome() {
        return outcome;
    }
}
