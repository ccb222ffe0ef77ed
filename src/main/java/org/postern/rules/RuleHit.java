package org.postern.rules;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A rule that matched: its name, its mode, the actions it took (or, in audit mode, would have taken) and why it
 * matched — which condition, with which value.
 */
public record RuleHit(String rule, RuleMode mode, List<Action> actions, List<Match> why) {

    public RuleHit {
        actions = List.copyOf(actions);
        why = List.copyOf(why);
    }

    public boolean audit() {
        return mode == RuleMode.AUDIT;
    }

    /**
     * One line for the trace and {@code explain}: {@code rule 'trust-payroll' set-scl -1 (sender-domain-is
     * payroll.test)}, or for an audit rule {@code rule 'x' (audit) would reject "..." (...)}.
     */
    public String describe() {
        String did = actions.stream().map(Action::describe).collect(Collectors.joining(", "));
        String because = why.stream().map(Match::toString).collect(Collectors.joining(", "));
        return "rule '" + rule + "' " + (audit() ? "(audit) would " : "") + did + " (" + because + ")";
    }

    @Override
    public String toString() {
        return describe();
    }
}
