package org.postern.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postern.trace.DecisionEntry;
import org.postern.trace.DeliveryEvent;
import org.postern.trace.TraceQuery;
import org.postern.trace.TraceRecord;
import org.postern.trace.TraceStatus;

abstract class TraceStoreContract extends StoreContract {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private JdbcTraceStore store;

    @BeforeEach
    void newStore() {
        store = new JdbcTraceStore(db.database().dataSource());
    }

    private static TraceRecord accepted(String ref, String tenant, Instant at, String from, List<String> to) {
        return new TraceRecord(ref, Optional.of(tenant), at, "203.0.113.7", Optional.of("mail.sender.test"),
                Optional.of("TLSv1.3 TLS_AES_256_GCM_SHA384"), Optional.of(from), to,
                Optional.of("<" + ref + "@sender.test>"), Optional.of("Quarterly report"), 1234, OptionalInt.of(1),
                TraceStatus.Queued, "DATA", "250 2.0.0 Ok: queued as " + ref,
                List.of(new DecisionEntry("WhichTenantOwnsRecipient", "Continue", "TENANT_ATTRIBUTED", tenant),
                        new DecisionEntry("ContentScore", "Accept", "SCL_BELOW_JUNK", "anti-spam.junk-at=5")),
                "mx1");
    }

    private static TraceRecord refusedSession(String ref, Instant at) {
        return new TraceRecord(ref, Optional.empty(), at, "198.51.100.66", Optional.empty(), Optional.empty(),
                Optional.empty(), List.of(), Optional.empty(), Optional.empty(), 0, OptionalInt.empty(),
                TraceStatus.Rejected, "CONNECT", "554 5.7.1 Access denied [ref=" + ref + "]",
                List.of(new DecisionEntry("IsClientHardBanned", "Reject", "OPERATOR_BLOCKED_IP", "198.51.100.66/32")),
                "mx1");
    }

    private static DeliveryEvent attempt(String ref, String rcpt, Instant at, TraceStatus outcome, int n) {
        return new DeliveryEvent(ref, "contoso", rcpt, at, outcome, n, "smtp://127.0.0.1:2626",
                outcome == TraceStatus.Delivered ? "250 2.0.0 Ok" : "451 4.3.0 try later", "mx1");
    }

    private List<String> refs(TraceQuery q) {
        return store.search(q).stream().map(TraceRecord::ref).toList();
    }

    private TraceStatus statusOf(String ref) {
        return store.search(TraceQuery.all().withRef(ref)).getFirst().status();
    }

    @Test
    void recordedTraceReadsBackFieldForField() {
        TraceRecord record = accepted("R1", "contoso", T0.plusNanos(123_456_000), "Alice@Sender.test",
                List.of("bob@contoso.test", "Carol@Contoso.test"));

        store.record(record);

        assertThat(store.search(TraceQuery.all())).containsExactly(record);
    }

    @Test
    void refusedSessionWithoutOptionalFieldsReadsBack() {
        TraceRecord record = refusedSession("R2", T0);

        store.record(record);

        assertThat(store.search(TraceQuery.all().withRef("R2"))).containsExactly(record);
    }

    @Test
    void recordingTheSameRefAgainReplacesRecordAndRecipients() {
        store.record(accepted("R1", "contoso", T0, "a@sender.test", List.of("bob@contoso.test")));

        TraceRecord again = accepted("R1", "contoso", T0, "a@sender.test", List.of("carol@contoso.test"))
                .withStatus(TraceStatus.Quarantined);
        store.record(again);

        assertThat(store.search(TraceQuery.all())).containsExactly(again);
        assertThat(refs(TraceQuery.all().withRecipient("bob@contoso.test"))).isEmpty();
        assertThat(refs(TraceQuery.all().withRecipient("carol@contoso.test"))).containsExactly("R1");
    }

    @Test
    void findsByRef() {
        store.record(accepted("R1", "contoso", T0, "a@sender.test", List.of("bob@contoso.test")));
        store.record(accepted("R2", "contoso", T0, "a@sender.test", List.of("bob@contoso.test")));

        assertThat(refs(TraceQuery.all().withRef("R2"))).containsExactly("R2");
        assertThat(refs(TraceQuery.all().withRef("nope"))).isEmpty();
    }

