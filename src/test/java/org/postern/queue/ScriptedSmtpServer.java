package org.postern.queue;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A small SMTP server whose behaviour a test sets, for what real servers here cannot be made to do on cue:
 * offer STARTTLS (with a self-signed certificate) or SIZE, break the TLS handshake, refuse EHLO, stop reading.
 * It records every command line (prefixed "TLS " once encrypted) and each message's raw DATA (still dot-stuffed).
 */
final class ScriptedSmtpServer implements AutoCloseable {

    volatile String greeting = "220 scripted.test ESMTP";
    volatile List<String> extensions = List.of("PIPELINING", "8BITMIME");
    volatile boolean offerTls;
    volatile boolean breakTls;          // garbage instead of a TLS handshake, once the client has started its own
    volatile boolean injectAfterStartTls; // a plain-text reply smuggled in the same segment as the 220
    volatile String ehloReply;          // null: a normal 250 with the extensions
    volatile boolean stopReadingAtData;
    volatile boolean hangUpAfterMessage; // close the connection, without a word, after answering a message's DATA

    final List<String> transcript = new CopyOnWriteArrayList<>();
    final List<String> messages = new CopyOnWriteArrayList<>();
    private final ServerSocket server;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    volatile SSLContext tls = selfSigned();   // a test may set one whose certificate names a host

    ScriptedSmtpServer() throws IOException {
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread.ofVirtual().start(this::acceptLoop);
    }

    String smtpUrl() {
        return "smtp://127.0.0.1:" + server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                open.add(s);
                Thread.ofVirtual().start(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try {
            Socket s = socket;
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            boolean encrypted = false;
            reply(out, greeting);
            String line;
            while ((line = readLine(in)) != null) {
                transcript.add((encrypted ? "TLS " : "") + line);
                String verb = line.split(" ", 2)[0].toUpperCase(Locale.ROOT);
                switch (verb) {
                    case "EHLO" -> reply(out, ehloReply != null ? ehloReply : ehlo(encrypted));
                    case "HELO" -> reply(out, "250 scripted.test");
                    case "STARTTLS" -> {
                        if (injectAfterStartTls) {
                            reply(out, "220 2.0.0 Ready to start TLS\r\n250 2.0.0 injected");
                            Thread.sleep(60_000);
                            return;
                        }
                        reply(out, "220 2.0.0 Ready to start TLS");
                        if (breakTls) {
                            Thread.sleep(200);
                            out.write("this is not a TLS server hello\r\n".getBytes(StandardCharsets.US_ASCII));
                            out.flush();
                            s.close();
                            return;
                        }
                        SSLSocket t = (SSLSocket) tls.getSocketFactory().createSocket(s, null, s.getPort(), true);
                        t.setUseClientMode(false);
                        t.startHandshake();
                        s = t;
                        open.add(t);
                        in = new BufferedInputStream(t.getInputStream());
                        out = t.getOutputStream();
                        encrypted = true;
                    }
                    case "DATA" -> {
                        reply(out, "354 End data with <CR><LF>.<CR><LF>");
                        if (stopReadingAtData) {
                            Thread.sleep(60_000);
                            return;
                        }
                        messages.add(readData(in));
                        reply(out, "250 2.0.0 Ok: queued as SCRIPTED");
                        if (hangUpAfterMessage) {
                            s.close();
                            return;
                        }
                    }
                    case "QUIT" -> {
                        reply(out, "221 2.0.0 Bye");
                        s.close();
                        return;
                    }
                    default -> reply(out, "250 2.0.0 Ok");
                }
            }
        } catch (IOException | InterruptedException e) {
            // the client went away, or the test ended
        }
    }

    private String ehlo(boolean encrypted) {
        StringBuilder sb = new StringBuilder("250-scripted.test\r\n");
        for (String e : extensions) sb.append("250-").append(e).append("\r\n");
        if (offerTls && !encrypted) sb.append("250-STARTTLS\r\n");
        return sb.append("250 ENHANCEDSTATUSCODES").toString();
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) return null;
            buf.write(b);
        }
        String s = buf.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    /** Everything up to (not including) the CRLF.CRLF terminator, as sent. */
    private static String readData(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        String line;
        while ((line = readLine(in)) != null && !line.equals(".")) sb.append(line).append("\r\n");
        return sb.toString();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    private static SSLContext selfSigned() {
        try {
            KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC");
            kpg.initialize(256);
            KeyPair kp = kpg.generateKeyPair();
            X500Name name = new X500Name("CN=scripted.test");
            Instant now = Instant.now();
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                    new JcaX509v3CertificateBuilder(name, BigInteger.ONE, Date.from(now.minus(1, ChronoUnit.DAYS)),
                            Date.from(now.plus(1, ChronoUnit.DAYS)), name, kp.getPublic())
                            .build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())));
            char[] pw = "x".toCharArray();
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("key", kp.getPrivate(), pw, new Certificate[] {cert});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, pw);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException("cannot make a test certificate", e);
        }
    }
}
