package org.postern.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A deliberately tiny, blocking, line-based SMTP/LMTP client for tests.
 *
 * <p>It does no pipelining, no SASL and no retries: every call writes one command and reads
 * exactly one (possibly multi-line) reply, so a test sees precisely what the server answered.
 * All I/O errors are rethrown as {@link UncheckedIOException} to keep test code short.
 *
 * <pre>{@code
 * try (var c = TestSmtpClient.connect(port)) {
 *     assertThat(c.greeting().code()).isEqualTo(220);
 *     c.ehlo("client.test").assertCode(250);
 *     c.mailFrom("a@example.org").assertCode(250);
 *     c.rcptTo("b@example.net").assertCode(250);
 *     c.data("Subject: hi\r\n\r\nbody\r\n").assertCode(250);
 *     c.quit();
 * }
 * }</pre>
 *
 * <p>For LMTP use {@link #lhlo(String)} and {@link #lmtpData(String, int)}, which reads one reply
 * per accepted recipient after the final dot.
 */
public final class TestSmtpClient implements Closeable {

    /** Default socket read timeout. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private static final int MAX_LINE = 64 * 1024;

    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private final Reply greeting;
    private final List<String> transcript = new ArrayList<>();

    /** An SMTP reply: the 3-digit code and the text of each line (without code and separator). */
    public record Reply(int code, List<String> lines) {
        public Reply {
            lines = List.copyOf(lines);
        }

        /** All text lines joined by '\n'. */
        public String text() {
            return String.join("\n", lines);
        }

        /** Text of the last line (where e.g. the queue id usually is). */
        public String lastLine() {
            return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        }

        public boolean isPositive() {
            return code >= 200 && code < 400;
        }

        public boolean isTransient() {
            return code >= 400 && code < 500;
        }

        public boolean isPermanent() {
            return code >= 500;
        }

        /** The RFC 3463 enhanced status code at the start of the first line ("2.1.5"), or "". */
        public String enhancedCode() {
            if (lines.isEmpty()) {
                return "";
            }
            String first = lines.get(0);
            int sp = first.indexOf(' ');
            String candidate = sp < 0 ? first : first.substring(0, sp);
            return candidate.matches("[245]\\.\\d{1,3}\\.\\d{1,3}") ? candidate : "";
        }

        /** Throws AssertionError unless the code matches. Returns this for chaining. */
        public Reply assertCode(int expected) {
            if (code != expected) {
                throw new AssertionError("expected SMTP reply " + expected + " but got " + this);
            }
            return this;
        }

        @Override
        public String toString() {
            return code + " " + String.join(" | ", lines);
        }
    }

    private TestSmtpClient(Socket socket) throws IOException {
        this(socket, new byte[0]);
    }

    /** Sends {@code preamble} (a PROXY protocol header, say) before reading the greeting. */
    private TestSmtpClient(Socket socket, byte[] preamble) throws IOException {
        attach(socket);
        if (preamble.length > 0) {
            out.write(preamble);
            out.flush();
        }
        this.greeting = readReply();
    }

    /**
     * Connects from {@code localAddress} (null: any), sends {@code preamble} as a load balancer would send its PROXY
     * protocol header, then reads the greeting.
     */
    public static TestSmtpClient connectThroughProxy(String localAddress, int port, byte[] preamble) {
        Socket s = new Socket();
        try {
            if (localAddress != null) s.bind(new InetSocketAddress(localAddress, 0));
            s.connect(new InetSocketAddress("127.0.0.1", port), (int) DEFAULT_TIMEOUT.toMillis());
            s.setSoTimeout((int) DEFAULT_TIMEOUT.toMillis());
            s.setTcpNoDelay(true);
            return new TestSmtpClient(s, preamble);
        } catch (IOException e) {
            try {
                s.close();
            } catch (IOException ignored) {
                // nothing
            }
            throw new UncheckedIOException("cannot connect to 127.0.0.1:" + port, e);
        }
    }

    private void attach(Socket s) throws IOException {
        this.socket = s;
        this.in = s.getInputStream();
        this.out = s.getOutputStream();
    }

    /** Connects to 127.0.0.1:port and reads the greeting. */
    public static TestSmtpClient connect(int port) {
        return connect("127.0.0.1", port, DEFAULT_TIMEOUT);
    }

    /** Connects and reads the greeting; {@code timeout} applies to connect and every read. */
    public static TestSmtpClient connect(String host, int port, Duration timeout) {
        return connect(null, host, port, timeout);
    }

    /**
     * Connects from a given local address, e.g. "127.0.0.2": on Linux all of 127.0.0.0/8 is the loopback, so a test
     * can play clients with different addresses and networks.
     */
    public static TestSmtpClient connectFrom(String localAddress, int port) {
        return connect(localAddress, "127.0.0.1", port, DEFAULT_TIMEOUT);
    }

    private static TestSmtpClient connect(String localAddress, String host, int port, Duration timeout) {
        Socket s = new Socket();
        try {
            if (localAddress != null) s.bind(new InetSocketAddress(localAddress, 0));
            s.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            s.setSoTimeout((int) timeout.toMillis());
            s.setTcpNoDelay(true);
            return new TestSmtpClient(s);
        } catch (IOException e) {
            try {
                s.close();
            } catch (IOException ignored) {
                // nothing
            }
            throw new UncheckedIOException("cannot connect to " + host + ":" + port, e);
        }
    }

    /** Connects to 127.0.0.1:port with TLS from the first octet (RFC 8314 implicit TLS), trusting any certificate. */
    public static TestSmtpClient connectImplicitTls(int port) {
        try {
            SSLSocket s = (SSLSocket) trustAll().createSocket("127.0.0.1", port);
            s.setSoTimeout((int) DEFAULT_TIMEOUT.toMillis());
            s.startHandshake();
            return new TestSmtpClient(s);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot connect with TLS to port " + port, e);
        }
    }

    /** A TLS socket factory that trusts any server certificate (the gateway's is self-signed in tests). */
    public static SSLSocketFactory trustAll() {
        try {
            javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
            context.init(null, new javax.net.ssl.TrustManager[]{new javax.net.ssl.X509TrustManager() {
                @Override public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) { }
                @Override public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) { }
                @Override public java.security.cert.X509Certificate[] getAcceptedIssuers() { return new java.security.cert.X509Certificate[0]; }
            }}, null);
            return context.getSocketFactory();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** AUTH PLAIN with the initial response (RFC 4616): empty authorization identity, user, password. */
    public Reply authPlain(String user, String password) {
        String token = java.util.Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
        return command("AUTH PLAIN " + token);
    }

    /** The reply read right after connecting (normally 220). */
    public Reply greeting() {
        return greeting;
    }

    /** Everything sent ("C: ...") and received ("S: ...") so far, for failure messages. */
    public List<String> transcript() {
        return List.copyOf(transcript);
    }

    public Socket socket() {
        return socket;
    }

    public void setTimeout(Duration timeout) {
        try {
            socket.setSoTimeout((int) timeout.toMillis());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends one command line (CRLF is appended) and reads one reply. */
    public Reply command(String line) {
        sendLine(line);
        return readReply();
    }

    public Reply ehlo(String name) {
        return command("EHLO " + name);
    }

    public Reply helo(String name) {
        return command("HELO " + name);
    }

    public Reply lhlo(String name) {
        return command("LHLO " + name);
    }

    /** MAIL FROM:&lt;addr&gt; followed by optional parameters (e.g. "SIZE=100", "BODY=8BITMIME"). */
    public Reply mailFrom(String address, String... params) {
        return command("MAIL FROM:<" + address + ">" + joinParams(params));
    }

    public Reply rcptTo(String address, String... params) {
        return command("RCPT TO:<" + address + ">" + joinParams(params));
    }

    public Reply rset() {
        return command("RSET");
    }

    public Reply noop() {
        return command("NOOP");
    }

    /** Sends QUIT and reads the reply; returns null if the server had already closed. */
    public Reply quit() {
        try {
            return command("QUIT");
        } catch (UncheckedIOException e) {
            return null;
        }
    }

    /**
     * SMTP DATA: sends DATA; if the reply is 354 sends the (dot-stuffed) message and returns the
     * reply to the final dot, otherwise returns the reply to DATA itself.
     */
    public Reply data(String message) {
        Reply r = command("DATA");
        if (r.code() != 354) {
            return r;
        }
        sendMessageBody(message.getBytes(StandardCharsets.UTF_8));
        return readReply();
    }

    /**
     * LMTP DATA: like {@link #data(String)} but reads {@code acceptedRecipients} replies after
     * the final dot (one per recipient that got a 2xx to RCPT, in RCPT order). If DATA itself is
     * refused the list holds only that reply.
     */
    public List<Reply> lmtpData(String message, int acceptedRecipients) {
        Reply r = command("DATA");
        if (r.code() != 354) {
            return List.of(r);
        }
        sendMessageBody(message.getBytes(StandardCharsets.UTF_8));
        List<Reply> replies = new ArrayList<>();
        for (int i = 0; i < acceptedRecipients; i++) {
            replies.add(readReply());
        }
        return replies;
    }

    /**
     * Convenience: MAIL, RCPT for each recipient, DATA. Stops and returns the first non-2xx/3xx
     * reply of MAIL or DATA; recipients that are refused are skipped (if all are refused the
     * last RCPT reply is returned). Returns the final reply otherwise.
     */
    public Reply send(String from, List<String> recipients, String message) {
        Reply r = mailFrom(from);
        if (!r.isPositive()) {
            return r;
        }
        Reply lastRcpt = null;
        int accepted = 0;
        for (String rcpt : recipients) {
            lastRcpt = rcptTo(rcpt);
            if (lastRcpt.isPositive()) {
                accepted++;
            }
        }
        if (accepted == 0) {
            rset();
            return Objects.requireNonNull(lastRcpt, "no recipients");
        }
        return data(message);
    }

    /**
     * Upgrades the connection after a successful STARTTLS reply, using the given factory
     * (e.g. from an SSLContext that trusts the test certificate). Does not re-send EHLO.
     */
    public Reply startTls(SSLSocketFactory factory) {
        Reply r = command("STARTTLS");
        if (r.code() != 220) {
            return r;
        }
        try {
            String host = socket.getInetAddress().getHostAddress();
            SSLSocket tls = (SSLSocket) factory.createSocket(socket, host, socket.getPort(), true);
            tls.setUseClientMode(true);
            tls.startHandshake();
            attach(tls);
        } catch (IOException e) {
            throw new UncheckedIOException("TLS handshake failed", e);
        }
        return r;
    }

    /** Writes a line plus CRLF without reading anything. */
    public void sendLine(String line) {
        transcript.add("C: " + line);
        writeRaw((line + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Writes raw bytes, exactly as given (no CRLF, no dot-stuffing). */
    public void writeRaw(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("write failed", e);
        }
    }

    /**
     * Writes a message body after a 354: bare LF and bare CR become CRLF, lines starting with '.'
     * are dot-stuffed, a final CRLF is added if missing, then ".\r\n" is sent.
     */
    public void sendMessageBody(byte[] message) {
        writeRaw(dotStuff(message));
        transcript.add("C: <message " + message.length + " bytes>");
    }

    /** The wire form of a message body including the terminating ".\r\n". */
    public static byte[] dotStuff(byte[] message) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(message.length + 64);
        boolean lineStart = true;
        for (int i = 0; i < message.length; i++) {
            byte c = message[i];
            if (c == '\r' || c == '\n') {
                if (c == '\r' && i + 1 < message.length && message[i + 1] == '\n') {
                    i++;
                }
                b.write('\r');
                b.write('\n');
                lineStart = true;
                continue;
            }
            if (lineStart && c == '.') {
                b.write('.');
            }
            b.write(c);
            lineStart = false;
        }
        if (!lineStart) {
            b.write('\r');
            b.write('\n');
        }
        b.write('.');
        b.write('\r');
        b.write('\n');
        return b.toByteArray();
    }

    /** Reads one complete (possibly multi-line) reply. */
    public Reply readReply() {
        List<String> lines = new ArrayList<>();
        int code = -1;
        while (true) {
            String line = readLine();
            transcript.add("S: " + line);
            if (line.length() < 3 || !isDigits(line.substring(0, 3))) {
                throw new IllegalStateException("malformed SMTP reply line: '" + line + "'");
            }
            int lineCode = Integer.parseInt(line.substring(0, 3));
            if (code == -1) {
                code = lineCode;
            }
            boolean more = line.length() > 3 && line.charAt(3) == '-';
            lines.add(line.length() > 4 ? line.substring(4) : "");
            if (!more) {
                return new Reply(code, lines);
            }
        }
    }

    /** Reads one line (without CRLF); throws UncheckedIOException(EOFException) on close. */
    public String readLine() {
        ByteArrayOutputStream b = new ByteArrayOutputStream(128);
        try {
            while (true) {
                int c = in.read();
                if (c < 0) {
                    throw new EOFException("connection closed by server"
                            + (b.size() > 0 ? " after partial line '" + b + "'" : ""));
                }
                if (c == '\n') {
                    byte[] bytes = b.toByteArray();
                    int len = bytes.length;
                    if (len > 0 && bytes[len - 1] == '\r') {
                        len--;
                    }
                    return new String(bytes, 0, len, StandardCharsets.UTF_8);
                }
                if (b.size() >= MAX_LINE) {
                    throw new IOException("reply line longer than " + MAX_LINE + " bytes");
                }
                b.write(c);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True if the server has closed the connection (reads with a short timeout). */
    public boolean isClosedByServer(Duration wait) {
        try {
            int old = socket.getSoTimeout();
            socket.setSoTimeout((int) Math.max(1, wait.toMillis()));
            try {
                return in.read() < 0;
            } finally {
                socket.setSoTimeout(old);
            }
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    private static boolean isDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static String joinParams(String... params) {
        StringBuilder sb = new StringBuilder();
        for (String p : params) {
            sb.append(' ').append(p);
        }
        return sb.toString();
    }
}
