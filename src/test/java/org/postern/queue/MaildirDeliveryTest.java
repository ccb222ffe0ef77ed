package org.postern.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.postern.queue.QueueTesting.PREPEND;
import static org.postern.queue.QueueTesting.WAIT;
import static org.postern.queue.QueueTesting.envelope;
import static org.postern.queue.QueueTesting.files;
import static org.postern.queue.QueueTesting.openSpool;
import static org.postern.queue.QueueTesting.queue;
import static org.postern.queue.QueueTesting.settings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.postern.trace.DeliveryEvent;
import org.postern.trace.TraceStatus;

@Timeout(60)
class MaildirDeliveryTest {

    @TempDir Path dir;
    private final RecordingListener events = new RecordingListener();

    private static final String CONTENT = "From: a@example.org\r\nSubject: dots\r\n\r\n"
            + ".leading dot\r\n..two dots\r\n.\r\nlast line without CRLF é";

    @Test
    void writesReturnPathDeliveredToPrependedHeadersThenTheContentByteForByte() throws IOException {
        Path root = dir.resolve("mail/contoso");
        try (FileSpool spool = openSpool(dir.resolve("data"), settings(), events, Clock.systemUTC())) {
            queue(spool, envelope("R1", "maildir:" + root, "alice@contoso.test"), CONTENT);
            DeliveryEvent e = events.awaitOne("alice@contoso.test", TraceStatus.Delivered, WAIT);
            assertThat(e.attempt()).isEqualTo(1);
            assertThat(e.target()).isEqualTo("maildir:" + root);
            assertThat(e.node()).isEqualTo(QueueTesting.HOST);
            assertThat(e.ref()).isEqualTo("R1");
            assertThat(e.tenant()).isEqualTo("contoso");
        }
        List<Path> delivered = files(root.resolve("alice@contoso.test/new"));
        assertThat(delivered).hasSize(1);
        byte[] expected = ("Return-Path: <sender@example.org>\r\nDelivered-To: alice@contoso.test\r\n" + PREPEND + CONTENT)
                .getBytes(StandardCharsets.UTF_8);
        assertThat(Files.readAllBytes(delivered.getFirst())).isEqualTo(expected);
        assertThat(files(root.resolve("alice@contoso.test/tmp"))).isEmpty();
        assertThat(root.resolve("alice@contoso.test/cur")).isDirectory();
    }

    @Test
    void givesEachRecipientItsOwnMailboxNamedByTheLowerCasedAddress() throws IOException {
        Path root = dir.resolve("mail");
        try (FileSpool spool = openSpool(dir.resolve("data"), settings(), events, Clock.systemUTC())) {
            queue(spool, envelope("R2", "maildir:" + root, "Alice@Contoso.test", "bob@contoso.test"), "Subject: x\r\n\r\nhi\r\n");
            events.await(2, ev -> ev.outcome() == TraceStatus.Delivered, WAIT);
        }
        assertThat(files(root).stream().map(p -> p.getFileName().toString())).containsExactly("alice@contoso.test", "bob@contoso.test");
        String name = files(root.resolve("bob@contoso.test/new")).getFirst().getFileName().toString();
        // time.MusecPpidQseqRrandom.host
        assertThat(name).matches("\\d+\\.M\\d+P\\d+Q\\d+R[0-9a-f]+\\.mx1\\.postern\\.test");
    }

    @Test
    void resolvesARelativePathAgainstTheWorkingDirectory() throws IOException {
        String rel = "target/maildir-test-" + UUID.randomUUID();
        Path absolute = Path.of("").toAbsolutePath().resolve(rel);
        try (FileSpool spool = openSpool(dir.resolve("data"), settings(), events, Clock.systemUTC())) {
            queue(spool, envelope("R3", "maildir:" + rel, "carol@contoso.test"), "Subject: x\r\n\r\nhi\r\n");
            events.awaitOne("carol@contoso.test", TraceStatus.Delivered, WAIT);
            assertThat(files(absolute.resolve("carol@contoso.test/new"))).hasSize(1);
        } finally {
            try (var walk = Files.walk(absolute)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void failsARecipientWhoseAddressCouldEscapeTheMaildirRoot() throws IOException {
        Path root = dir.resolve("mail");
        try (FileSpool spool = openSpool(dir.resolve("data"), settings(), events, Clock.systemUTC())) {
            queue(spool, envelope("R4", "maildir:" + root, "../../etc/passwd@x.test", "ok@contoso.test"), "Subject: x\r\n\r\nhi\r\n");
            DeliveryEvent bad = events.awaitAny("../../etc/passwd@x.test", WAIT);
            assertThat(bad.outcome()).isEqualTo(TraceStatus.Failed);
            assertThat(bad.detail()).contains("cannot name a Maildir");
            events.awaitOne("ok@contoso.test", TraceStatus.Delivered, WAIT);
        }
        assertThat(files(root).stream().map(p -> p.getFileName().toString())).containsExactly("ok@contoso.test");
    }

    @Test
    void defersWhenTheMaildirCannotBeWrittenAndKeepsTheMessage() throws IOException {
        Path root = dir.resolve("mail");
        Files.createDirectories(root);
        Files.writeString(root.resolve("dave@contoso.test"), "a file where the mailbox should be");
        try (FileSpool spool = openSpool(dir.resolve("data"), settings(), events, Clock.systemUTC())) {
            queue(spool, envelope("R5", "maildir:" + root, "dave@contoso.test"), "Subject: x\r\n\r\nhi\r\n");
            DeliveryEvent e = events.awaitAny("dave@contoso.test", WAIT);
            assertThat(e.outcome()).isEqualTo(TraceStatus.Deferred);
            assertThat(e.detail()).contains("maildir");
            assertThat(spool.depth()).isEqualTo(1);
        }
    }
}
