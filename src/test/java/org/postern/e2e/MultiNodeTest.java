package org.postern.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.postern.Postern;
import org.postern.testsupport.Downstreams;
import org.postern.testsupport.PrivateRedis;
import org.postern.testsupport.TestDns;
import org.postern.testsupport.TestSmtpClient;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Two gateway processes on one PostgreSQL database (a fresh {@code postern_multinode_<random>}, dropped after) and
 * the machine's Redis (a key prefix of their own, deleted after): a tenant applied through node A is served by node B
 * within 2 s; a client's message budget spent half on A and half on B turns it away at both; a message quarantined on
 * A is listed and released through B's REST API and B delivers it to smtp-sink, the trace naming who released it; A is
 * killed (SIGKILL) and B keeps serving.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class MultiNodeTest {

    private static final String PG_HOST = env("POSTERN_TEST_PG_HOST", "127.0.0.1:5432");
    private static final String PG_USER = env("POSTERN_TEST_PG_USER", "postgres");
    /** Each node's budget per client address; the same for both, counted once in Redis. */
    private static final int MESSAGES_PER_MINUTE = 60;
    private static final Pattern REF = Pattern.compile("\\[ref=([0-9A-Za-z]+)]");
    private static final Pattern ADMIN = Pattern.compile("admin listener on http://127\\.0\\.0\\.1:(\\d+)/");

    @TempDir Path dir;
    private final List<GatewayProcess> nodes = new ArrayList<>();
    private Downstreams.SmtpSink sink;
    private String database;
    private String redis;
    private String redisPrefix;

    @AfterEach
    void stopEverything() throws SQLException {
        nodes.forEach(GatewayProcess::close);
        if (sink != null) sink.close();
        if (redis != null) PrivateRedis.deleteKeys(redis, redisPrefix);
        if (database != null) {
            try (Connection c = maintenance(); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
        }
    }

    @Test
    void twoNodesShareTenantsAndQuarantineAndOneSurvivesTheOthersDeath() throws Exception {
        requirePostgres();
        redis = PrivateRedis.requireShared();
        redisPrefix = PrivateRedis.randomPrefix();
        database = "postern_multinode_" + HexFormat.of().formatHex(randomBytes());
        String url = "jdbc:postgresql://" + PG_HOST + "/" + database + "?user=" + PG_USER;
        sink = Downstreams.smtpSink(dir.resolve("sink"));

        int portA = GatewayProcess.freePort();
        int portB = GatewayProcess.freePort();
        Path configA = config("a", portA, url);
        Path configB = config("b", portB, url);
        GatewayProcess a = GatewayProcess.start(configA, portA, dir.resolve("a.log"), Duration.ofSeconds(60));
        nodes.add(a);
        GatewayProcess b = GatewayProcess.start(configB, portB, dir.resolve("b.log"), Duration.ofSeconds(60));
        nodes.add(b);
        assertThat(rcpt(portB, "alice@acme.test")).as("B knows no tenant acme yet").isEqualTo(554);

        // ---- a tenant applied through A is served by B within 2 s
        Path tenant = Files.writeString(dir.resolve("acme.yaml"), """
                id: acme
                domains: [acme.test]
                delivery: "%s"
                anti-malware: { action: quarantine, blocked-file-types: [exe] }
                """.formatted(sink.smtpUrl()));
        long applyStarted = System.nanoTime();
        Cli apply = cli("apply", "--config", configA.toString(), "-f", tenant.toString());
        long appliedAt = System.nanoTime(); // committed: the apply command has returned
        assertThat(apply.exit()).as("apply: %s %s", apply.out(), apply.err()).isZero();
        int code;
        do {
            code = rcpt(portB, "alice@acme.test");
            if (code != 250) Thread.sleep(100); // each probe spends one of 127.0.0.1's messages per minute
        } while (code != 250 && System.nanoTime() - appliedAt < Duration.ofSeconds(5).toNanos());
        double propagation = (System.nanoTime() - appliedAt) / 1e9;
        System.out.printf("MultiNodeTest: apply command %.3f s; tenant served by B %.3f s after the apply returned%n",
                (appliedAt - applyStarted) / 1e9, propagation);
        assertThat(code).as("B serves the tenant").isEqualTo(250);
        assertThat(propagation).as("seconds from apply to B serving").isLessThan(2.0);

        // ---- one client's message budget (limits.messages-per-ip-per-minute, in Redis) is shared by both nodes
        spendMessages("127.0.0.7", portA, MESSAGES_PER_MINUTE / 2);
        spendMessages("127.0.0.7", portB, MESSAGES_PER_MINUTE - MESSAGES_PER_MINUTE / 2);
        for (int port : new int[] {portB, portA}) {
            try (TestSmtpClient c = TestSmtpClient.connectFrom("127.0.0.7", port)) {
                TestSmtpClient.Reply refused = c.greeting();
                assertThat(refused.code()).as("budget spent on both nodes: %s", refused).isEqualTo(421);
                assertThat(refused.text()).contains("4.7.0");
            }
        }

        // ---- quarantined on A, listed and released through B, delivered by B
        String held = send(portA, "alice@acme.test", executableMessage("m-held"));
        Cli listed = cli("quarantine", "list", "--config", configB.toString(), "--tenant", "acme", "--json");
        assertThat(listed.out()).as("the CLI lists from the store: %s", listed.err()).contains("\"id\":\"" + held + "\"");
        String token = lastLine(cli("token", "create", "--config", configB.toString(), "--role", "operator").out());
        int adminB = adminPort(b);
        JsonNode list = api("GET", adminB, "/api/v1/tenants/acme/quarantine", token);
        assertThat(list.toString()).contains(held);
        JsonNode preview = api("GET", adminB, "/api/v1/tenants/acme/quarantine/" + held, token);
        assertThat(preview.toString()).as("preview read from the store's chunks").contains("see attached");
        JsonNode released = api("POST", adminB, "/api/v1/tenants/acme/quarantine/" + held + "/release", token);
        assertThat(released.path("released").asText()).isEqualTo(held);
        var delivered = sink.awaitMessages(1, Duration.ofSeconds(20));
        assertThat(delivered).singleElement().satisfies(m -> assertThat(m.content()).contains("X-E2E-Marker: m-held"));
        assertThat(b.log()).contains("released message " + held);
        assertThat(a.log()).doesNotContain("released message " + held);
        JsonNode trace = new ObjectMapper().readTree(lastLine(awaitTrace(configB, held, "quarantine.released: by ")));
        assertThat(trace.toString()).contains("quarantine.released: by ");
        assertThat(api("GET", adminB, "/api/v1/tenants/acme/quarantine", token).toString()).doesNotContain(held);

        // ---- A dies (SIGKILL); B keeps serving
        a.process().destroyForcibly();
        assertThat(a.waitFor(Duration.ofSeconds(10))).isEqualTo(137);
        assertThat(a.refusesConnections()).isTrue();
        String after = send(portB, "bob@acme.test", plainMessage("m-after-kill"));
        assertThat(sink.awaitMessages(2, Duration.ofSeconds(20)))
                .anySatisfy(m -> assertThat(m.content()).contains("X-E2E-Marker: m-after-kill"));
        assertThat(after).isNotBlank();
        assertThat(b.isAlive()).isTrue();
    }

    private String awaitTrace(Path config, String ref, String expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            Cli trace = cli("trace", "--config", config.toString(), "--ref", ref, "--json");
            if (trace.out().contains(expected) || System.nanoTime() > deadline) return trace.out();
            Thread.sleep(200);
        }
    }

    private Path config(String node, int port, String url) throws Exception {
        Path data = Files.createDirectories(dir.resolve("data-" + node));
        Path file = dir.resolve("node-" + node + ".yaml");
        Files.writeString(file, """
                node:
                  hostname: mx-%1$s.postern.test
                  name: node-%1$s
                  data-dir: %2$s
                listeners:
                  smtp: { address: 127.0.0.1, port: %3$d }
                  admin: { address: 127.0.0.1, port: 0 }
                store: { url: "%4$s" }
                redis: { url: "%6$s", prefix: "%7$s" }
                limits: { messages-per-ip-per-minute: %8$d }
                dns: { servers: ["%5$s"] }
                delivery: { retry-initial: 1s, retry-max: 2s, connect-timeout: 5s }
                """.formatted(node, data, port, url, TestDns.sharedAddress(), redis, redisPrefix, MESSAGES_PER_MINUTE));
        return file;
    }

    /** Starts {@code n} transactions (MAIL, RSET) from {@code clientIp}: each uses one message of its budget. */
    private static void spendMessages(String clientIp, int port, int n) {
        try (TestSmtpClient c = TestSmtpClient.connectFrom(clientIp, port)) {
            c.greeting().assertCode(220);
            c.ehlo("client.multinode.test").assertCode(250);
            for (int i = 0; i < n; i++) {
                c.mailFrom("sender@example.org").assertCode(250);
                c.rset().assertCode(250);
            }
            c.quit();
        }
    }

    /** The RCPT reply code of a fresh session (250: the node serves the recipient's tenant). */
    private static int rcpt(int port, String recipient) {
        try (TestSmtpClient c = TestSmtpClient.connect("127.0.0.1", port, Duration.ofSeconds(10))) {
            c.greeting();
            c.ehlo("client.multinode.test").assertCode(250);
            c.mailFrom("sender@example.org").assertCode(250);
            int code = c.rcptTo(recipient).code();
            c.quit();
            return code;
        }
    }

    /** Sends one message, asserts 250 and returns its reference. */
    private static String send(int port, String recipient, String message) {
        try (TestSmtpClient c = TestSmtpClient.connect("127.0.0.1", port, Duration.ofSeconds(30))) {
            c.greeting();
            c.ehlo("client.multinode.test").assertCode(250);
            TestSmtpClient.Reply r = c.send("sender@example.org", List.of(recipient), message);
            assertThat(r.code()).as("reply %s", r).isEqualTo(250);
            Matcher m = REF.matcher(r.text());
            assertThat(m.find()).as("reference in %s", r).isTrue();
            c.quit();
            return m.group(1);
        }
    }

    private static String plainMessage(String marker) {
        return "From: <sender@example.org>\r\nTo: <bob@acme.test>\r\nSubject: " + marker + "\r\nMessage-ID: <" + marker
                + "@multinode.test>\r\nX-E2E-Marker: " + marker + "\r\n\r\nHello from the surviving node.\r\n";
    }

    /** A message with a Windows executable attached: the tenant's anti-malware quarantines it. */
    private static String executableMessage(String marker) {
        byte[] exe = new byte[512];
        exe[0] = 'M';
        exe[1] = 'Z';
        exe[0x3C] = (byte) 0x80;
        exe[0x80] = 'P';
        exe[0x81] = 'E';
        return "From: <sender@example.org>\r\nTo: <alice@acme.test>\r\nSubject: invoice " + marker + "\r\nMessage-ID: <" + marker
                + "@multinode.test>\r\nX-E2E-Marker: " + marker + "\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n"
                + "--b1\r\nContent-Type: application/pdf; name=\"invoice.pdf\"\r\nContent-Disposition: attachment; filename=\"invoice.pdf\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n" + Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(exe)
                + "\r\n--b1--\r\n";
    }

    private static int adminPort(GatewayProcess node) {
        Matcher m = ADMIN.matcher(node.log());
        if (!m.find()) fail("no admin listener in the log:\n" + node.log());
        return Integer.parseInt(m.group(1));
    }

    private static JsonNode api(String method, int port, String path, String token) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + token)
                .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s %s: %s", method, path, response.body()).isBetween(200, 299);
        return new ObjectMapper().readTree(response.body());
    }

    private record Cli(int exit, String out, String err) { }

    /** The postern command line, in this JVM (it talks to the same PostgreSQL as the nodes). */
    private static synchronized Cli cli(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int code = Postern.run(args);
            return new Cli(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    private static String lastLine(String s) {
        List<String> lines = s.lines().filter(l -> !l.isBlank()).toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[6];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }

    /** Skipped on a workstation without PostgreSQL; a failure when CI is set (CI must test it). */
    private static void requirePostgres() {
        try (Connection c = maintenance()) {
            c.isValid(2);
        } catch (SQLException e) {
            String why = "PostgreSQL at " + PG_HOST + " is unreachable: " + e.getMessage();
            if (System.getenv("CI") != null) fail(why + " (CI is set, so the multi-node test may not be skipped)");
            Assumptions.abort(why);
        }
    }

    private static Connection maintenance() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + PG_HOST + "/postgres?user=" + PG_USER
                + env("POSTERN_TEST_PG_PASSWORD", "").transform(p -> p.isEmpty() ? "" : "&password=" + p));
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
