package org.postern.rules;

import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

/** One compiled transport rule. Immutable. */
final class Rule {

    final int index;
    final String name;
    final int priority;
    final RuleMode mode;
    final Optional<Instant> activeFrom;
    final Optional<Instant> activeUntil;
    final List<Condition> when;
    final List<Condition> except;
    final List<Action> actions;
    /** Indices into {@link #when} by cost, cheapest first. */
    private final int[] whenOrder;

    Rule(int index, String name, int priority, RuleMode mode, Optional<Instant> activeFrom, Optional<Instant> activeUntil,
         List<Condition> when, List<Condition> except, List<Action> actions) {
        this.index = index;
        this.name = name;
        this.priority = priority;
        this.mode = mode;
        this.activeFrom = activeFrom;
        this.activeUntil = activeUntil;
        this.when = List.copyOf(when);
        this.except = except.stream().sorted(Comparator.comparingInt(Condition::cost)).toList();
        this.actions = List.copyOf(actions);
        this.whenOrder = IntStream.range(0, this.when.size()).boxed()
                .sorted(Comparator.comparingInt(i -> this.when.get(i).cost())).mapToInt(Integer::intValue).toArray();
    }

    /** Active from {@code active-from} (inclusive) until {@code active-until} (exclusive). */
    boolean activeAt(Instant now) {
        return activeFrom.map(from -> !now.isBefore(from)).orElse(true)
                && activeUntil.map(now::isBefore).orElse(true);
    }

    boolean stops() {
        for (Action a : actions) if (a instanceof Action.Stop) return true;
        return false;
    }

    /**
     * Why the rule applies: one match per {@code when} condition, in the order written; empty when a condition
     * does not hold or an exception does.
     */
    Optional<List<Match>> matches(MessageView m) {
        if (when.isEmpty()) {
            return exceptionHolds(m) ? Optional.empty() : Optional.of(List.of(Match.EVERY_MESSAGE));
        }
        Match[] found = new Match[when.size()];
        for (int i : whenOrder) {
            Optional<Match> match = when.get(i).test(m);
            if (match.isEmpty()) return Optional.empty();
            found[i] = match.get();
        }
        return exceptionHolds(m) ? Optional.empty() : Optional.of(Arrays.asList(found));
    }

    private boolean exceptionHolds(MessageView m) {
        for (Condition c : except) if (c.test(m).isPresent()) return true;
        return false;
    }

    /** Some condition, {@code when} or {@code except}, reads the SCL. */
    boolean readsScl() {
        return when.stream().anyMatch(c -> c instanceof Condition.SclAtLeast) || except.stream().anyMatch(c -> c instanceof Condition.SclAtLeast);
    }

    /** Every condition, {@code when} and {@code except}, is known from envelope and headers alone. */
    boolean decidableFromEnvelopeAndHeaders() {
        return when.stream().allMatch(Condition::envelopeOrHeader) && except.stream().allMatch(Condition::envelopeOrHeader);
    }

    @Override
    public String toString() {
        return "rule '" + name + "'";
    }
}
