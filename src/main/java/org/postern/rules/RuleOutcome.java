package org.postern.rules;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * What the tenant's rules decided for one message; the edge folds it into the disposition. Only enforced rules
 * have effects; audit hits appear in {@link #hits()} alone.
 *
 * @param hits            every rule that matched, in evaluation order, audit ones included
 * @param scl             the SCL a rule set (the last {@code set-scl} wins), empty when no rule set one
 * @param reject          the text of the {@code reject} that ended processing, if any
 * @param quarantine      some rule asked for quarantine
 * @param redirect        deliver to this address instead of the recipients (the last {@code redirect} wins)
 * @param addedRecipients further recipients ({@code add-recipient}), in order, without repeats
 * @param headersToAdd    fields to add, in order; added after {@link #headersToRemove} are removed
 * @param headersToRemove field names to remove from the message as received (lower case, without repeats)
 * @param subjectPrefix   text to put before the subject ({@code prepend-subject}; a later rule's text goes first)
 * @param delete          some rule asked to drop the message silently
 */
public record RuleOutcome(List<RuleHit> hits, OptionalInt scl, Optional<String> reject, boolean quarantine,
                          Optional<String> redirect, List<String> addedRecipients, List<HeaderField> headersToAdd,
                          List<String> headersToRemove, Optional<String> subjectPrefix, boolean delete) {

    /** No rule matched. */
    public static final RuleOutcome NONE = new RuleOutcome(List.of(), OptionalInt.empty(), Optional.empty(), false,
            Optional.empty(), List.of(), List.of(), List.of(), Optional.empty(), false);

    public record HeaderField(String name, String value) { }

    public RuleOutcome {
        hits = List.copyOf(hits);
        addedRecipients = List.copyOf(addedRecipients);
        headersToAdd = List.copyOf(headersToAdd);
        headersToRemove = List.copyOf(headersToRemove);
    }

    /** One line per matched rule, as {@link RuleHit#describe()} writes it. */
    public List<String> trace() {
        return hits.stream().map(RuleHit::describe).toList();
    }

    /** Names of the enforced rules that matched, for {@code X-Postern-Report: rules=}. */
    public List<String> enforcedRules() {
        return hits.stream().filter(h -> !h.audit()).map(RuleHit::rule).toList();
    }

    /** Collects the effects of enforced hits while the rules run. */
    static final class Builder {
        private final List<RuleHit> hits = new ArrayList<>();
        private OptionalInt scl = OptionalInt.empty();
        private Optional<String> reject = Optional.empty();
        private boolean quarantine;
        private Optional<String> redirect = Optional.empty();
        private final Set<String> addedRecipients = new LinkedHashSet<>();
        private final List<HeaderField> headersToAdd = new ArrayList<>();
        private final Set<String> headersToRemove = new LinkedHashSet<>();
        private String subjectPrefix = "";
        private boolean delete;

        void hit(RuleHit hit) {
            hits.add(hit);
        }

        /** Applies one enforced action; returns whether it ends rule processing (reject, delete, stop). */
        boolean apply(Action action, MessageView view) {
            switch (action) {
                case Action.SetScl s -> {
                    scl = OptionalInt.of(s.scl());
                    view.setScl(s.scl());
                }
                case Action.Reject r -> {
                    reject = Optional.of(r.text());
                    return true;
                }
                case Action.Quarantine q -> quarantine = true;
                case Action.Redirect r -> redirect = Optional.of(r.address());
                case Action.AddRecipient r -> addedRecipients.add(r.address());
                case Action.AddHeader h -> {
                    headersToAdd.add(new HeaderField(h.name(), h.value()));
                    view.addHeader(h.name(), h.value());
                }
                case Action.RemoveHeader h -> {
                    String lower = h.name().toLowerCase(java.util.Locale.ROOT);
                    headersToRemove.add(lower);
                    headersToAdd.removeIf(f -> f.name().equalsIgnoreCase(lower));
                    view.removeHeader(h.name());
                }
                case Action.PrependSubject p -> subjectPrefix = p.text() + subjectPrefix;
                case Action.Delete d -> {
                    delete = true;
                    return true;
                }
                case Action.Stop s -> {
                    return true;
                }
            }
            return false;
        }

        RuleOutcome build() {
            if (hits.isEmpty()) return NONE;
            return new RuleOutcome(hits, scl, reject, quarantine, redirect, List.copyOf(addedRecipients), headersToAdd,
                    List.copyOf(headersToRemove), subjectPrefix.isEmpty() ? Optional.empty() : Optional.of(subjectPrefix),
                    delete);
        }
    }
}
