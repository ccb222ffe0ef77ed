package org.postern.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.postern.trace.TraceStatus.Delivered;
import static org.postern.trace.TraceStatus.Deferred;
import static org.postern.trace.TraceStatus.Expanded;
import static org.postern.trace.TraceStatus.Failed;
import static org.postern.trace.TraceStatus.Junk;
import static org.postern.trace.TraceStatus.Quarantined;
import static org.postern.trace.TraceStatus.Queued;
import static org.postern.trace.TraceStatus.Rejected;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeliveryStatusRuleTest {

    private static final List<String> BOTH = List.of("bob@contoso.test", "carol@contoso.test");

    private static DeliveryEvent e(String rcpt, TraceStatus outcome) {
        return new DeliveryEvent("R1", "contoso", rcpt, Instant.EPOCH, outcome, 1, "smtp://x", "", "mx1");
    }

    private static TraceStatus after(TraceStatus verdict, DeliveryEvent... attempts) {
        return DeliveryStatusRule.statusAfter(verdict, verdict, BOTH, List.of(attempts));
    }

    @Test
    void staysQueuedWhileARecipientHasNoAttemptYet() {
        assertThat(after(Queued, e("bob@contoso.test", Delivered))).isEqualTo(Queued);
        assertThat(after(Queued, e("bob@contoso.test", Failed))).isEqualTo(Queued);
    }

    @Test
    void deferredWhileAnyRecipientIsBeingRetried() {
        assertThat(after(Queued, e("bob@contoso.test", Deferred))).isEqualTo(Deferred);
        assertThat(after(Queued, e("bob@contoso.test", Failed), e("carol@contoso.test", Deferred))).isEqualTo(Deferred);
    }

    @Test
    void deliveredWhenEveryRecipientsLatestAttemptDelivered() {
        assertThat(after(Queued, e("bob@contoso.test", Deferred), e("bob@contoso.test", Delivered),
                e("CAROL@contoso.test", Delivered))).isEqualTo(Delivered);
    }

    @Test
    void failedWhenAllFinishedAndOneFailed() {
        assertThat(after(Queued, e("bob@contoso.test", Failed), e("carol@contoso.test", Delivered))).isEqualTo(Failed);
    }

    @Test
    void junkDeliveredToTheJunkFolderStaysJunk() {
        assertThat(after(Junk, e("bob@contoso.test", Delivered), e("carol@contoso.test", Delivered))).isEqualTo(Junk);
        assertThat(after(Junk, e("bob@contoso.test", Failed), e("carol@contoso.test", Delivered))).isEqualTo(Failed);
    }

    @Test
    void releasedQuarantineBecomesDelivered() {
        assertThat(after(Quarantined, e("bob@contoso.test", Delivered), e("carol@contoso.test", Delivered)))
                .isEqualTo(Delivered);
    }

    @Test
    void refusedOrExpandedMessagesKeepTheirStatus() {
        assertThat(after(Rejected, e("bob@contoso.test", Delivered), e("carol@contoso.test", Delivered)))
                .isEqualTo(Rejected);
        assertThat(after(Expanded, e("bob@contoso.test", Delivered))).isEqualTo(Expanded);
    }

    @Test
    void aRecipientAddedByARuleCountsToo() {
        assertThat(after(Queued, e("bob@contoso.test", Delivered), e("carol@contoso.test", Delivered),
                e("audit@contoso.test", Deferred))).isEqualTo(Deferred);
    }
}
