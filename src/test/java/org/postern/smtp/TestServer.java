package org.postern.smtp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** A real SmtpServer on 127.0.0.1 and an ephemeral port, with a RecordingHandler per connection. */
final class TestServer implements AutoCloseable {

    static final String HOSTNAME = "mx.test";

    final SmtpServer server;
    final List<RecordingHandler> handlers = new CopyOnWriteArrayList<>();

    private TestServer(SmtpSettings settings, Optional<ServerTls> tls, Consumer<RecordingHandler> setup) {
        server = new SmtpServer(new InetSocketAddress("127.0.0.1", 0), "smtp", settings, () -> {
            RecordingHandler h = new RecordingHandler();
            setup.accept(h);
            handlers.add(h);
            return h;
        }, () -> tls);
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Test defaults: short timeouts so a broken test fails fast instead of waiting minutes. */
    static SmtpSettings.Builder settings() {
        return SmtpSettings.builder(HOSTNAME).allReadTimeouts(Duration.ofSeconds(10))
                .shutdownGrace(Duration.ofSeconds(1));
    }

    static TestServer start() {
        return start(settings().build());
    }

    static TestServer start(SmtpSettings settings) {
        return new TestServer(settings, Optional.empty(), h -> { });
    }

    static TestServer start(SmtpSettings settings, Consumer<RecordingHandler> setup) {
        return new TestServer(settings, Optional.empty(), setup);
    }

    static TestServer startWithTls(ServerTls tls) {
        return new TestServer(settings().build(), Optional.of(tls), h -> { });
    }

    static TestServer startWithTls(ServerTls tls, Consumer<RecordingHandler> setup) {
        return new TestServer(settings().build(), Optional.of(tls), setup);
    }

    RawSmtpClient connect() {
        return RawSmtpClient.connect(server.port());
    }

    /** Connects, reads the greeting and says EHLO. */
    RawSmtpClient connectAndEhlo() {
        RawSmtpClient client = connect();
        client.reply();
        RawSmtpClient.Reply ehlo = client.command("EHLO client.test");
        if (ehlo.code() != 250) throw new AssertionError("EHLO refused: " + ehlo);
        return client;
    }

    /** The handler of the n-th connection (0-based), waiting briefly for it to exist. */
    RecordingHandler handler(int n) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (handlers.size() <= n) {
            if (System.nanoTime() > deadline) throw new AssertionError("no handler #" + n);
            Thread.onSpinWait();
        }
        return handlers.get(n);
    }

    @Override
    public void close() {
        server.close(Duration.ofMillis(500));
    }
}
