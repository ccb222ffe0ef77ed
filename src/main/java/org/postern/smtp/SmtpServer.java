package org.postern.smtp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SMTP listener: accepts on a platform thread and runs each connection on its own virtual thread with plain
 * blocking I/O. An idle session costs a parked virtual thread and about 10 KiB of buffers, so thousands of idle
 * connections are cheap.
 *
 * <p>{@link #close()} drains: it stops accepting, tells idle sessions 421 at once, lets busy ones finish their
 * transaction within the grace period, then closes what is left.</p>
 *
 * <pre>{@code
 * ServerTls tls = TlsContextFactory.create(TlsSettings.selfSigned(), "mx1.example");
 * SmtpServer server = new SmtpServer(new InetSocketAddress("127.0.0.1", 2525), "smtp",
 *         SmtpSettings.defaults("mx1.example"), handlers, () -> Optional.of(tls));
 * server.start();
 * int port = server.port();
 * ...
 * server.close();
 * }</pre>
 */
public final class SmtpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SmtpServer.class);
    private static final int BACKLOG = 1024;
    private static final Duration WATCHDOG_PERIOD = Duration.ofSeconds(1);
    private static final Duration EXIT_WAIT = Duration.ofSeconds(2);

    private final InetSocketAddress bindAddress;
    private final String listener;
    private final SmtpSettings settings;
    private final SessionHandlerFactory handlers;
    private final Supplier<Optional<ServerTls>> tls;
    private final boolean implicitTls;
    private final Set<SmtpSession> sessions = ConcurrentHashMap.newKeySet();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile Optional<ProxySettings> proxy = Optional.empty();
    private ServerSocket serverSocket;
    private Thread acceptor;
    private ScheduledExecutorService watchdog;

    /**
     * @param listener name of the listener ("smtp", "submission"), passed on in {@link ConnectionInfo}
     * @param tls      the TLS to offer with STARTTLS, asked at each EHLO and STARTTLS so certificates can be
     *                 reloaded; empty: no STARTTLS
     */
    public SmtpServer(InetSocketAddress bindAddress, String listener, SmtpSettings settings,
                      SessionHandlerFactory handlers, Supplier<Optional<ServerTls>> tls) {
        this(bindAddress, listener, settings, handlers, tls, false);
    }

    /**
     * @param implicitTls the TLS handshake comes first, before the greeting (RFC 8314 §3.3, port 465 style);
     *                    {@code tls} must then supply a context
     */
    public SmtpServer(InetSocketAddress bindAddress, String listener, SmtpSettings settings,
                      SessionHandlerFactory handlers, Supplier<Optional<ServerTls>> tls, boolean implicitTls) {
        this.implicitTls = implicitTls;
        this.bindAddress = Objects.requireNonNull(bindAddress, "bindAddress");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.handlers = Objects.requireNonNull(handlers, "handlers");
        this.tls = Objects.requireNonNull(tls, "tls");
    }

    /** A listener without STARTTLS. */
    public SmtpServer(InetSocketAddress bindAddress, String listener, SmtpSettings settings,
                      SessionHandlerFactory handlers) {
        this(bindAddress, listener, settings, handlers, Optional::empty);
    }

    /**
     * PROXY protocol on this listener: every connection must start with a v1 or v2 header from a peer that
     * {@code trusted} accepts, received in full within {@code timeout}; the client it names is the session's client.
     *
     * @param trusted the load balancers allowed to speak for clients
     */
    public record ProxySettings(java.util.function.Predicate<java.net.InetAddress> trusted, Duration timeout) {
        public ProxySettings {
            Objects.requireNonNull(trusted, "trusted");
            if (timeout.toMillis() < 1) throw new IllegalArgumentException("timeout must be at least 1 ms");
        }
    }

    /** Takes the PROXY protocol (call before {@link #start()}). */
    public SmtpServer withProxyProtocol(ProxySettings settings) {
        this.proxy = Optional.of(settings);
        return this;
    }

    /** Binds and starts accepting. */
    public synchronized void start() throws IOException {
        if (serverSocket != null) throw new IllegalStateException("already started");
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(bindAddress, BACKLOG);
        serverSocket = socket;
        watchdog = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name(listener + "-watchdog").daemon().factory());
        watchdog.scheduleAtFixedRate(this::closeStalledWrites, WATCHDOG_PERIOD.toMillis(),
                WATCHDOG_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
        acceptor = Thread.ofPlatform().name(listener + "-accept").daemon().start(this::acceptLoop);
        LOG.info("SMTP listener {} on {}:{}", listener, socket.getInetAddress().getHostAddress(), socket.getLocalPort());
    }

    /** The port actually bound (useful when started on port 0). */
    public int port() {
        ServerSocket socket = serverSocket;
        if (socket == null) throw new IllegalStateException("not started");
        return socket.getLocalPort();
    }

    /** The listener's name ("smtp", "submission", "submissions"). */
    public String listener() {
        return listener;
    }

    /** Connections open right now (for metrics). */
    public int openConnections() {
        return open.get();
    }

    /** Connections accepted since start (for metrics). */
    public long acceptedConnections() {
        return accepted.get();
    }

    private void acceptLoop() {
        while (!closing.get()) {
            Socket socket;
            try {
                socket = serverSocket.accept();
            } catch (IOException e) {
                if (closing.get()) return;
                // E.g. out of file descriptors: say so and back off instead of spinning.
                LOG.warn("SMTP listener {}: accept failed: {}", listener, e.toString());
                pause();
                continue;
            }
            open.incrementAndGet();
            accepted.incrementAndGet();
            Thread.ofVirtual().name(listener + "-session").start(() -> serve(socket));
        }
    }

    private void serve(Socket socket) {
        SmtpSession session = null;
        try {
            ConnectionInfo info = new ConnectionInfo(newSessionId(), socket.getInetAddress(), socket.getPort(),
                    socket.getLocalAddress(), socket.getLocalPort(), listener);
            SessionHandler handler = handlers.newSession();
            if (proxy.isPresent()) {
                Optional<ConnectionInfo> client = behindProxy(proxy.get(), socket, info, handler);
                if (client.isEmpty()) return;
                info = client.get();
            }
            SmtpConnection connection = new SmtpConnection(socket);
            session = new SmtpSession(settings, handler, info, connection, tls, implicitTls);
            sessions.add(session);
            if (closing.get()) session.requestShutdown();
            session.run();
        } catch (IOException | RuntimeException e) {
            LOG.warn("SMTP listener {}: cannot start a session: {}", listener, e.toString());
            closeQuietly(socket);
        } finally {
            if (session != null) sessions.remove(session);
            open.decrementAndGet();
        }
    }

    /**
     * The client a trusted proxy names, or empty when the connection was refused (a 554 sent, the socket closed): from
     * a peer that is not trusted nothing is read at all; from a trusted one the header must be complete and valid.
     */
    private Optional<ConnectionInfo> behindProxy(ProxySettings p, Socket socket, ConnectionInfo peer, SessionHandler handler) throws IOException {
        String why;
        if (!p.trusted().test(socket.getInetAddress())) {
            why = "connection from " + socket.getInetAddress().getHostAddress() + ", which is not a trusted proxy";
        } else {
            try {
                return Optional.of(switch (ProxyProtocol.read(socket, p.timeout())) {
                    case ProxyHeader.Proxied h -> new ConnectionInfo(peer.sessionId(), h.source().getAddress(), h.source().getPort(),
                            h.destination().getAddress(), h.destination().getPort(), listener);
                    case ProxyHeader.Local l -> peer; // the balancer's own health check
                });
            } catch (ProxyProtocolException e) {
                if (e.isClosedBeforeHeader()) {
                    // A TCP health check (connect, close): nobody to answer, nothing worth a trace record.
                    closeQuietly(socket);
                    return Optional.empty();
                }
                why = e.getMessage();
            } catch (IOException e) { // reset by the peer: as above, nobody left to answer
                LOG.debug("SMTP listener {}: connection from {} ended before its PROXY header: {}", listener,
                        socket.getInetAddress().getHostAddress(), e.toString());
                closeQuietly(socket);
                return Optional.empty();
            }
        }
        LOG.debug("SMTP listener {}: PROXY protocol refused: {}", listener, why);
        try {
            Reply reply = handler.proxyRefused(peer, why);
            SmtpConnection connection = new SmtpConnection(socket);
            connection.writer().send(reply);
            connection.writer().flush();
        } finally {
            closeQuietly(socket);
            handler.closed("proxy-protocol");
        }
        return Optional.empty();
    }

    private void closeStalledWrites() {
        long now = System.nanoTime();
        for (SmtpSession session : sessions) session.closeIfWriteStalled(now);
    }

    /** Drains with the configured {@link SmtpSettings#shutdownGrace()}. */
    @Override
    public void close() {
        close(settings.shutdownGrace());
    }

    /** Stops accepting, lets sessions finish for up to {@code grace}, then closes the rest. */
    public void close(Duration grace) {
        if (!closing.compareAndSet(false, true)) return;
        synchronized (this) {
            if (serverSocket == null) return;
            closeQuietly(serverSocket);
        }
        join(acceptor);
        // On virtual threads: telling an idle session 421 is a socket write, and one client that stopped reading
        // must not hold up the shutdown of all the others.
        sessions.forEach(session -> Thread.ofVirtual().start(session::requestShutdown));
        boolean drained = awaitNoSessions(grace);
        if (!drained) {
            LOG.info("SMTP listener {}: closing {} sessions still busy after {} s", listener, sessions.size(),
                    grace.toSeconds());
            sessions.forEach(SmtpSession::forceClose);
            awaitNoSessions(EXIT_WAIT);
        }
        watchdog.shutdownNow();
        LOG.info("SMTP listener {} closed", listener);
    }

    private boolean awaitNoSessions(Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        while (open.get() > 0 && System.nanoTime() < deadline) pause(20);
        return open.get() == 0;
    }

    private static String newSessionId() {
        return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    }

    private static void join(Thread thread) {
        try {
            thread.join(EXIT_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void pause() {
        pause(100);
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
