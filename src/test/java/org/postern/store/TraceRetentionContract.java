package org.postern.store;

import org.junit.jupiter.api.Test;
import org.postern.testsupport.TestClock;
import org.postern.trace.DecisionEntry;
import org.postern.trace.TraceQuery;
import org.postern.trace.TraceRecord;
import org.postern.trace.TraceStatus;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code trace.retention}: what was received before the cutoff is gone, what is younger stays and is still found
 * by recipient. On PostgreSQL whole day partitions are dropped and the week ahead is created.
 */
abstract class TraceRetentionContract extends StoreContract {

    static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
    private static final Duration RETENTION = Duration.ofDays(90);

    abstract void expectDropped(List<String> dropped, LocalDate oldDay);

    /** Prepares the days' storage before rows arrive (PostgreSQL: their partitions). */
    void prepareDays(LocalDate... days) {
    }

    @Test
    void retentionRemovesWhatIsOlderAndKeepsTheRest() {
        Instant old = NOW.minus(Duration.ofDays(100));
        Instant boundary = NOW.minus(Duration.ofDays(90)).minus(Duration.ofHours(1)); // in the cutoff's day, before it
        Instant kept = NOW.minus(Duration.ofDays(89));
        prepareDays(day(old), day(boundary), day(kept));
        JdbcTraceStore trace = new JdbcTraceStore(db.database().dataSource());
        trace.record(record("OLD", old));
        trace.record(record("EDGE", boundary));
        trace.record(record("KEPT", kept));
        trace.record(record("KEPT", kept)); // a replace keeps one row and its recipient

        List<String> dropped = new TraceRetention(db.database(), RETENTION, new TestClock(NOW)).runOnce();

        expectDropped(dropped, day(old));
        assertThat(trace.search(TraceQuery.all())).extracting(TraceRecord::ref).containsExactly("KEPT");
        assertThat(trace.search(TraceQuery.all().withRecipient("alice@contoso.test"))).extracting(TraceRecord::ref)
                .containsExactly("KEPT");
        assertThat(count("SELECT COUNT(*) FROM trace_recipient")).isEqualTo(1);
    }

    static LocalDate day(Instant at) {
        return LocalDate.ofInstant(at, ZoneOffset.UTC);
    }

    long count(String sql) {
        return Jdbc.query(db.database().dataSource(), "counting", c -> {
            try (var s = c.createStatement(); var rs = s.executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    static TraceRecord record(String ref, Instant at) {
        return new TraceRecord(ref, Optional.of("contoso"), at, "203.0.113.7", Optional.of("mail.sender.test"),
                Optional.empty(), Optional.of("bob@sender.test"), List.of("Alice@contoso.test"), Optional.empty(),
                Optional.of("hi"), 100, OptionalInt.empty(), TraceStatus.Queued, "DATA", "250 2.0.0 Ok",
                List.of(new DecisionEntry("WhichTenantOwnsRecipient", "Continue", "TENANT_ATTRIBUTED", "contoso")), "mx1");
    }
}
