package org.postern.smtp;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import javax.net.ssl.SSLSocket;

/**
 * One client's socket with the session's input buffer and reply writer on top, plain at first and TLS after
 * STARTTLS. Blocking I/O on a virtual thread: the simple code is also the scalable one.
 */
final class SmtpConnection {

    private volatile Socket socket;
    private SmtpInput input;
    private final ReplyWriter writer;
    private boolean tls;

    SmtpConnection(Socket socket) throws IOException {
        this.socket = socket;
        socket.setTcpNoDelay(true); // replies are small and already batched by ReplyWriter
        this.writer = new ReplyWriter(socket.getOutputStream());
        this.input = new SmtpInput(socket.getInputStream(), this::flushQuietly);
    }

    SmtpInput input() { return input; }
    ReplyWriter writer() { return writer; }
    boolean tlsActive() { return tls; }

    /** SO_TIMEOUT for the reads of the phase the session is in. */
    void readTimeout(Duration timeout) throws SocketException {
        socket.setSoTimeout((int) timeout.toMillis());
    }

    /**
     * Listens for {@code pause} before our banner: how many octets the client sent meanwhile (0 when it waited, as it
     * must). What it sent stays buffered; the session refuses it anyway.
     */
    int octetsBeforeGreeting(Duration pause) throws IOException {
        readTimeout(pause);
        try {
            int n = input.awaitAny();
            if (n < 0) throw new java.io.EOFException("connection closed by client before the greeting");
            return n;
        } catch (java.net.SocketTimeoutException quiet) {
            return 0;
        }
    }

    /**
     * Switches to TLS after our 220 was sent. Whatever the client pipelined after STARTTLS is thrown away first:
     * those octets arrived in plaintext and must never be taken as commands of the protected session
     * (RFC 3207 §5, CVE-2011-0411).
     *
     * @return the number of plaintext octets discarded
     */
    int startTls(ServerTls serverTls, Duration handshakeTimeout) throws IOException {
        int discarded = input.discardBuffered();
        SSLSocket tlsSocket = serverTls.handshake(socket, handshakeTimeout);
        socket = tlsSocket;
        input = new SmtpInput(tlsSocket.getInputStream(), this::flushQuietly);
        writer.switchTo(tlsSocket.getOutputStream());
        tls = true;
        return discarded;
    }

    SSLSocket tlsSocket() {
        return (SSLSocket) socket;
    }

    /**
     * Flushes before a blocking read. A failure is not reported here: the read that follows fails on the same
     * broken connection and the session handles it there.
     */
    private void flushQuietly() {
        try {
            writer.flush();
        } catch (IOException e) {
            closeQuietly();
        }
    }

    /**
     * Half-closes (plain connections) and reads and drops whatever still arrives, for at most {@code max} and
     * 64 KiB, so closing does not reset the connection under our last reply. TLS connections skip the half-close:
     * its close_notify would end the TLS session before the client read our reply.
     */
    void lingerAndDrain(Duration max) throws IOException {
        Socket s = socket;
        if (s.isClosed()) return;
        if (!tls) s.shutdownOutput();
        s.setSoTimeout((int) Math.max(1, max.toMillis()));
        java.io.InputStream in = s.getInputStream();
        byte[] dropped = new byte[1024];
        long deadline = System.nanoTime() + max.toNanos();
        int total = 0;
        while (System.nanoTime() < deadline && total < 65536) {
            int n = in.read(dropped);
            if (n < 0) return;
            total += n;
        }
    }

    /** Closes the socket; safe from any thread, and a blocked read or write then fails at once. */
    void closeQuietly() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing: nothing left to do
        }
    }
}
