package org.postern.policy;

import java.util.List;

/**
 * A stage's answer: a value saying what to do and why. Refusals and acceptances always carry at least one
 * reason; {@link Continue} may be silent (the stage had no opinion) or carry observations for the trace.
 */
public sealed interface Decision {

    List<Reason> reasons();

    /** The reason that decides the reply: the first one. */
    default Reason primary() {
        return reasons().get(0);
    }

    /** Short outcome name for the trace: continue, accept, reject, tempfail. */
    String outcome();

    record Continue(List<Reason> reasons) implements Decision {
        private static final Continue SILENT = new Continue(List.of());
        public Continue { reasons = List.copyOf(reasons); }
        public static Continue silent() { return SILENT; }
        public static Continue because(Reason reason) { return new Continue(List.of(reason)); }
        public String outcome() { return "continue"; }
    }

    record Accept(Disposition disposition, List<Reason> reasons) implements Decision {
        public Accept { reasons = nonEmpty(reasons); }
        public String outcome() { return "accept"; }
    }

    record Reject(List<Reason> reasons) implements Decision {
        public Reject { reasons = nonEmpty(reasons); }
        public static Reject because(Reason reason) { return new Reject(List.of(reason)); }
        public String outcome() { return "reject"; }
    }

    record TempFail(List<Reason> reasons) implements Decision {
        public TempFail { reasons = nonEmpty(reasons); }
        public static TempFail because(Reason reason) { return new TempFail(List.of(reason)); }
        public String outcome() { return "tempfail"; }
    }

    private static List<Reason> nonEmpty(List<Reason> reasons) {
        if (reasons.isEmpty()) throw new IllegalArgumentException("a decision needs a reason");
        return List.copyOf(reasons);
    }
}
