package org.postern.smtp;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Arbitrary bytes as a whole client conversation, into a real {@link SmtpSession} (the class {@link SmtpServer} runs
 * per connection) over an in-memory socket, and every line of it into {@link CommandParser}. Properties:
 * <ul>
 *   <li>the parser throws nothing but {@link SmtpSyntaxException}, always with a 5xx reply;</li>
 *   <li>no exception escapes into the session's error handling (nothing logged with a stack trace, no
 *       "internal error" reply);</li>
 *   <li>everything the server writes is well-formed SMTP replies (RFC 5321 §4.2): CRLF-terminated lines of a 2xx-5xx
 *       code, '-' or ' ', printable ASCII text; a multi-line reply keeps its code; an enhanced code has the reply's
 *       class (RFC 3463); every 4xx/5xx ends with {@code [ref=...]} (INTERFACES §5);</li>
 *   <li>every message sink opened hears exactly one of complete or abort, and complete reports the octets it got.</li>
 * </ul>
 * The first octet chooses the server's set-up (STARTTLS offered, handler refusing some recipients or DATA, a 554
 * greeting, a small size limit); the rest is what the client sends.
 *
 * <p>In the normal test run ({@code ./mvnw -B verify}) only the empty input and the seeds under
 * {@code src/test/resources/org/postern/smtp/SmtpParserFuzzTestInputs/conversation/} run. A fuzzing session:</p>
 * <pre>
 * JAZZER_FUZZ=1 ./mvnw test -Dtest='SmtpParserFuzzTest#conversation' -Djazzer.max_duration=10m
 * </pre>
 * Findings are written next to the seeds (as {@code crash-*}) so the normal run replays them; the generated corpus
 * goes to {@code .cifuzz-corpus/} in the project directory (not to be committed).
 */
class SmtpParserFuzzTest {

    private static final String HOST = "mx.fuzz.test";
    private static final Pattern LINE = Pattern.compile("([2-5][0-9][0-9])([ -])(.*)");
    private static final Pattern ENHANCED = Pattern.compile("([245])\\.[0-9]{1,3}\\.[0-9]{1,3}(?: .*)?");
    private static final Pattern REF = Pattern.compile(".*\\[ref=[0-9A-Za-z]+]");
    private static final String TLS_READY = "220 2.0.0 Ready to start TLS";

    private static final ListAppender<ILoggingEvent> LOG = new ListAppender<>();
    private static Logger smtpLogger;
    private static Level previousLevel;
    private static volatile ServerTls tls;

    @BeforeAll
    static void captureLogs() {
        smtpLogger = (Logger) LoggerFactory.getLogger("org.postern.smtp");
        previousLevel = smtpLogger.getLevel();
        smtpLogger.setLevel(Level.WARN); // one INFO line per session would drown a fuzzing run
        LOG.start();
        smtpLogger.addAppender(LOG);
    }

    @AfterAll
    static void restoreLogs() {
        smtpLogger.detachAppender(LOG);
        smtpLogger.setLevel(previousLevel);
    }

