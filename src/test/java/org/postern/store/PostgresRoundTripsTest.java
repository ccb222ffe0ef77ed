package org.postern.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.quarantine.JdbcQuarantine;
import org.postern.quarantine.QuarantinedMessage;
import org.postern.trace.DecisionEntry;
import org.postern.trace.TraceRecord;
import org.postern.trace.TraceStatus;

import javax.sql.DataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What one message costs PostgreSQL, counted through a data source that counts every JDBC call that waits for the
 * server (a statement execution, a batch, a commit or rollback): a delivered message's trace is one, a
 * quarantined message's trace and quarantine (headers and a 1 MiB body) are two.
 */
class PostgresRoundTripsTest extends StoreContract {

    @TempDir Path dir;

    @Override
    protected TestDatabase openDatabase() {
        return TestDatabase.postgres();
    }

    @Test
    void oneMessageCostsAtMostTwoRoundTrips() throws Exception {
        AtomicInteger trips = new AtomicInteger();
        DataSource counted = counting(db.database().dataSource(), trips);
        JdbcTraceStore trace = new JdbcTraceStore(counted);
        JdbcQuarantine quarantine = new JdbcQuarantine(counted, "node-a", Clock.systemUTC());
        long seed = System.nanoTime();
        System.out.println("PostgresRoundTripsTest seed " + seed);
        byte[] body = new byte[1024 * 1024];
        new Random(seed).nextBytes(body);
        Path content = Files.write(dir.resolve("m.eml"), body);

        // The first write learns the database's kind.
        trace.record(record("WARM"));
        quarantine.hold(held("WARM"), "X-Postern: 1\r\n", content);

        trips.set(0);
        trace.record(record("DELIVERED1"));
        int delivered = trips.get();

        trips.set(0);
        trace.record(record("HELD1").withStatus(TraceStatus.Quarantined));
        quarantine.hold(held("HELD1"), "X-Postern-Report: ref=HELD1\r\n", content);
        int held = trips.get();

        System.out.printf("PostgresRoundTripsTest: delivered message %d round trip(s), quarantined message with a 1 MiB body %d%n",
                delivered, held);
        assertThat(delivered).isEqualTo(1);
        assertThat(held).isLessThanOrEqualTo(2);
        try (var in = quarantine.open("contoso", "HELD1")) {
            assertThat(in.readAllBytes()).hasSize(body.length + "X-Postern-Report: ref=HELD1\r\n".length());
        }
        assertThat(trace.search(org.postern.trace.TraceQuery.all().withRecipient("alice@contoso.test")))
                .extracting(TraceRecord::ref).contains("DELIVERED1", "HELD1");
    }

    private static TraceRecord record(String ref) {
        return new TraceRecord(ref, Optional.of("contoso"), Instant.now(), "203.0.113.7", Optional.of("mail.sender.test"),
                Optional.empty(), Optional.of("bob@sender.test"), List.of("alice@contoso.test", "bob@contoso.test"),
                Optional.of("<" + ref + "@sender.test>"), Optional.of("hi"), 1024 * 1024, OptionalInt.of(1), TraceStatus.Queued,
                "DATA", "250 2.0.0 Ok [ref=" + ref + "]",
                List.of(new DecisionEntry("WhichTenantOwnsRecipient", "Continue", "TENANT_ATTRIBUTED", "contoso")), "node-a");
    }

    private static QuarantinedMessage held(String id) {
        return QuarantinedMessage.held(id, "contoso", Instant.now(), "bob@sender.test", List.of("alice@contoso.test"), "hi",
                1024 * 1024, "malware.detected: Postern.BlockedFileType", "smtp://127.0.0.1:25");
    }

    /** A data source whose connections and statements count the calls that wait for the server. */
    static DataSource counting(DataSource real, AtomicInteger trips) {
        return proxy(DataSource.class, real, trips);
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, T real, AtomicInteger trips) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, method, args) -> {
            String name = method.getName();
            if (name.startsWith("execute") || name.equals("commit") || name.equals("rollback")) trips.incrementAndGet();
            Object result;
            try {
                result = method.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (result instanceof Connection c) return proxy(Connection.class, c, trips);
            if (result instanceof java.sql.PreparedStatement ps) return proxy(java.sql.PreparedStatement.class, ps, trips);
            if (result instanceof Statement s) return proxy(Statement.class, s, trips);
            return result;
        });
    }
}
