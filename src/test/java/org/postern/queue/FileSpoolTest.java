package org.postern.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.postern.queue.QueueTesting.WAIT;
import static org.postern.queue.QueueTesting.awaitTrue;
import static org.postern.queue.QueueTesting.closedPort;
import static org.postern.queue.QueueTesting.envelope;
import static org.postern.queue.QueueTesting.files;
import static org.postern.queue.QueueTesting.openSpool;
import static org.postern.queue.QueueTesting.queue;
import static org.postern.queue.QueueTesting.settings;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.postern.trace.TraceStatus;

@Timeout(60)
class FileSpoolTest {

    @TempDir Path dir;
    private final RecordingListener events = new RecordingListener();

    private Path data() { return dir.resolve("data"); }
    private Path queueDir() { return dir.resolve("data/spool/queue"); }
    private Path tmpDir() { return dir.resolve("data/spool/tmp"); }
    private Path mail() { return dir.resolve("mail"); }

    /** Makes a recipient's Maildir unwritable: a plain file stands where its directory would go. */
    private void block(String recipient) throws IOException {
        Files.createDirectories(mail());
        Files.writeString(mail().resolve(recipient), "blocked");
    }

    private void unblock(String recipient) throws IOException {
        Files.delete(mail().resolve(recipient));
    }

    private int delivered(String recipient) {
        return files(mail().resolve(recipient).resolve("new")).size();
    }

    @Test
    void commitPutsContentEnvelopeAndStateInTheQueueUntilDelivered() throws IOException {
        try (FileSpool spool = openSpool(data(), settings(), events, Clock.systemUTC())) {
            queue(spool, envelope("R1", "smtp://127.0.0.1:" + closedPort(), "alice@contoso.test"), "Subject: x\r\n\r\nhi\r\n");
            assertThat(events.awaitAny("alice@contoso.test", WAIT).outcome()).isEqualTo(TraceStatus.Deferred);
            assertThat(spool.depth()).isEqualTo(1);
        }
        List<String> names = files(queueDir()).stream().map(p -> p.getFileName().toString()).toList();
        assertThat(names).hasSize(3);
        String id = names.getFirst().substring(0, names.getFirst().indexOf('.'));
        assertThat(names).containsExactlyInAnyOrder(id + ".env.json", id + ".msg", id + ".state.json");
        assertThat(Files.readString(queueDir().resolve(id + ".msg"))).isEqualTo("Subject: x\r\n\r\nhi\r\n");
        assertThat(Files.readString(queueDir().resolve(id + ".env.json"))).contains("\"ref\":\"R1\"", "alice@contoso.test");
        assertThat(Files.readString(queueDir().resolve(id + ".state.json"))).contains("\"status\":\"PENDING\"", "\"attempts\":1");
        assertThat(files(tmpDir())).isEmpty();
    }

    @Test
    void pendingContentLivesInTmpUntilCommittedAndDiscardRemovesIt() throws IOException {
        try (FileSpool spool = openSpool(data(), settings(), events, Clock.systemUTC())) {
            Spool.Pending p = spool.begin();
            try (OutputStream out = p.content()) {
                out.write("partial".getBytes(StandardCharsets.US_ASCII));
            }
            assertThat(p.contentFile()).hasParent(tmpDir()).hasContent("partial");
            p.discard();
            assertThat(p.contentFile()).doesNotExist();
            assertThatThrownBy(() -> spool.commit(p, envelope("R2", "maildir:" + mail(), "a@contoso.test")))
                    .isInstanceOf(IllegalStateException.class);
            assertThat(files(queueDir())).isEmpty();
        }
    }

    @Test
    void removesTheMessageFilesOnceEveryRecipientIsDeliveredOrFailed() throws IOException {
        try (FileSpool spool = openSpool(data(), settings(), events, Clock.systemUTC())) {
            queue(spool, envelope("R3", "maildir:" + mail(), "alice@contoso.test", "/bad@contoso.test"), "Subject: x\r\n\r\nhi\r\n");
            events.await(2, e -> true, WAIT);
            awaitTrue(() -> spool.depth() == 0, WAIT, "depth 0");
            assertThat(files(queueDir())).isEmpty();
        }
    }

    @Test
    void restartResumesAMessageAtOnceAndDeliversOnlyTheRecipientsStillPending() throws IOException {
        block("bob@contoso.test");
        try (FileSpool spool = openSpool(data(), settings(), events, Clock.systemUTC())) {
            queue(spool, envelope("R4", "maildir:" + mail(), "alice@contoso.test", "bob@contoso.test"), "Subject: x\r\n\r\nhi\r\n");
            events.awaitOne("alice@contoso.test", TraceStatus.Delivered, WAIT);
            events.awaitOne("bob@contoso.test", TraceStatus.Deferred, WAIT);
        }
        unblock("bob@contoso.test");
        RecordingListener after = new RecordingListener();
        try (FileSpool spool = openSpool(data(), settings(), after, Clock.systemUTC())) {
            // the retry is a minute away, but a restart resumes every message at once
            assertThat(after.awaitOne("bob@contoso.test", TraceStatus.Delivered, WAIT).attempt()).isEqualTo(2);
            awaitTrue(() -> spool.depth() == 0, WAIT, "depth 0");
        }
        assertThat(after.events()).extracting(e -> e.recipient()).containsExactly("bob@contoso.test");
        assertThat(delivered("alice@contoso.test")).isEqualTo(1);
        assertThat(delivered("bob@contoso.test")).isEqualTo(1);
        assertThat(files(queueDir())).isEmpty();
    }

