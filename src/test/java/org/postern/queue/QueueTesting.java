package org.postern.queue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

/** Shared set-up for the queue tests: envelopes, settings, and one call to queue a message. */
final class QueueTesting {

    static final String HOST = "mx1.postern.test";
    static final Duration WAIT = Duration.ofSeconds(20);
    static final String PREPEND = "Received: from client.example.org ([192.0.2.1])\r\n\tby mx1.postern.test with ESMTP id R1\r\n"
            + "X-Postern-SCL: 1\r\n";

    private QueueTesting() {}

    /** Backoff long enough that nothing is retried unless the test says so. */
    static DeliverySettings settings() {
        return DeliverySettings.defaults(HOST)
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10))
                .withShutdownGrace(Duration.ofSeconds(2))
                .withRetry(new RetryPolicy(Duration.ofMinutes(1), Duration.ofHours(1), Duration.ofDays(2)));
    }

    static Envelope envelope(String ref, String target, Instant receivedAt, String... recipients) {
        return new Envelope(ref, "contoso", "sender@example.org", List.of(recipients), target, receivedAt, PREPEND, false);
    }

    static Envelope envelope(String ref, String target, String... recipients) {
        return envelope(ref, target, Instant.now(), recipients);
    }

    /** begin, write, commit: what the SMTP edge does at end of data. */
    static void queue(Spool spool, Envelope envelope, String content) throws IOException {
        queue(spool, envelope, content.getBytes(StandardCharsets.UTF_8));
    }

    static void queue(Spool spool, Envelope envelope, byte[] content) throws IOException {
        Spool.Pending p = spool.begin();
        try (OutputStream out = p.content()) {
            out.write(content);
        }
        spool.commit(p, envelope);
    }

    static FileSpool openSpool(Path dataDir, DeliverySettings settings, DeliveryListener listener, Clock clock) throws IOException {
        return FileSpool.open(dataDir, DeliveryScheduler.start(settings, listener, clock));
    }

    /** A port on 127.0.0.1 where nothing listens (connection refused). */
    static int closedPort() {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Path> files(Path dir) {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void awaitTrue(java.util.function.BooleanSupplier condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
