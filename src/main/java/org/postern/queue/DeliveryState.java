package org.postern.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The delivery state of every recipient of one queued message, in envelope order. Immutable. */
public record DeliveryState(List<RecipientState> recipients) {

    public DeliveryState {
        recipients = List.copyOf(recipients);
    }

    /** Every recipient pending and due at once; exact duplicates in the envelope are delivered once. */
    public static DeliveryState initial(Envelope envelope) {
        List<RecipientState> list = new ArrayList<>();
        for (String r : new LinkedHashSet<>(envelope.recipients())) list.add(RecipientState.fresh(r, envelope.receivedAt()));
        return new DeliveryState(list);
    }

    public List<String> pendingAddresses() {
        return recipients.stream().filter(RecipientState::pending).map(RecipientState::address).toList();
    }

    public boolean finished() {
        return recipients.stream().noneMatch(RecipientState::pending);
    }

    /** When the earliest pending recipient is due; empty when all are finished. */
    public Optional<Instant> nextDue() {
        return recipients.stream().filter(RecipientState::pending).map(RecipientState::nextAttempt).min(Instant::compareTo);
    }

    /** This state with the given recipients marked as told about their delay. */
    public DeliveryState withDelayReported(java.util.Collection<String> addresses) {
        return new DeliveryState(recipients.stream().map(r -> addresses.contains(r.address()) ? r.withDelayReported() : r).toList());
    }

    public Optional<RecipientState> recipient(String address) {
        return recipients.stream().filter(r -> r.address().equals(address)).findFirst();
    }

    /**
     * The state after one attempt: each recipient with a result counts one more attempt; a deferral becomes a
     * failure once the message has expired under the policy; recipients without a result are unchanged.
     */
    public DeliveryState after(List<RecipientResult> results, Instant now, Instant receivedAt, RetryPolicy policy) {
        Map<String, RecipientResult> byAddress = results.stream()
                .collect(Collectors.toMap(RecipientResult::recipient, Function.identity(), (a, b) -> a));
        List<RecipientState> next = new ArrayList<>(recipients.size());
        for (RecipientState r : recipients) {
            RecipientResult result = r.pending() ? byAddress.get(r.address()) : null;
            next.add(result == null ? r : advance(r, result, now, receivedAt, policy));
        }
        return new DeliveryState(next);
    }

    private static RecipientState advance(RecipientState r, RecipientResult result, Instant now, Instant receivedAt,
                                          RetryPolicy policy) {
        int attempts = r.attempts() + 1;
        return switch (result.outcome()) {
            case DELIVERED -> new RecipientState(r.address(), RecipientState.Status.DELIVERED, attempts, now, result.detail());
            case FAILED -> new RecipientState(r.address(), RecipientState.Status.FAILED, attempts, now, result.detail());
            case DEFERRED -> policy.expired(receivedAt, now)
                    ? new RecipientState(r.address(), RecipientState.Status.FAILED, attempts, now,
                            "expired: queued for more than " + human(policy.maxAge()) + "; last attempt: " + result.detail())
                    : new RecipientState(r.address(), RecipientState.Status.PENDING, attempts,
                            policy.nextAttempt(attempts, receivedAt, now), result.detail(), r.delayReported());
        };
    }

    private static String human(Duration d) {
        if (d.toDaysPart() > 0 && d.toHoursPart() == 0 && d.toMinutesPart() == 0 && d.toSecondsPart() == 0) return d.toDays() + "d";
        return d.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
    }
}
