package org.postern.store;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** PostgreSQL: trace is partitioned by day; retention drops whole partitions and the node creates the week ahead. */
class PostgresTraceRetentionTest extends TraceRetentionContract {

    @Override
    protected TestDatabase openDatabase() {
        return TestDatabase.postgres();
    }

    @Override
    void prepareDays(LocalDate... days) {
        Jdbc.query(db.database().dataSource(), "creating partitions", c -> {
            for (LocalDate d : days) TraceRetention.createPartition(c, d);
            return null;
        });
    }

    @Override
    void expectDropped(List<String> dropped, LocalDate oldDay) {
        String suffix = oldDay.format(DateTimeFormatter.BASIC_ISO_DATE);
        assertThat(dropped).contains("trace_p" + suffix, "trace_recipient_p" + suffix);
        assertThat(dropped).allSatisfy(name -> assertThat(name.substring(name.length() - 8)).isLessThan(
                day(NOW.minus(java.time.Duration.ofDays(90))).format(DateTimeFormatter.BASIC_ISO_DATE)));
        assertThat(count("SELECT COUNT(*) FROM pg_class WHERE relname = 'trace_p" + suffix + "'")).isZero();
    }

    @Test
    void aRecordWithoutItsDaysPartitionLandsInDefaultAndRetentionStillRuns() {
        Instant far = NOW.plus(java.time.Duration.ofDays(400)); // no partition that far ahead
        JdbcTraceStore trace = new JdbcTraceStore(db.database().dataSource());
        trace.record(record("FAR", far));
        assertThat(count("SELECT COUNT(*) FROM trace_default WHERE ref = 'FAR'")).isEqualTo(1);
        // Its day's partition can no longer be created (the row is in DEFAULT); the pass goes on regardless.
        var dropped = new TraceRetention(db.database(), java.time.Duration.ofDays(1), new org.postern.testsupport.TestClock(far)).runOnce();
        assertThat(count("SELECT COUNT(*) FROM trace WHERE ref = 'FAR'")).isEqualTo(1);
        assertThat(dropped).isNotNull();
    }

    @Test
    void recordsLandInTheirDaysPartitionAndTheWeekAheadExists() {
        LocalDate day = LocalDate.of(2026, 11, 28);
        prepareDays(day);
        new JdbcTraceStore(db.database().dataSource()).record(record("P1", NOW));
        String partition = Jdbc.query(db.database().dataSource(), "where", c -> {
            try (var s = c.createStatement(); var rs = s.executeQuery("SELECT tableoid::regclass::text FROM trace WHERE ref = 'P1'")) {
                rs.next();
                return rs.getString(1);
            }
        });
        assertThat(partition).isEqualTo("trace_p20261128");
        assertThat(count("SELECT COUNT(*) FROM pg_partitioned_table pt JOIN pg_class c ON c.oid = pt.partrelid"
                + " WHERE c.relname IN ('trace', 'trace_recipient')")).isEqualTo(2);
        new TraceRetention(db.database(), java.time.Duration.ofDays(90), new org.postern.testsupport.TestClock(NOW)).runOnce();
        for (int d = 0; d <= TraceRetention.DAYS_AHEAD; d++) {
            String name = "trace_p" + day.plusDays(d).format(DateTimeFormatter.BASIC_ISO_DATE);
            assertThat(count("SELECT COUNT(*) FROM pg_class WHERE relname = '" + name + "'")).as(name).isEqualTo(1);
        }
    }
}
