package org.postern.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * A redis-server of the test's own on a free loopback port, which the test may stop and start again (the machine's
 * Redis on 6379 is never touched). No persistence: a restarted server is empty, as after a crash without AOF.
 */
public final class PrivateRedis implements AutoCloseable {

    /** The machine's shared Redis (started by .ci/run), for tests that only need one that runs. */
    public static final String SHARED_URL = "redis://127.0.0.1:6379";

    private final Path binary;
    private final Path dir;
    public final int port;
    private Process process;

    private PrivateRedis(Path binary, Path dir, int port) {
        this.binary = binary;
        this.dir = dir;
        this.port = port;
    }

    /** Starts one in {@code dir} (its log goes there); skips the test without redis-server, fails it under CI. */
    public static PrivateRedis start(Path dir) {
        Path binary = Downstreams.requireBinary("redis-server", Downstreams.findBinary("redis-server", "/usr/bin/redis-server"));
        try {
            java.nio.file.Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        PrivateRedis redis = new PrivateRedis(binary, dir, freePort());
        redis.startAgain();
        return redis;
    }

    /** Makes sure the machine's Redis answers: skips the test on a developer machine without one, fails it under CI. */
    public static String requireShared() {
        try (Socket s = new Socket("127.0.0.1", 6379)) {
            return SHARED_URL;
        } catch (IOException e) {
            if (Downstreams.runningInCi()) throw new AssertionError("Redis on 127.0.0.1:6379 is not running but CI is set (.ci/run starts it)");
            org.junit.jupiter.api.Assumptions.abort("Redis on 127.0.0.1:6379 is not running");
            throw new IllegalStateException("unreachable");
        }
    }

    /** Deletes every key under {@code prefix} in the Redis at {@code url}. */
    public static void deleteKeys(String url, String prefix) {
        try (redis.clients.jedis.RedisClient client = redis.clients.jedis.RedisClient.create(java.net.URI.create(url))) {
            var keys = client.keys(prefix + "*");
            if (!keys.isEmpty()) client.del(keys.toArray(String[]::new));
        } catch (RuntimeException e) {
            // a stopped server holds nothing any more
        }
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** A key prefix no other test run uses. */
    public static String randomPrefix() {
        return "postern-test:" + UUID.randomUUID() + ":";
    }

    public void startAgain() {
        if (process != null && process.isAlive()) throw new IllegalStateException("already running");
        try {
            process = new ProcessBuilder(List.of(binary.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--daemonize", "no"))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("redis-" + port + ".log").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start redis-server", e);
        }
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < until) {
            if (answersPing()) return;
            if (!process.isAlive()) throw new IllegalStateException("redis-server exited at start; see " + dir);
            TestGateway.sleep(20);
        }
        throw new IllegalStateException("redis-server did not answer on port " + port);
    }

    /** Stops the server (as a crash would: SIGKILL) and waits until it is gone. */
    public void stop() {
        if (process == null) return;
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean answersPing() {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(1000);
            s.getOutputStream().write("PING\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            byte[] b = new byte[7];
            int n = s.getInputStream().read(b);
            return n > 0 && new String(b, 0, n, java.nio.charset.StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        stop();
    }
}