    @Test
    void startupRemovesStaleTempFilesAndTheDebrisOfUnfinishedCommits() throws IOException {
        Files.createDirectories(tmpDir());
        Files.createDirectories(queueDir());
        Files.writeString(tmpDir().resolve("x1.msg"), "half received");
        Files.writeString(tmpDir().resolve("x2.env.json"), "{");
        Files.writeString(queueDir().resolve("orphan.msg"), "content whose envelope never arrived");
        Files.writeString(queueDir().resolve("lonely.env.json"), "{}");
        Files.writeString(queueDir().resolve("lonely.state.json"), "{}");
        try (FileSpool spool = openSpool(data(), settings(), events, Clock.systemUTC())) {
            assertThat(spool.depth()).isZero();
        }
        assertThat(files(tmpDir())).isEmpty();
        assertThat(files(queueDir())).isEmpty();
    }

    @Test
    void leavesAnUnreadableEnvelopeInPlaceForTheOperator() throws IOException {
        Files.createDirectories(queueDir());
        Files.writeString(queueDir().resolve("broken.msg"), "content");
        Files.writeString(queueDir().resolve("broken.env.json"), "{ not json");
        try (FileSpool spool = openSpool(data(), settings(), events, Clock.systemUTC())) {
            assertThat(spool.depth()).isZero();
        }
        assertThat(queueDir().resolve("broken.env.json")).exists();
        assertThat(queueDir().resolve("broken.msg")).exists();
    }

    @Test
    void concurrentCommitsShareDirectorySyncsAndEachMessageIsDeliveredOnce() throws Exception {
        int messages = 200;
        try (FileSpool spool = openSpool(data(), settings(), events, Clock.systemUTC());
             ExecutorService pool = Executors.newFixedThreadPool(16)) {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < messages; i++) {
                int n = i;
                done.add(pool.submit(() -> {
                    queue(spool, envelope("C" + n, "maildir:" + mail(), "user" + (n % 10) + "@contoso.test"), "Subject: " + n + "\r\n\r\nbody\r\n");
                    return null;
                }));
            }
            for (Future<?> f : done) f.get();
            events.await(messages, e -> e.outcome() == TraceStatus.Delivered, WAIT);
            awaitTrue(() -> spool.depth() == 0, WAIT, "depth 0");
        }
        int total = 0;
        for (int u = 0; u < 10; u++) total += delivered("user" + u + "@contoso.test");
        assertThat(total).isEqualTo(messages);
        assertThat(events.events()).hasSize(messages);
        assertThat(files(queueDir())).isEmpty();
    }

    @Test
    void aMessageCommittedBeforeKillMinus9IsDeliveredAfterRestartWithoutRedeliveringWhatWasDone() throws Exception {
        block("bob@contoso.test");
        block("erin@contoso.test");
        String java = ProcessHandle.current().info().command().orElse("java");
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process child = new ProcessBuilder(java, "-cp", classpath, SpoolCrashChild.class.getName(),
                data().toString(), mail().toString()).redirectErrorStream(true).start();
        List<String> output = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                output.add(line);
                if (line.equals("M2 COMMITTED")) {
                    child.destroyForcibly();   // SIGKILL: no shutdown hook, no close, no flush
                    break;
                }
            }
        } finally {
            child.destroyForcibly();
            child.waitFor();
        }
        assertThat(output).as("child output").contains("M1 ATTEMPTED", "M2 COMMITTED");

        unblock("bob@contoso.test");
        unblock("erin@contoso.test");
        try (FileSpool spool = openSpool(data(), settings(), events, Clock.systemUTC())) {
            events.awaitOne("bob@contoso.test", TraceStatus.Delivered, WAIT);
            events.awaitOne("erin@contoso.test", TraceStatus.Delivered, WAIT);
            awaitTrue(() -> spool.depth() == 0, WAIT, "depth 0");
        }
        assertThat(events.events()).extracting(e -> e.recipient()).doesNotContain("alice@contoso.test");
        assertThat(delivered("alice@contoso.test")).isEqualTo(1);
        assertThat(delivered("bob@contoso.test")).isEqualTo(1);
        assertThat(delivered("erin@contoso.test")).isEqualTo(1);
        assertThat(files(queueDir())).isEmpty();
    }
}
