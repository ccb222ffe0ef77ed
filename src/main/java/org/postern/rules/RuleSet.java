package org.postern.rules;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A tenant's transport rules, compiled once per change ({@link TransportRules#compile}); immutable and safe to
 * share between sessions and threads.
 *
 * <p>Evaluation (see README, "Transport rules"): rules run by priority, lower first, ties in document order;
 * rules outside their validity window are skipped; a rule applies when all its {@code when} conditions hold and
 * none of its {@code except} conditions does; an audit rule is reported and has no effect; a rule that stops, and
 * the first {@code reject} or {@code delete}, ends processing.
 */
public final class RuleSet {

    public static final RuleSet EMPTY = new RuleSet(List.of(), List.of());

    private final List<Rule> rules;
    private final List<JsonNode> source;

    RuleSet(List<Rule> rules, List<JsonNode> source) {
        this.rules = rules.stream().sorted(Comparator.<Rule>comparingInt(r -> r.priority).thenComparingInt(r -> r.index)).toList();
        this.source = List.copyOf(source);
    }

    public RuleOutcome evaluate(RuleSubject subject, Instant now) {
        if (rules.isEmpty()) return RuleOutcome.NONE;
        MessageView view = new MessageView(subject);
        RuleOutcome.Builder outcome = new RuleOutcome.Builder();
        for (Rule rule : rules) {
            if (!rule.activeAt(now)) continue;
            Optional<List<Match>> why = rule.matches(view);
            if (why.isEmpty()) continue;
            outcome.hit(new RuleHit(rule.name, rule.mode, rule.actions, why.get()));
            if (rule.mode == RuleMode.AUDIT) continue;
            boolean end = false;
            for (Action a : rule.actions) end |= outcome.apply(a, view);
            if (end) break;
        }
        return outcome.build();
    }

    /**
     * Whether the rules set SCL −1 for this message whatever the classifier would say, judged from envelope and
     * headers alone (no body, no attachments, no SCL): then the edge may skip the classifier (malware scanning
     * still runs), and {@link #evaluate} without an SCL later gives SCL −1 too. The answer is the enforced rule
     * whose {@code set-scl -1} stands.
     *
     * <p>The rules are walked as {@link #evaluate} walks them, following what the SCL may be at each point: the
     * classifier's (unknown), −1, or another value. A rule whose conditions need the body, attachments or the SCL
     * cannot be decided yet, so both of its branches are followed. The answer is empty (run the classifier) when
     * the classifier's SCL could reach an {@code scl-at-least} condition or the end, when an undecided rule could
     * stop processing with an SCL other than −1, or when an undecided rule changes headers later rules may read.
     */
    public Optional<RuleHit> envelopeOnlySclBypass(RuleSubject subject, Instant now) {
        MessageView view = new MessageView(subject);
        SclSources scl = new SclSources();
        Optional<RuleHit> trusted = Optional.empty();
        for (Rule rule : rules) {
            if (!rule.activeAt(now) || rule.mode == RuleMode.AUDIT) continue;
            if (!rule.decidableFromEnvelopeAndHeaders()) {
                if (rule.readsScl() && scl.classifier) return Optional.empty();
                if (rule.actions.stream().anyMatch(a -> a instanceof Action.AddHeader || a instanceof Action.RemoveHeader)) {
                    return Optional.empty();
                }
                SclSources ifItMatches = scl.copy();
                rule.actions.forEach(ifItMatches::apply);
                if (rule.stops() && !ifItMatches.onlyMinusOne()) return Optional.empty();
                scl.include(ifItMatches);
                continue;
            }
            Optional<List<Match>> why = rule.matches(view);
            if (why.isEmpty()) continue;
            boolean end = false;
            for (Action a : rule.actions) {
                scl.apply(a);
                switch (a) {
                    case Action.SetScl s when s.scl() == -1 -> trusted = Optional.of(new RuleHit(rule.name, rule.mode, rule.actions, why.get()));
                    case Action.AddHeader h -> view.addHeader(h.name(), h.value());
                    case Action.RemoveHeader h -> view.removeHeader(h.name());
                    case Action.Reject r -> end = true;
                    case Action.Delete d -> end = true;
                    case Action.Stop s -> end = true;
                    default -> { }
                }
            }
            if (end) break;
        }
        return scl.onlyMinusOne() ? trusted : Optional.empty();
    }

    /** Where the SCL may come from at a point of the walk: the classifier, a rule's −1, a rule's other value. */
    private static final class SclSources {
        boolean classifier = true;
        boolean minusOne;
        boolean other;

        void apply(Action a) {
            if (a instanceof Action.SetScl s) {
                classifier = false;
                minusOne = s.scl() == -1;
                other = s.scl() != -1;
            }
        }

        SclSources copy() {
            SclSources c = new SclSources();
            c.classifier = classifier;
            c.minusOne = minusOne;
            c.other = other;
            return c;
        }

        void include(SclSources alternative) {
            classifier |= alternative.classifier;
            minusOne |= alternative.minusOne;
            other |= alternative.other;
        }

        boolean onlyMinusOne() {
            return minusOne && !classifier && !other;
        }
    }

    public int size() {
        return rules.size();
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /** Rule names in evaluation order. */
    public List<String> names() {
        return rules.stream().map(r -> r.name).toList();
    }

    /** Equal when compiled from equal documents. */
    @Override
    public boolean equals(Object o) {
        return o instanceof RuleSet other && source.equals(other.source);
    }

    @Override
    public int hashCode() {
        return source.hashCode();
    }

    @Override
    public String toString() {
        return "RuleSet" + names();
    }
}