    @Test
    void findsBySenderIgnoringCase() {
        store.record(accepted("R1", "contoso", T0, "Alice@Sender.TEST", List.of("bob@contoso.test")));
        store.record(accepted("R2", "contoso", T0, "mallory@sender.test", List.of("bob@contoso.test")));

        assertThat(refs(TraceQuery.all().withSender("alice@sender.test"))).containsExactly("R1");
        assertThat(refs(TraceQuery.all().withSender("ALICE@SENDER.test"))).containsExactly("R1");
    }

    @Test
    void findsByAnyRecipientIgnoringCase() {
        store.record(accepted("R1", "contoso", T0, "a@sender.test", List.of("bob@contoso.test", "Carol@contoso.test")));
        store.record(accepted("R2", "contoso", T0.plusSeconds(1), "a@sender.test", List.of("carol@contoso.test")));
        store.record(accepted("R3", "contoso", T0, "a@sender.test", List.of("dave@contoso.test")));

        assertThat(refs(TraceQuery.all().withRecipient("CAROL@contoso.test"))).containsExactly("R2", "R1");
        assertThat(refs(TraceQuery.all().withRecipient("bob@contoso.test"))).containsExactly("R1");
    }

    @Test
    void duplicateRecipientsAreStoredOnce() {
        store.record(accepted("R1", "contoso", T0, "a@sender.test", List.of("bob@contoso.test", "BOB@contoso.test")));

        assertThat(refs(TraceQuery.all().withRecipient("bob@contoso.test"))).containsExactly("R1");
        assertThat(store.search(TraceQuery.all()).getFirst().recipients())
                .containsExactly("bob@contoso.test", "BOB@contoso.test");
    }

    @Test
    void sinceKeepsRecordsAtOrAfterTheInstant() {
        store.record(accepted("OLD", "contoso", T0.minusSeconds(60), "a@sender.test", List.of("b@contoso.test")));
        store.record(accepted("EDGE", "contoso", T0, "a@sender.test", List.of("b@contoso.test")));
        store.record(accepted("NEW", "contoso", T0.plusSeconds(60), "a@sender.test", List.of("b@contoso.test")));

        assertThat(refs(TraceQuery.all().withSince(T0))).containsExactly("NEW", "EDGE");
    }

