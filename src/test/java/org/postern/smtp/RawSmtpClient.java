package org.postern.smtp;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * A raw SMTP client for protocol tests: it writes exactly the octets it is given (pipelined batches, bare LFs,
 * NULs, garbage) and reads replies one at a time, so a test sees what the server sent and in which order.
 */
final class RawSmtpClient implements AutoCloseable {

    /** One reply: code and the text of each line after "ddd-" / "ddd ". */
    record Reply(int code, List<String> lines) {
        String text() { return String.join("\n", lines); }
        String last() { return lines.get(lines.size() - 1); }

        @Override public String toString() { return code + " " + String.join(" | ", lines); }
    }

    private Socket socket;
    private InputStream in;
    private OutputStream out;

    private RawSmtpClient(Socket socket) throws IOException {
        attach(socket);
    }

    static RawSmtpClient connect(int port) {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(10_000);
            return new RawSmtpClient(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void attach(Socket s) throws IOException {
        socket = s;
        in = new BufferedInputStream(s.getInputStream());
        out = s.getOutputStream();
    }

    void readTimeout(Duration d) {
        try {
            socket.setSoTimeout((int) d.toMillis());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends text as given (ISO-8859-1, so every char is one octet). */
    RawSmtpClient send(String text) {
        return sendBytes(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    RawSmtpClient sendUtf8(String text) {
        return sendBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    RawSmtpClient sendBytes(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One command line (CRLF added) and its reply. */
    Reply command(String line) {
        send(line + "\r\n");
        return reply();
    }

    Reply reply() {
        try {
            List<String> lines = new ArrayList<>();
            while (true) {
                String line = readLine();
                if (line.length() < 4 || !Character.isDigit(line.charAt(0))) {
                    throw new IOException("not a reply line: " + line);
                }
                lines.add(line.substring(4));
                if (line.charAt(3) == ' ') return new Reply(Integer.parseInt(line.substring(0, 3)), lines);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<Reply> replies(int count) {
        List<Reply> replies = new ArrayList<>();
        for (int i = 0; i < count; i++) replies.add(reply());
        return replies;
    }

    /** True when the server closed the connection within the timeout (anything still sent is read and dropped). */
    boolean closedByServer(Duration within) {
        readTimeout(within);
        try {
            while (in.read() >= 0) {
                // drop
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset counts as closed
        }
    }

    /** True when nothing arrives within {@code wait} (the connection stays open and silent). */
    boolean silentFor(Duration wait) {
        readTimeout(wait);
        try {
            int b = in.read();
            return false; // something arrived, or EOF
        } catch (SocketTimeoutException e) {
            return true;
        } catch (IOException e) {
            return false;
        } finally {
            readTimeout(Duration.ofSeconds(10));
        }
    }

    /** Client side of STARTTLS, after the server's 220. */
    SSLSession startTls(SSLContext context) {
        try {
            SSLSocket tls = (SSLSocket) context.getSocketFactory()
                    .createSocket(socket, "127.0.0.1", socket.getPort(), true);
            tls.setUseClientMode(true);
            tls.startHandshake();
            attach(tls);
            return tls.getSession();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, len, StandardCharsets.UTF_8);
            }
            line.write(b);
        }
        throw new EOFException("server closed the connection; partial line: " + line);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // test cleanup
        }
    }
}
