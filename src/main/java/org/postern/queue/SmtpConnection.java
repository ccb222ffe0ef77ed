package org.postern.queue;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * One blocking client connection to an SMTP or LMTP server: commands out, replies in, optional STARTTLS.
 * Reads time out after {@code readTimeout} (SO_TIMEOUT); a write that makes no progress for as long — a server
 * that stopped reading while we send the message — is ended by a watchdog closing the socket.
 */
final class SmtpConnection implements Closeable {

    private static final int MAX_LINE = 16 * 1024;   // RFC 5321 §4.5.3.1.5 allows 512; be lenient, not unbounded

    private final Duration readTimeout;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private volatile long writingSince;   // System.nanoTime() when the current socket write began, 0 when idle
    private volatile boolean stalled;
    private final Thread watchdog;

    private SmtpConnection(Socket socket, Duration readTimeout) throws IOException {
        this.readTimeout = readTimeout;
        attach(socket);
        this.watchdog = Thread.ofVirtual().name("smtp-write-watchdog").start(this::watch);
    }

    static SmtpConnection open(String host, int port, Duration connectTimeout, Duration readTimeout) throws IOException {
        return open(host, port, java.util.Optional.empty(), connectTimeout, readTimeout);
    }

    /** As above, from {@code source} when given (a delivery pool's own address). */
    static SmtpConnection open(String host, int port, java.util.Optional<java.net.InetAddress> source,
                               Duration connectTimeout, Duration readTimeout) throws IOException {
        Socket s = new Socket();
        try {
            if (source.isPresent()) s.bind(new InetSocketAddress(source.get(), 0));
            s.connect(new InetSocketAddress(host, port), (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
            s.setSoTimeout((int) Math.min(Integer.MAX_VALUE, readTimeout.toMillis()));
            s.setTcpNoDelay(true);
            return new SmtpConnection(s, readTimeout);
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    private void attach(Socket s) throws IOException {
        socket = s;
        in = new BufferedInputStream(s.getInputStream(), 8192);
        out = new BufferedOutputStream(new WatchedStream(s.getOutputStream()), 16 * 1024);
    }

    /** Buffers one command line; {@link #flush()} sends what is buffered (several commands when pipelining). */
    void send(String command) throws IOException {
        out.write(command.getBytes(StandardCharsets.UTF_8));
        out.write('\r');
        out.write('\n');
    }

    void flush() throws IOException {
        out.flush();
    }

    /** The raw stream for the message content; the caller dot-stuffs. */
    OutputStream data() {
        return out;
    }

    SmtpReply read() throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = readLine();
            if (line.length() < 3 || !Character.isDigit(line.charAt(0)) || !Character.isDigit(line.charAt(1))
                    || !Character.isDigit(line.charAt(2)) || (line.length() > 3 && line.charAt(3) != ' ' && line.charAt(3) != '-')) {
                throw new ProtocolException("malformed reply line: " + abbreviate(line));
            }
            lines.add(line.length() > 4 ? line.substring(4) : "");
            if (line.length() == 3 || line.charAt(3) == ' ') return new SmtpReply(Integer.parseInt(line.substring(0, 3)), lines);
        }
    }

    /**
     * Switches to TLS after the server's 220 to STARTTLS. Opportunistic, as RFC 3207 §4.1 permits for relaying:
     * any certificate is accepted, because an unauthenticated channel still beats plain text against passive
     * eavesdroppers. Authenticated TLS (MTA-STS, DANE, a tenant's pinned name) comes with outbound delivery.
     */
    void startTls(String host) throws IOException {
        startTls(host, TRUST_ALL, false);
    }

    /**
     * STARTTLS with {@code context}'s trust; with {@code verifyName} the certificate must also name {@code host}
     * (RFC 6125, as HTTPS checks it) — what MTA-STS (RFC 8461 §4.2) and REQUIRETLS ask for.
     */
    void startTls(String host, SSLContext context, boolean verifyName) throws IOException {
        if (in.available() > 0) {
            // Bytes the server sent before the handshake would be trusted as if they came over TLS (CVE-2011-0411).
            throw new ProtocolException("server sent data after its STARTTLS reply, before the TLS handshake");
        }
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(socket, host, socket.getPort(), true);
        tls.setUseClientMode(true);
        SSLParameters params = tls.getSSLParameters();
        if (!host.contains(":") && !host.matches("[0-9.]+")) params.setServerNames(List.of(new SNIHostName(host)));
        if (verifyName) params.setEndpointIdentificationAlgorithm("HTTPS");
        tls.setSSLParameters(params);
        tls.setSoTimeout((int) Math.min(Integer.MAX_VALUE, readTimeout.toMillis()));
        tls.startHandshake();
        attach(tls);
    }

    /** Changes how long a read waits (SO_TIMEOUT); for a short QUIT on a connection that is being given up. */
    void setReadTimeout(Duration timeout) throws IOException {
        socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
    }

    boolean stalled() {
        return stalled;
    }

    @Override
    public void close() {
        watchdog.interrupt();
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(128);
        int b;
        while ((b = in.read()) != '\n') {
            if (b == -1) throw new EOFException("connection closed by the server");
            if (buf.size() >= MAX_LINE) throw new ProtocolException("reply line longer than " + MAX_LINE + " bytes");
            buf.write(b);
        }
        String line = buf.toString(StandardCharsets.UTF_8);
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }

    private void watch() {
        long limit = readTimeout.toNanos();
        long tick = Math.max(10, Math.min(1000, readTimeout.toMillis() / 4));
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(tick);
                long since = writingSince;
                if (since != 0 && System.nanoTime() - since > limit) {
                    stalled = true;
                    socket.close();
                    return;
                }
            }
        } catch (InterruptedException | IOException e) {
            // closed by the session, or closing failed: either way the watch is over
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 100 ? s.substring(0, 100) + "..." : s;
    }

    /** Marks when a socket write starts and ends, for the watchdog. */
    private final class WatchedStream extends FilterOutputStream {
        WatchedStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            writingSince = System.nanoTime();
            try {
                out.write(b, off, len);
            } finally {
                writingSince = 0;
            }
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }
    }

    private static final SSLContext TRUST_ALL = trustAll();

    private static SSLContext trustAll() {
        X509TrustManager anything = new X509TrustManager() {
            @Override public void checkClientTrusted(X509Certificate[] chain, String authType) { }
            @Override public void checkServerTrusted(X509Certificate[] chain, String authType) { }
            @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
        };
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {anything}, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS in this JVM", e);
        }
    }
}
