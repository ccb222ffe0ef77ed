package org.postern.trace;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What a traced message's status is once its delivery attempts are known. Each recipient counts by its latest
 * attempt; a recipient without one is pending.
 *
 * <ol>
 *   <li>A message that was never accepted for delivery ({@code Rejected}) or only expanded ({@code Expanded})
 *       keeps its status; the attempt is recorded but moves nothing.</li>
 *   <li>Any recipient Deferred: {@code Deferred} — the message is still being retried, even if another
 *       recipient has already failed for good.</li>
 *   <li>Otherwise any recipient without an attempt yet: {@code Queued}.</li>
 *   <li>Otherwise (every recipient finished) any Failed: {@code Failed}.</li>
 *   <li>Otherwise all Delivered: {@code Delivered} — or {@code Junk} when that was the verdict, so a junk
 *       message delivered to the junk folder still reads Junk.</li>
 * </ol>
 *
 * <p>The recipients are the record's, plus any recipient that has an attempt of its own (one a transport rule
 * added). Addresses compare case-insensitively. A rule that <em>replaces</em> a recipient should record the
 * trace again with the final list, or the replaced recipient stays pending.
 */
public final class DeliveryStatusRule {

    private DeliveryStatusRule() {
    }

    /**
     * @param verdict  the status the message was recorded with
     * @param current  the status it has now
     * @param attempts the message's delivery attempts, oldest first
     */
    public static TraceStatus statusAfter(TraceStatus verdict, TraceStatus current, List<String> recipients,
                                          List<DeliveryEvent> attempts) {
        return statusAfterOutcomes(verdict, current, recipients,
                attempts.stream().map(a -> new Outcome(a.recipient(), a.outcome())).toList());
    }

    /** One attempt as far as the status is concerned: whom it was for and how it ended. */
    public record Outcome(String recipient, TraceStatus outcome) {
    }

    /**
     * The same rule with only the recipient and outcome of each attempt, oldest first (what a store reads when it
     * does not need the whole attempt).
     */
    public static TraceStatus statusAfterOutcomes(TraceStatus verdict, TraceStatus current, List<String> recipients,
                                                 List<Outcome> attempts) {
        if (!movesStatus(verdict)) {
            return current;
        }
        Map<String, Optional<TraceStatus>> latest = new LinkedHashMap<>();
        recipients.forEach(r -> latest.put(key(r), Optional.empty()));
        attempts.forEach(a -> latest.put(key(a.recipient()), Optional.of(a.outcome())));

        if (latest.containsValue(Optional.of(TraceStatus.Deferred))) {
            return TraceStatus.Deferred;
        }
        if (latest.isEmpty() || latest.containsValue(Optional.<TraceStatus>empty())) {
            return TraceStatus.Queued;
        }
        if (latest.containsValue(Optional.of(TraceStatus.Failed))) {
            return TraceStatus.Failed;
        }
        boolean allDelivered = latest.values().stream().allMatch(s -> s.equals(Optional.of(TraceStatus.Delivered)));
        if (!allDelivered) {
            return current; // an outcome other than Delivered/Deferred/Failed: not a delivery result, leave it
        }
        return verdict == TraceStatus.Junk ? TraceStatus.Junk : TraceStatus.Delivered;
    }

    /** False for a message whose status no attempt moves (Rejected, Expanded): a store need not read its attempts. */
    public static boolean movesStatus(TraceStatus verdict) {
        return verdict != TraceStatus.Rejected && verdict != TraceStatus.Expanded;
    }

    private static String key(String address) {
        return address.toLowerCase(Locale.ROOT);
    }
}
