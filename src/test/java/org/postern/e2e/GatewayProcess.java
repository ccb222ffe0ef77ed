package org.postern.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code postern serve --config FILE} in a child JVM (same JDK, same class path as the tests), with its output in a
 * log file. {@link #close()} always SIGKILLs whatever is still running, so a test can put it in a finally block.
 */
final class GatewayProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;

    private GatewayProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts the child and waits until its SMTP port accepts connections (fails with the child's log if not). */
    static GatewayProcess start(Path config, int smtpPort, Path log, Duration timeout) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = List.of(java, "-XX:+UseSerialGC", "-Xss512k", "-Xmx512m", "-cp", classpath,
                "org.postern.Postern", "serve", "--config", config.toString());
        Process p;
        try {
            p = new ProcessBuilder(cmd)
                    .directory(config.getParent().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the gateway child JVM", e);
        }
        GatewayProcess g = new GatewayProcess(p, smtpPort, log);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!p.isAlive()) {
                throw new AssertionError("gateway child exited with " + p.exitValue() + " before listening:\n" + g.log());
            }
            if (g.acceptsConnections()) {
                return g;
            }
            if (System.nanoTime() > deadline) {
                g.close();
                throw new AssertionError("gateway child did not listen on " + smtpPort + " within " + timeout
                        + ":\n" + g.log());
            }
            sleep(50);
        }
    }

    /** True if a TCP connection to the SMTP port succeeds and the server speaks first (banner line). */
    boolean acceptsConnections() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            s.setSoTimeout(2000);
            InputStream in = s.getInputStream();
            int c = in.read();
            if (c >= 0) {
                s.getOutputStream().write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
                return true;
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    /** True if a TCP connection to the SMTP port is refused (nothing listening). */
    boolean refusesConnections() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return false;
        } catch (java.net.ConnectException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    Process process() {
        return process;
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL and wait for the process to be gone. */
    void kill() {
        process.destroyForcibly();
        waitFor(Duration.ofSeconds(10));
    }

    /** SIGTERM (what {@code systemctl stop} sends). */
    void terminate() {
        process.destroy();
    }

    /** Waits for exit; returns the exit code, or null if still running after the timeout. */
    Integer waitFor(Duration timeout) {
        try {
            if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return process.exitValue();
            }
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    String log() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            waitFor(Duration.ofSeconds(10));
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
