package org.postern.policy;

/** One question asked at one phase. Stages never throw on purpose; the pipeline fails closed if one does. */
public interface Stage {

    Decision decide(Evidence evidence);

    /** The name the trace shows: the question the class is named after. */
    default String name() {
        return getClass().getSimpleName();
    }
}
