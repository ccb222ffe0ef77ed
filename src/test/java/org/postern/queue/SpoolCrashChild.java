package org.postern.queue;

import java.nio.file.Path;
import java.time.Clock;
import org.postern.trace.TraceStatus;

/**
 * Run in a child JVM by {@link FileSpoolTest} and killed with SIGKILL: queues two messages into a spool, prints a
 * marker line after each step, then waits to be killed.
 * Arguments: data dir, maildir root.
 */
public final class SpoolCrashChild {

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[0]);
        String target = "maildir:" + args[1];
        RecordingListener events = new RecordingListener();
        FileSpool spool = QueueTesting.openSpool(dataDir, QueueTesting.settings(),
                e -> { events.attempted(e); System.out.println("EVENT " + e); }, Clock.systemUTC());

        // alice's mailbox works, bob's is blocked: one delivered, one deferred, both recorded before the kill
        QueueTesting.queue(spool, QueueTesting.envelope("M1", target, "alice@contoso.test", "bob@contoso.test"), "Subject: m1\r\n\r\none\r\n");
        events.awaitOne("alice@contoso.test", TraceStatus.Delivered, QueueTesting.WAIT);
        events.awaitOne("bob@contoso.test", TraceStatus.Deferred, QueueTesting.WAIT);
        System.out.println("M1 ATTEMPTED");

        // killed the moment commit returns: the message must survive
        QueueTesting.queue(spool, QueueTesting.envelope("M2", target, "erin@contoso.test"), "Subject: m2\r\n\r\ntwo\r\n");
        System.out.println("M2 COMMITTED");
        System.out.flush();
        Thread.sleep(60_000);
    }
}