    @FuzzTest(maxDuration = "2m")
    // Jazzer 0.30.0 writes CR, LF and HTAB into its dictionary file unescaped, which breaks the file: no entry may
    // hold them. The seeds carry the CRLFs.
    @DictionaryEntries({"EHLO ", "HELO ", "MAIL FROM:<", "RCPT TO:<", "DATA", "BDAT ", " LAST", "RSET", "NOOP", "QUIT",
            "STARTTLS", "VRFY ", "HELP", "AUTH PLAIN", ".", "SMTPUTF8", "SIZE=", "BODY=8BITMIME", "BODY=BINARYMIME",
            "RET=HDRS", "ENVID=", "NOTIFY=NEVER", "ORCPT=rfc822;", "[IPv6:", "@example.org", "\"quoted\"",
            "GET / HTTP/1.1", "\u00e9"})
    void conversation(byte[] input) {
        int setup = input.length == 0 ? 0 : input[0] & 0xff;
        byte[] client = input.length == 0 ? input : java.util.Arrays.copyOfRange(input, 1, input.length);

        parseEveryLine(client);

        int logged = LOG.list.size();
        FuzzHandler handler = new FuzzHandler(setup);
        MemorySocket socket = new MemorySocket(client);
        SmtpSettings settings = SmtpSettings.builder(HOST)
                .maxMessageSize((setup & 8) != 0 ? 1000 : 64 * 1024)
                .maxCommandLineLength(SmtpSettings.RFC_MIN_COMMAND_LINE)
                .maxDataLineLength(1000)
                .maxErrors(20)
                .maxCommands(500)
                .maxTransactions(10)
                .allReadTimeouts(Duration.ofSeconds(5))
                .build();
        long started = System.nanoTime();
        try {
            Optional<ServerTls> offered = (setup & 1) != 0 ? Optional.of(tls()) : Optional.empty();
            ConnectionInfo info = new ConnectionInfo("fuzz", InetAddress.getLoopbackAddress(), 25025,
                    InetAddress.getLoopbackAddress(), 25, "smtp");
            new SmtpSession(settings, handler, info, new SmtpConnection(socket), () -> offered).run();
        } catch (IOException e) {
            throw new AssertionError("in-memory socket failed: " + e, e);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        String where = " for input " + HexFormat.of().formatHex(input);

        for (ILoggingEvent event : LOG.list.subList(logged, LOG.list.size())) {
            if (event.getThrowableProxy() != null && event.getLevel().isGreaterOrEqual(Level.WARN)) {
                throw new AssertionError("exception escaped into the session: " + event.getFormattedMessage() + ": "
                        + event.getThrowableProxy().getClassName() + ": " + event.getThrowableProxy().getMessage() + where);
            }
        }
        LOG.list.clear();
        if (Boolean.getBoolean("postern.fuzz.debug")) {
            System.out.println("C: " + new String(client, StandardCharsets.ISO_8859_1) + "\nS: "
                    + new String(socket.written(), StandardCharsets.ISO_8859_1));
        }
        checkReplies(socket.written(), where);
        handler.checkSinks(where);
        if (took.toSeconds() >= 5) throw new AssertionError("conversation took " + took + where);
    }

    /** Every line, as the session would cut it, through the parser: a syntax refusal is the only way out. */
    private static void parseEveryLine(byte[] client) {
        int start = 0;
        for (int i = 0; i <= client.length; i++) {
            if (i < client.length && client[i] != '\n') continue;
            int end = i > start && client[i - 1] == '\r' ? i - 1 : i;
            byte[] line = java.util.Arrays.copyOfRange(client, start, end);
            start = i + 1;
            try {
                Command command = CommandParser.parse(line);
                if (command == null || command.verb() == null) throw new AssertionError("parser returned " + command);
            } catch (SmtpSyntaxException e) {
                if (e.reply() == null || !e.reply().isPermanent()) {
                    throw new AssertionError("syntax refusal that is not 5xx: " + e.reply() + " for " + HexFormat.of().formatHex(line));
                }
            } catch (RuntimeException e) {
                throw new AssertionError("CommandParser threw " + e + " for line " + HexFormat.of().formatHex(line), e);
            }
        }
    }

    /** RFC 5321 §4.2 reply syntax over everything written, up to the switch to TLS. */
    static void checkReplies(byte[] out, String where) {
        int pos = 0;
        String openCode = null;
        while (pos < out.length) {
            int end = -1;
            for (int i = pos; i + 1 < out.length; i++) {
                if (out[i] == '\r' && out[i + 1] == '\n') {
                    end = i;
                    break;
                }
            }
            if (end < 0) throw new AssertionError("reply output not ending in CRLF: " + tail(out, pos) + where);
            String line = new String(out, pos, end - pos, StandardCharsets.ISO_8859_1);
            pos = end + 2;
            Matcher m = LINE.matcher(line);
            if (!m.matches()) throw new AssertionError("malformed reply line '" + line + "'" + where);
            for (char c : m.group(3).toCharArray()) {
                if (c != '\t' && (c < ' ' || c > '~')) {
                    throw new AssertionError("reply text with octet " + (int) c + ": '" + line + "'" + where);
                }
            }
            if (openCode != null && !openCode.equals(m.group(1))) {
                throw new AssertionError("multi-line reply changes its code: '" + line + "' after " + openCode + where);
            }
            Matcher enhanced = ENHANCED.matcher(m.group(3));
            if (enhanced.matches() && enhanced.group(1).charAt(0) != m.group(1).charAt(0)) {
                throw new AssertionError("enhanced code of another class than the reply: '" + line + "'" + where);
            }
            if (m.group(2).equals("-")) {
                openCode = m.group(1);
                continue;
            }
            openCode = null;
            if (m.group(1).charAt(0) >= '4' && !REF.matcher(m.group(3)).matches()) {
                throw new AssertionError("refusal without [ref=...]: '" + line + "'" + where);
            }
            if (line.contains("internal error")) throw new AssertionError("internal error reply: '" + line + "'" + where);
            if (line.equals(TLS_READY)) return; // what follows is the TLS handshake, not replies
        }
        if (openCode != null) throw new AssertionError("multi-line reply never finished" + where);
    }

    private static String tail(byte[] out, int from) {
        return HexFormat.of().formatHex(out, from, Math.min(out.length, from + 64));
    }

    private static ServerTls tls() {
        ServerTls t = tls;
        if (t == null) {
            synchronized (SmtpParserFuzzTest.class) {
                if (tls == null) {
                    try {
                        tls = TlsContextFactory.create(TlsSettings.selfSigned(), HOST);
                    } catch (TlsConfigurationException e) {
                        throw new AssertionError(e);
                    }
                }
                t = tls;
            }
        }
        return t;
    }

    /** A handler that accepts, or refuses as the set-up octet says, and checks the sink contract. */
    private static final class FuzzHandler implements SessionHandler {
        private final int setup;
        private final List<Sink> sinks = new ArrayList<>();

        FuzzHandler(int setup) {
            this.setup = setup;
        }

        @Override public Reply connect(ConnectionInfo connection) {
            return (setup & 4) != 0 ? Reply.of(554, "5.7.1", "go away [ref=F1]") : Reply.greeting(HOST);
        }

        @Override public Reply helo(HeloInfo helo) { return Reply.of(250, "", HOST); }

        @Override public void tlsEstablished(TlsInfo tls) { }

        @Override public Reply mailFrom(MailFrom mailFrom) { return Reply.of(250, "2.1.0", "Ok"); }

        @Override public Reply rcptTo(RcptTo rcpt) {
            if ((setup & 2) != 0 && rcpt.address().indexOf('x') >= 0) return Reply.of(550, "5.1.1", "unknown [ref=F2]");
            return Reply.of(250, "2.1.5", "Ok");
        }

        @Override public Reply dataStart() {
            return (setup & 16) != 0 ? Reply.of(451, "4.3.0", "not now [ref=F3]") : Reply.of(354, "", "go ahead");
        }

        @Override public MessageSink openMessage() {
            Sink sink = new Sink();
            sinks.add(sink);
            return sink;
        }

        @Override public void reset() { }

        @Override public void closed(String reason) { }

        @Override public String reference() { return "F0"; }

        void checkSinks(String where) {
            for (int i = 0; i < sinks.size(); i++) {
                Sink s = sinks.get(i);
                if (s.completed + s.aborted != 1) {
                    throw new AssertionError("message sink " + i + " heard complete " + s.completed + "x and abort " + s.aborted + "x" + where);
                }
                if (s.completed == 1 && s.completedSize != s.received.size()) {
                    throw new AssertionError("complete(" + s.completedSize + ") but the sink got " + s.received.size() + " octets" + where);
                }
            }
        }
    }

    private static final class Sink implements MessageSink {
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        int completed;
        int aborted;
        long completedSize;

        @Override public OutputStream content() { return received; }

        @Override public Reply complete(long size) {
            completed++;
            completedSize = size;
            return Reply.of(250, "2.0.0", "Ok: queued");
        }

        @Override public void abort(String why) { aborted++; }
    }

    /** A connected socket whose input is the fuzz input and whose output is kept; no network, no timeouts. */
    private static final class MemorySocket extends Socket {
        private final InputStream in;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private volatile boolean closed;

        MemorySocket(byte[] input) {
            this.in = new ByteArrayInputStream(input);
        }

        byte[] written() { return out.toByteArray(); }

        @Override public InputStream getInputStream() { return in; }
        @Override public OutputStream getOutputStream() { return out; }
        @Override public void setTcpNoDelay(boolean on) { }
        @Override public void setSoTimeout(int timeout) { }
        @Override public int getSoTimeout() { return 0; }
        @Override public void shutdownOutput() { }
        @Override public void shutdownInput() { }
        @Override public boolean isClosed() { return closed; }
        @Override public boolean isConnected() { return true; }
        @Override public boolean isBound() { return true; }
        @Override public void close() { closed = true; }
        @Override public InetAddress getInetAddress() { return InetAddress.getLoopbackAddress(); }
        @Override public int getPort() { return 25025; }
        @Override public InetAddress getLocalAddress() { return InetAddress.getLoopbackAddress(); }
        @Override public int getLocalPort() { return 25; }
    }
}
