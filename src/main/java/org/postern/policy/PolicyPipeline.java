package org.postern.policy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The phase table as code: for each phase, its ordered stages. The first stage with an opinion other than
 * Continue ends the phase (Postfix's restriction lists, Haraka's hooks). A stage that throws makes the phase
 * a temporary failure naming the stage: the pipeline fails closed, never open.
 */
public final class PolicyPipeline {

    private static final Logger log = LoggerFactory.getLogger(PolicyPipeline.class);

    private final Map<Phase, List<Stage>> stages;

    public PolicyPipeline(Map<Phase, List<Stage>> stages) {
        Map<Phase, List<Stage>> copy = new EnumMap<>(Phase.class);
        for (Phase p : Phase.values()) copy.put(p, List.copyOf(stages.getOrDefault(p, List.of())));
        this.stages = copy;
    }

    public List<Stage> stages(Phase phase) {
        return stages.get(phase);
    }

    public Verdict run(Phase phase, Evidence evidence) {
        List<Verdict.Step> chain = new ArrayList<>();
        Decision last = Decision.Continue.silent();
        for (Stage stage : stages.get(phase)) {
            Decision d;
            try {
                d = stage.decide(evidence);
            } catch (RuntimeException e) {
                log.error("stage {} failed at {}", stage.name(), phase, e);
                d = Decision.TempFail.because(new Reason(ReasonCode.STAGE_FAILED, stage.name() + ": " + e.getClass().getSimpleName(), ""));
            }
            if (!d.reasons().isEmpty()) chain.add(new Verdict.Step(phase, stage.name(), d));
            last = d;
            if (!(d instanceof Decision.Continue)) break;
        }
        return new Verdict(phase, last, chain);
    }
}
