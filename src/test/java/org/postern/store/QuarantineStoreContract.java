package org.postern.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.quarantine.JdbcQuarantine;
import org.postern.quarantine.QuarantinedMessage;
import org.postern.testsupport.TestClock;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The quarantine in the store, the same on H2 and PostgreSQL: what one node holds every node lists and previews;
 * a release is spooled by the releasing node (or, from the CLI, by the first node that asks), exactly once;
 * retention deletes what is older; bodies round-trip byte for byte across chunks.
 */
abstract class QuarantineStoreContract extends StoreContract {

    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    @TempDir Path dir;
    private TestClock clock;

    @org.junit.jupiter.api.BeforeEach
    void resetClock() {
        clock = new TestClock(T0); // one instance serves the whole class
    }

    private JdbcQuarantine node(String name) {
        return new JdbcQuarantine(db.database().dataSource(), name, clock);
    }

    @Test
    void whatOneNodeHoldsEveryNodeListsAndPreviews() throws Exception {
        JdbcQuarantine a = node("node-a");
        JdbcQuarantine b = node("node-b");
        hold(a, "AAA", "contoso", T0, "Subject: hi\r\n\r\nbody\r\n");
        hold(a, "BBB", "contoso", T0.plusSeconds(60), "Subject: hi\r\n\r\nbody\r\n");
        hold(b, "CCC", "fabrikam", T0, "Subject: hi\r\n\r\nbody\r\n");
        assertThat(b.list("contoso")).extracting(QuarantinedMessage::id).containsExactly("BBB", "AAA");
        assertThat(a.list("fabrikam")).extracting(QuarantinedMessage::id).containsExactly("CCC");
        assertThat(a.list("northwind")).isEmpty();
        assertThat(b.find("contoso", "AAA")).hasValueSatisfying(m -> {
            assertThat(m.recipients()).containsExactly("x@contoso.test");
            assertThat(m.reason()).isEqualTo("auth.dmarc-quarantine");
            assertThat(m.heldAt()).isEqualTo(T0);
            assertThat(m.releasedBy()).isEmpty();
        });
        try (InputStream in = b.open("contoso", "AAA")) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                    .isEqualTo("X-Postern-Report: ref=AAA\r\nSubject: hi\r\n\r\nbody\r\n");
        }
        assertThat(b.find("fabrikam", "AAA")).isEmpty(); // another tenant's id is not found
        assertThatThrownBy(() -> b.open("fabrikam", "AAA")).isInstanceOf(java.io.IOException.class);
        assertThat(a.tenants()).containsExactly("contoso", "fabrikam");
    }

    @Test
    void largeBodiesRoundTripAcrossChunks() throws Exception {
        long seed = System.nanoTime();
        System.out.println("QuarantineStoreContract seed " + seed);
        byte[] body = new byte[3 * 256 * 1024 + 12_345];
        new Random(seed).nextBytes(body);
        Path content = dir.resolve("big.eml");
        Files.write(content, body);
        JdbcQuarantine a = node("node-a");
        a.hold(message("BIG", "contoso", T0), "X-H: 1\r\n", content);
        byte[] expected = new byte[body.length + 8];
        System.arraycopy("X-H: 1\r\n".getBytes(StandardCharsets.US_ASCII), 0, expected, 0, 8);
        System.arraycopy(body, 0, expected, 8, body.length);
        try (InputStream in = node("node-b").open("contoso", "BIG")) {
            assertThat(in.readAllBytes()).isEqualTo(expected);
        }
        assertThat(count("SELECT COUNT(*) FROM quarantine_chunk WHERE id = 'BIG'")).isEqualTo(4);
    }

    @Test
    void aReleaseIsSpooledByTheReleasingNodeExactlyOnce() throws Exception {
        JdbcQuarantine a = node("node-a");
        JdbcQuarantine b = node("node-b");
        hold(a, "AAA", "contoso", T0, "Subject: hi\r\n\r\nbody\r\n");
        assertThat(a.release("fabrikam", "AAA", "eve", T0)).isFalse();
        assertThat(b.release("contoso", "AAA", "admin@contoso.test", T0.plusSeconds(5))).isTrue();
        assertThat(b.release("contoso", "AAA", "again", T0.plusSeconds(6))).isFalse();
        assertThat(a.list("contoso")).isEmpty();
        assertThat(a.released()).isEmpty(); // node B released it: node B spools it
        assertThat(b.released()).singleElement().satisfies(m -> {
            assertThat(m.releasedBy()).contains("admin@contoso.test");
            assertThat(m.releasedAt()).contains(T0.plusSeconds(5));
        });
        clock.advance(Duration.ofMinutes(5));
        assertThat(a.released()).isEmpty(); // claimed by B, even once it is old
        assertThat(b.released()).extracting(QuarantinedMessage::id).containsExactly("AAA"); // B again after a restart
        try (InputStream in = b.openReleased("AAA")) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).contains("Subject: hi");
        }
        b.forgetReleased("AAA");
        assertThat(b.released()).isEmpty();
        assertThat(count("SELECT COUNT(*) FROM quarantine_chunk")).isZero();
    }

    @Test
    void aReleaseWithoutANodeIsClaimedByTheFirstNodeThatAsks() throws Exception {
        JdbcQuarantine cli = node("");
        hold(cli, "AAA", "contoso", T0, "Subject: hi\r\n\r\nbody\r\n");
        assertThat(cli.release("contoso", "AAA", "cli:root", T0)).isTrue();
        assertThat(cli.released()).isEmpty(); // a tool never spools
        assertThat(node("node-b").released()).extracting(QuarantinedMessage::id).containsExactly("AAA");
        assertThat(node("node-a").released()).isEmpty();
    }

    @Test
    void aReleaseWhoseNodeDiedIsTakenOverAfterAWhile() throws Exception {
        JdbcQuarantine a = node("node-a");
        hold(a, "AAA", "contoso", T0, "x\r\n");
        a.release("contoso", "AAA", "admin", T0);
        assertThat(node("node-b").released()).isEmpty();
        clock.advance(Duration.ofMinutes(1));
        assertThat(node("node-b").released()).extracting(QuarantinedMessage::id).containsExactly("AAA");
        assertThat(a.released()).isEmpty(); // B has claimed it
    }

    @Test
    void retentionDeletesOnlyWhatIsOlderAndSweepsOrphanedBodies() throws Exception {
        JdbcQuarantine a = node("node-a");
        hold(a, "OLD", "contoso", T0.minus(Duration.ofDays(31)), "x\r\n");
        hold(a, "NEW", "contoso", T0.minus(Duration.ofDays(29)), "x\r\n");
        hold(a, "FAB", "fabrikam", T0.minus(Duration.ofDays(31)), "x\r\n");
        Jdbc.query(db.database().dataSource(), "orphan", c -> {
            try (var ps = c.prepareStatement("INSERT INTO quarantine_chunk (id, seq, data, written_at) VALUES ('LOST', 0, ?, ?)")) {
                ps.setBytes(1, new byte[] {0});
                ps.setObject(2, Jdbc.timestamp(T0.minus(Duration.ofDays(31))));
                return ps.executeUpdate();
            }
        });
        assertThat(a.expire("contoso", T0.minus(Duration.ofDays(30)))).isEqualTo(1);
        assertThat(a.list("contoso")).extracting(QuarantinedMessage::id).containsExactly("NEW");
        assertThat(a.list("fabrikam")).extracting(QuarantinedMessage::id).containsExactly("FAB");
        assertThat(count("SELECT COUNT(*) FROM quarantine_chunk WHERE id IN ('OLD', 'LOST')")).isZero();
        assertThat(a.delete("contoso", "NEW")).isTrue();
        assertThat(a.delete("contoso", "NEW")).isFalse();
        assertThat(a.list("contoso")).isEmpty();
    }

    @Test
    void hostileTextIsStoredNotRefused() throws Exception {
        JdbcQuarantine a = node("node-a");
        Path content = Files.writeString(dir.resolve("m.eml"), "x\r\n");
        a.hold(QuarantinedMessage.held("NUL", "contoso", T0, "a\0b@example.test", List.of("x@contoso.test"),
                "s".repeat(10_000) + "\0", 3, "r", "maildir:/tmp"), "", content);
        assertThat(a.find("contoso", "NUL")).hasValueSatisfying(m -> {
            assertThat(m.mailFrom()).isEqualTo("ab@example.test");
            assertThat(m.subject()).hasSize(4096);
        });
    }

    private long count(String sql) {
        return Jdbc.query(db.database().dataSource(), "counting", c -> {
            try (var s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    private void hold(JdbcQuarantine q, String id, String tenant, Instant at, String body) throws Exception {
        Path content = Files.writeString(dir.resolve(id + ".tmp"), body);
        q.hold(message(id, tenant, at), "X-Postern-Report: ref=" + id + "\r\n", content);
    }

    private static QuarantinedMessage message(String id, String tenant, Instant at) {
        return QuarantinedMessage.held(id, tenant, at, "a@b.example", List.of("x@" + tenant + ".test"), "hi", 20,
                "auth.dmarc-quarantine", "maildir:/tmp");
    }
}
