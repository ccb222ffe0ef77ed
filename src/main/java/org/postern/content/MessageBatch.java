package org.postern.content;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Views many messages on several cores for the batch commands (train, classify, report): messages are read in
 * order by one thread, parsed and worked on by a pool, and their results handed back in input order, so the output
 * and a trained model do not depend on the number of threads. At most a few messages per thread are in flight.
 */
public final class MessageBatch {

    /** Work on one message's view, on a pool thread. */
    @FunctionalInterface
    public interface Work<R> {
        R apply(String name, MessageView view) throws IOException;
    }

    /** Receives results in input order, on the calling thread. */
    @FunctionalInterface
    public interface Sink<R> {
        void accept(String name, R result) throws IOException;
    }

    /** Messages larger than this are spilled to a file rather than held while they wait for a thread. */
    private static final int IN_MEMORY_BYTES = 8 << 20;

    private record Pending<R>(String name, Future<R> result) { }

    private MessageBatch() {
    }

    public static <R> void run(List<Path> inputs, ViewLimits limits, int threads, Work<R> work, Sink<R> sink)
            throws IOException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
            Thread t = new Thread(r, "postern-batch");
            t.setDaemon(true);
            return t;
        });
        Deque<Pending<R>> inFlight = new ArrayDeque<>();
        try {
            for (Path input : inputs) {
                MailInputs.forEach(input, (name, in) -> {
                    Message message = Message.read(in);
                    inFlight.add(new Pending<>(name, pool.submit(() -> {
                        try (InputStream body = message.open(); MessageView view = MessageView.parse(body, limits)) {
                            return work.apply(name, view);
                        } finally {
                            message.delete();
                        }
                    })));
                    while (inFlight.size() >= 4 * Math.max(1, threads)) deliver(inFlight.poll(), sink);
                });
            }
            while (!inFlight.isEmpty()) deliver(inFlight.poll(), sink);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * What to do when the heap runs out: it is the batch as a whole (training keeps every message's features), not
     * the message it happened on.
     */
    public static String outOfMemory(String where) {
        return String.format(java.util.Locale.ROOT, "out of memory at %s: the JVM's heap (at most %d MiB) is too small "
                + "for this batch; give it more, e.g. POSTERN_JAVA_OPTS=\"-Xmx8g\" (training holds about 8 KB per message)",
                where, Runtime.getRuntime().maxMemory() >> 20);
    }

    private static <R> void deliver(Pending<R> pending, Sink<R> sink) throws IOException {
        R result;
        try {
            result = pending.result().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) throw io;
            if (e.getCause() instanceof RuntimeException re) throw re;
            if (e.getCause() instanceof OutOfMemoryError) throw new IOException(outOfMemory(pending.name()), e.getCause());
            throw new IOException(pending.name() + ": " + e.getCause(), e.getCause());
        }
        sink.accept(pending.name(), result);
    }

    /** One message's bytes, in memory or (when large) in a temporary file. */
    private record Message(byte[] bytes, Path file) {
        static Message read(InputStream in) throws IOException {
            byte[] head = in.readNBytes(IN_MEMORY_BYTES);
            if (head.length < IN_MEMORY_BYTES) return new Message(head, null);
            Path file = Files.createTempFile("postern-batch-", ".eml");
            try (var out = Files.newOutputStream(file)) {
                out.write(head);
                in.transferTo(out);
            }
            return new Message(null, file);
        }

        InputStream open() throws IOException {
            return file == null ? new ByteArrayInputStream(bytes) : Files.newInputStream(file);
        }

        void delete() {
            if (file == null) return;
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
