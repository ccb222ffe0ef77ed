package org.postern.quarantine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Held messages per tenant on disk: list, release (with who and when), delete, retention, and safe names only. */
class FileQuarantineTest {

    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    @TempDir Path dir;

    @Test
    void heldMessagesAreListedPerTenantNewestFirstWithTheirContent() throws Exception {
        FileQuarantine q = new FileQuarantine(dir);
        hold(q, "AAA", "contoso", T0);
        hold(q, "BBB", "contoso", T0.plusSeconds(60));
        hold(q, "CCC", "fabrikam", T0);
        assertThat(q.list("contoso")).extracting(QuarantinedMessage::id).containsExactly("BBB", "AAA");
        assertThat(q.list("fabrikam")).extracting(QuarantinedMessage::id).containsExactly("CCC");
        assertThat(q.list("northwind")).isEmpty();
        try (var in = q.open("contoso", "AAA")) {
            assertThat(new String(in.readAllBytes())).isEqualTo("X-Postern-Report: ref=AAA\r\nSubject: hi\r\n\r\nbody\r\n");
        }
        assertThat(q.find("fabrikam", "AAA")).isEmpty(); // another tenant's id is not found
    }

    @Test
    void releaseLeavesTheListAndRecordsWhoAndWhen() throws Exception {
        FileQuarantine q = new FileQuarantine(dir);
        hold(q, "AAA", "contoso", T0);
        assertThat(q.release("fabrikam", "AAA", "cli:eve", T0)).isFalse();
        assertThat(q.release("contoso", "AAA", "cli:admin", T0.plusSeconds(5))).isTrue();
        assertThat(q.list("contoso")).isEmpty();
        assertThat(q.released()).singleElement().satisfies(m -> {
            assertThat(m.releasedBy()).contains("cli:admin");
            assertThat(m.releasedAt()).contains(T0.plusSeconds(5));
        });
        assertThat(Files.readString(q.releasedContent("AAA"))).contains("Subject: hi");
    }

    @Test
    void retentionDeletesOnlyWhatIsOlder() throws Exception {
        FileQuarantine q = new FileQuarantine(dir);
        hold(q, "OLD", "contoso", T0.minus(Duration.ofDays(31)));
        hold(q, "NEW", "contoso", T0.minus(Duration.ofDays(29)));
        assertThat(q.expire("contoso", T0.minus(QuarantineKeeper.retention(Optional.empty())))).isEqualTo(1);
        assertThat(q.list("contoso")).extracting(QuarantinedMessage::id).containsExactly("NEW");
        assertThat(QuarantineKeeper.retention(Optional.of("7d"))).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void idsThatAreNotPlainNamesNeverReachTheFileSystem() {
        FileQuarantine q = new FileQuarantine(dir);
        assertThatThrownBy(() -> q.find("contoso", "../../etc/passwd")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> q.list("../x")).isInstanceOf(IllegalArgumentException.class);
    }

    private void hold(FileQuarantine q, String id, String tenant, Instant at) throws Exception {
        Path content = Files.writeString(dir.resolve(id + ".tmp"), "Subject: hi\r\n\r\nbody\r\n");
        q.hold(QuarantinedMessage.held(id, tenant, at, "a@b.example", List.of("x@" + tenant + ".test"), "hi", 20,
                "auth.dmarc-quarantine", "maildir:/tmp"), "X-Postern-Report: ref=" + id + "\r\n", content);
    }
}