    @Test
    void findsByStatus() {
        store.record(accepted("R1", "contoso", T0, "a@sender.test", List.of("b@contoso.test")));
        store.record(refusedSession("R2", T0));

        TraceQuery rejected = new TraceQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.of(TraceStatus.Rejected), 100, 0);
        assertThat(refs(rejected)).containsExactly("R2");
    }

    @Test
    void aTenantsQueryNeverReturnsAnotherTenantsRecords() {
        store.record(accepted("A1", "contoso", T0, "x@sender.test", List.of("shared@contoso.test")));
        store.record(accepted("B1", "fabrikam", T0.plusSeconds(1), "x@sender.test", List.of("shared@contoso.test")));
        store.record(refusedSession("N1", T0.plusSeconds(2)));

        assertThat(refs(TraceQuery.all().withTenant("contoso"))).containsExactly("A1");
        assertThat(refs(TraceQuery.all().withTenant("contoso").withRef("B1"))).isEmpty();
        assertThat(refs(TraceQuery.all().withTenant("contoso").withRef("N1"))).isEmpty();
        assertThat(refs(TraceQuery.all().withTenant("contoso").withSender("x@sender.test"))).containsExactly("A1");
        assertThat(refs(TraceQuery.all().withTenant("fabrikam").withRecipient("shared@contoso.test")))
                .containsExactly("B1");
        assertThat(refs(TraceQuery.all())).containsExactly("N1", "B1", "A1");
    }

    @Test
    void allPresentFiltersMustHold() {
        store.record(accepted("R1", "contoso", T0, "a@sender.test", List.of("bob@contoso.test")));
        store.record(accepted("R2", "contoso", T0.plusSeconds(5), "a@sender.test", List.of("carol@contoso.test")));
        store.record(accepted("R3", "contoso", T0.plusSeconds(5), "z@sender.test", List.of("bob@contoso.test")));

        TraceQuery q = TraceQuery.all().withTenant("contoso").withSender("a@sender.test")
                .withRecipient("bob@contoso.test");
        assertThat(refs(q)).containsExactly("R1");
        assertThat(refs(q.withSince(T0.plusSeconds(1)))).isEmpty();
    }

    @Test
    void resultsAreNewestFirstAndPaged() {
        for (int i = 0; i < 7; i++) {
            store.record(accepted("R" + i, "contoso", T0.plusSeconds(i), "a@sender.test", List.of("b@contoso.test")));
        }

        TraceQuery firstPage = new TraceQuery(Optional.of("contoso"), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), 3, 0);
        TraceQuery secondPage = new TraceQuery(Optional.of("contoso"), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), 3, 3);
        assertThat(refs(firstPage)).containsExactly("R6", "R5", "R4");
        assertThat(refs(secondPage)).containsExactly("R3", "R2", "R1");
    }

    @Test
    void aQueryWithoutRoomForResultsIsRefused() {
        TraceQuery none = new TraceQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), 0, 0);
        assertThatThrownBy(() -> store.search(none)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void deliveryAttemptsMoveStatusFromQueuedThroughDeferredToDelivered() {
        store.record(accepted("R1", "contoso", T0, "a@sender.test", List.of("bob@contoso.test", "carol@contoso.test")));
        assertThat(statusOf("R1")).isEqualTo(TraceStatus.Queued);

        store.delivery(attempt("R1", "bob@contoso.test", T0.plusSeconds(1), TraceStatus.Delivered, 1));
        assertThat(statusOf("R1")).isEqualTo(TraceStatus.Queued);

        store.delivery(attempt("R1", "carol@contoso.test", T0.plusSeconds(2), TraceStatus.Deferred, 1));
        assertThat(statusOf("R1")).isEqualTo(TraceStatus.Deferred);

        store.delivery(attempt("R1", "CAROL@contoso.test", T0.plusSeconds(300), TraceStatus.Delivered, 2));
        assertThat(statusOf("R1")).isEqualTo(TraceStatus.Delivered);
    }

    @Test
    void permanentFailureMakesTheMessageFailedOnceNoRecipientIsPending() {
        store.record(accepted("R1", "contoso", T0, "a@sender.test", List.of("bob@contoso.test", "carol@contoso.test")));

        store.delivery(attempt("R1", "bob@contoso.test", T0.plusSeconds(1), TraceStatus.Failed, 1));
        assertThat(statusOf("R1")).isEqualTo(TraceStatus.Queued);

        store.delivery(attempt("R1", "carol@contoso.test", T0.plusSeconds(1), TraceStatus.Deferred, 1));
        assertThat(statusOf("R1")).isEqualTo(TraceStatus.Deferred);

        store.delivery(attempt("R1", "carol@contoso.test", T0.plusSeconds(600), TraceStatus.Delivered, 2));
        assertThat(statusOf("R1")).isEqualTo(TraceStatus.Failed);
    }

    @Test
    void deliveredJunkStillReadsJunk() {
        store.record(accepted("R1", "contoso", T0, "a@sender.test", List.of("bob@contoso.test"))
                .withStatus(TraceStatus.Junk));

        store.delivery(attempt("R1", "bob@contoso.test", T0.plusSeconds(1), TraceStatus.Deferred, 1));
        assertThat(statusOf("R1")).isEqualTo(TraceStatus.Deferred);
        store.delivery(attempt("R1", "bob@contoso.test", T0.plusSeconds(60), TraceStatus.Delivered, 2));
        assertThat(statusOf("R1")).isEqualTo(TraceStatus.Junk);
    }

    @Test
    void statusFilterSeesTheStatusDeliveryMovedTo() {
        store.record(accepted("R1", "contoso", T0, "a@sender.test", List.of("bob@contoso.test")));
        store.delivery(attempt("R1", "bob@contoso.test", T0.plusSeconds(1), TraceStatus.Delivered, 1));

        TraceQuery delivered = new TraceQuery(Optional.of("contoso"), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.of(TraceStatus.Delivered), 10, 0);
        assertThat(refs(delivered)).containsExactly("R1");
    }

    @Test
    void deliveriesAreListedOldestFirst() {
        store.record(accepted("R1", "contoso", T0, "a@sender.test", List.of("bob@contoso.test")));
        DeliveryEvent third = attempt("R1", "bob@contoso.test", T0.plusSeconds(900), TraceStatus.Delivered, 3);
        DeliveryEvent first = attempt("R1", "bob@contoso.test", T0.plusSeconds(1), TraceStatus.Deferred, 1);
        DeliveryEvent second = attempt("R1", "bob@contoso.test", T0.plusSeconds(300), TraceStatus.Deferred, 2);

        store.delivery(third);
        store.delivery(first);
        store.delivery(second);

        assertThat(store.deliveries("R1")).containsExactly(first, second, third);
        assertThat(store.deliveries("other")).isEmpty();
    }

    @Test
    void deliveryForAnUnknownRefIsKept() {
        DeliveryEvent orphan = attempt("GONE", "bob@contoso.test", T0, TraceStatus.Delivered, 1);

        store.delivery(orphan);

        assertThat(store.deliveries("GONE")).containsExactly(orphan);
    }

    @Test
    void concurrentAttemptsForOneMessageLoseNoUpdate() throws Exception {
        List<String> recipients = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            recipients.add("user" + i + "@contoso.test");
        }
        store.record(accepted("R1", "contoso", T0, "a@sender.test", recipients));

        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Callable<Void>> attempts = new ArrayList<>();
            for (String r : recipients) {
                attempts.add(() -> {
                    store.delivery(attempt("R1", r, T0.plusSeconds(1), TraceStatus.Delivered, 1));
                    return null;
                });
            }
            for (Future<Void> f : pool.invokeAll(attempts)) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(statusOf("R1")).isEqualTo(TraceStatus.Delivered);
        assertThat(store.deliveries("R1")).hasSize(16);
    }

    @Test
    void hostileOrOversizedTextIsStoredNotRefused() {
        String nulHelo = "evil\0host";
        String longSubject = "x".repeat(10_000);
        TraceRecord record = new TraceRecord("R1", Optional.of("contoso"), T0, "203.0.113.7", Optional.of(nulHelo),
                Optional.empty(), Optional.of("a\0b@sender.test"), List.of("bob@contoso.test"), Optional.empty(),
                Optional.of(longSubject), 1, OptionalInt.empty(), TraceStatus.Queued, "DATA", "250 ok",
                List.of(new DecisionEntry("Stage", "Continue", "R", "with\0nul")), "mx1");

        store.record(record);

        TraceRecord stored = store.search(TraceQuery.all()).getFirst();
        assertThat(stored.helo()).contains("evil\uFFFDhost");
        assertThat(stored.subject().orElseThrow()).hasSize(4096);
        assertThat(stored.decisions().getFirst().setting()).isEqualTo("with\uFFFDnul");
    }

    @Test
    void purgeDeletesRecordsAndAttemptsOlderThanTheCutoff() {
        store.record(accepted("OLD", "contoso", T0.minusSeconds(3600), "a@sender.test", List.of("b@contoso.test")));
        store.delivery(attempt("OLD", "b@contoso.test", T0.minusSeconds(3500), TraceStatus.Delivered, 1));
        store.record(accepted("NEW", "contoso", T0, "a@sender.test", List.of("b@contoso.test")));

        assertThat(store.purgeBefore(T0.minusSeconds(60))).isEqualTo(1);

        assertThat(refs(TraceQuery.all())).containsExactly("NEW");
        assertThat(refs(TraceQuery.all().withRecipient("b@contoso.test"))).containsExactly("NEW");
        assertThat(store.deliveries("OLD")).isEmpty();
    }
}
