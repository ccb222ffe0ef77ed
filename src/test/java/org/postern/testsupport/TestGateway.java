package org.postern.testsupport;

import org.postern.config.ConfigLoader;
import org.postern.dns.InProcessDnsServer;
import org.postern.edge.Gateway;
import org.postern.trace.TraceQuery;
import org.postern.trace.TraceRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.time.Clock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real gateway in-process, as {@code postern serve} starts it: from a YAML file naming a free port on 127.0.0.1,
 * an H2 store in a temporary directory and its own authoritative DNS server on loopback (so SPF, DKIM and DMARC
 * lookups never leave the machine; tests add records to {@link #dns}).
 */
public class TestGateway implements AutoCloseable {

    private static final Pattern REF = Pattern.compile("\\[ref=([0-9A-Za-z]+)]");

    public final Path dir;
    public final Path configFile;
    public final String hostname;
    public final InProcessDnsServer dns;
    public final Gateway gateway;

    /** {@code extraYaml} is appended to a config naming node, listener (free port), store and DNS server. */
    public TestGateway(Path dir, String hostname, String extraYaml) {
        this(dir, hostname, extraYaml, Clock.systemUTC());
    }

    /** As above, on a clock the test controls (expiring entries, rates). */
    public TestGateway(Path dir, String hostname, String extraYaml, Clock clock) {
        this(dir, hostname, extraYaml, clock, false);
    }

    /** With {@code submission}: also the submission listeners (STARTTLS and implicit TLS), on free ports. */
    public TestGateway(Path dir, String hostname, String extraYaml, Clock clock, boolean submission) {
        this.dir = dir;
        this.hostname = hostname;
        this.configFile = dir.resolve("postern.yaml");
        this.dns = InProcessDnsServer.start();
        String yaml = """
                node: { hostname: %1$s, data-dir: "%2$s" }
                listeners: { smtp: { address: 127.0.0.1, port: 0 }, admin: { address: 127.0.0.1, port: 0 }%4$s }
                store: { url: "jdbc:h2:file:%2$s/postern" }
                dns: { servers: ["%3$s"], timeout: 1s }
                """.formatted(hostname, dir, dns.address(), submission
                ? ", submission: { address: 127.0.0.1, port: 0 }, submissions: { address: 127.0.0.1, port: 0 }" : "") + extraYaml;
        try {
            Files.createDirectories(dir);
            Files.writeString(configFile, yaml);
            this.gateway = Gateway.start(ConfigLoader.load(configFile), clock);
        } catch (IOException e) {
            dns.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            dns.close();
            throw e;
        }
    }

    /** A client connected to the SMTP listener (the greeting not yet read). */
    public TestSmtpClient client() {
        return TestSmtpClient.connect(gateway.smtpPort());
    }

    /** A client connected to the submission listener (STARTTLS), the greeting read. */
    public TestSmtpClient submissionClient() {
        return TestSmtpClient.connect(gateway.submissionPort("submission").orElseThrow());
    }

    /** A client connected to the implicit-TLS submission listener, the handshake done and the greeting read. */
    public TestSmtpClient submissionsClient() {
        return TestSmtpClient.connectImplicitTls(gateway.submissionPort("submissions").orElseThrow());
    }

    /** One whole transaction on its own connection: the reply to the end of data (or to the first refusal). */
    public TestSmtpClient.Reply send(String helo, String from, String to, String message) {
        try (TestSmtpClient c = client()) {
            c.greeting().assertCode(220);
            c.ehlo(helo).assertCode(250);
            return c.send(from, List.of(to), message);
        }
    }

    /** The trace record of the reference a reply names. */
    public TraceRecord traceOf(Object reply) {
        List<TraceRecord> found = gateway.trace().search(TraceQuery.all().withRef(ref(reply)));
        if (found.isEmpty()) throw new AssertionError("no trace record for " + reply);
        return found.get(0);
    }

    /**
     * The header lines every real mail client writes (From, Date, Message-ID) put in front of {@code message}, for
     * tests about the edge rather than the content filter: without them the message earns the missing-header
     * reasons and may be junked, which is right for such mail but not what those tests look at.
     */
    public static String wellFormed(String from, String message) {
        String date = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC));
        String head = "From: " + from + "\r\nDate: " + date + "\r\n";
        if (!message.regionMatches(true, 0, "Message-ID:", 0, 11) && !message.toLowerCase(java.util.Locale.ROOT).contains("\r\nmessage-id:")) {
            head += "Message-ID: <" + java.util.UUID.randomUUID() + "@example.org>\r\n";
        }
        return head + message;
    }

    public static String ref(Object reply) {
        Matcher m = REF.matcher(reply.toString());
        if (!m.find()) throw new AssertionError("no [ref=...] in " + reply);
        return m.group(1);
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        try {
            gateway.close();
        } finally {
            dns.close();
        }
    }
}
