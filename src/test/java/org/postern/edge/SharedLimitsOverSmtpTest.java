package org.postern.edge;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.testsupport.PrivateRedis;
import org.postern.testsupport.TestGateway;
import org.postern.testsupport.TestSmtpClient;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Two nodes sharing Redis meet one set of operator limits; with Redis gone, each counts alone and mail flows. */
class SharedLimitsOverSmtpTest {

    @TempDir Path dir;

    private static final String TENANT = """
            tenants:
              - { id: acme, domains: [acme.test], delivery: "maildir:%s" }
            """;

    private String url;
    private String prefix;

    @AfterEach
    void deleteKeys() {
        if (url != null) PrivateRedis.deleteKeys(url, prefix);
    }

    private String config(String redisUrl, String limits) {
        return "redis: { url: \"" + redisUrl + "\", prefix: \"" + prefix + "\", timeout: 300ms }\n"
                + "limits: { " + limits + " }\n" + TENANT.formatted(dir.resolve("mail"));
    }

    @Test
    void theMessageBudgetIsSharedSoTheSecondNodeAnswers421() {
        url = PrivateRedis.requireShared();
        prefix = PrivateRedis.randomPrefix();
        String yaml = config(url, "messages-per-ip-per-minute: 3");
        try (TestGateway one = new TestGateway(dir.resolve("one"), "mx1.postern.test", yaml);
             TestGateway two = new TestGateway(dir.resolve("two"), "mx2.postern.test", yaml)) {
            assertThat(send(one).code()).isEqualTo(250);
            assertThat(send(one).code()).isEqualTo(250);
            assertThat(send(two).code()).isEqualTo(250);
            var refused = send(two);
            assertThat(refused.code()).isEqualTo(421);
            assertThat(refused.enhancedCode()).isEqualTo("4.7.0");
            var traced = two.traceOf(refused);
            assertThat(traced.phase()).as("a client over its rate is turned away at CONNECT").isEqualTo("CONNECT");
            assertThat(traced.decisions()).anySatisfy(d -> assertThat(d.setting()).isEqualTo("limits.messages-per-ip-per-minute"));
            assertThat(send(one).code()).as("node one sees the same spent budget").isEqualTo(421);
        }
    }

    @Test
    void connectionsPerIpAreCountedAcrossNodes() {
        url = PrivateRedis.requireShared();
        prefix = PrivateRedis.randomPrefix();
        String yaml = config(url, "connections-per-ip: 2");
        try (TestGateway one = new TestGateway(dir.resolve("one"), "mx1.postern.test", yaml);
             TestGateway two = new TestGateway(dir.resolve("two"), "mx2.postern.test", yaml);
             TestSmtpClient a = TestSmtpClient.connectFrom("127.0.0.9", one.gateway.smtpPort());
             TestSmtpClient b = TestSmtpClient.connectFrom("127.0.0.9", two.gateway.smtpPort())) {
            a.greeting().assertCode(220);
            b.greeting().assertCode(220);
            try (TestSmtpClient third = TestSmtpClient.connectFrom("127.0.0.9", two.gateway.smtpPort())) {
                var refused = third.greeting();
                assertThat(refused.code()).isEqualTo(421);
                assertThat(refused.enhancedCode()).isEqualTo("4.7.0");
                assertThat(two.traceOf(refused).decisions()).singleElement()
                        .satisfies(d -> assertThat(d.reason()).contains("3 connections from 127.0.0.9, limit 2"));
            }
            a.quit();
            // Node one's closed connection frees a place on node two (counted once the session has ended).
            long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            int code = 0;
            while (code != 220 && System.nanoTime() < until) {
                try (TestSmtpClient again = TestSmtpClient.connectFrom("127.0.0.9", two.gateway.smtpPort())) {
                    code = again.greeting().code();
                }
            }
            assertThat(code).isEqualTo(220);
        }
    }

    @Test
    void withRedisDownMailFlowsOnLocalCountersAndMetricsSaySo() throws Exception {
        prefix = "t:";
        try (PrivateRedis redis = PrivateRedis.start(dir.resolve("redis"));
             TestGateway node = new TestGateway(dir.resolve("node"), "mx1.postern.test", config(redis.url(), "messages-per-ip-per-minute: 2"))) {
            assertThat(send(node).code()).isEqualTo(250);
            assertThat(fallbackGauge(node)).isEqualTo("0.0");
            redis.stop();
            long started = System.nanoTime();
            assertThat(send(node).code()).as("mail keeps flowing").isEqualTo(250);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
            assertThat(fallbackGauge(node)).isEqualTo("1.0");
            assertThat(send(node).code()).isEqualTo(250);
            assertThat(send(node).code()).as("this node's own budget of 2 holds meanwhile").isEqualTo(421);

            redis.startAgain();
            long until = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (fallbackGauge(node).equals("1.0") && System.nanoTime() < until) {
                send(node); // any use of the counters asks Redis again after the retry pause
                TestGateway.sleep(300);
            }
            assertThat(fallbackGauge(node)).isEqualTo("0.0");
        }
    }

    /** One message on its own connection: the reply to its end of data, or the refusal that came first (greeting included). */
    private static TestSmtpClient.Reply send(TestGateway gw) {
        try (TestSmtpClient c = gw.client()) {
            var greeting = c.greeting();
            if (!greeting.isPositive()) return greeting;
            c.ehlo("client.example.org").assertCode(250);
            return c.send("someone@example.org", List.of("alice@acme.test"),
                    TestGateway.wellFormed("someone@example.org", "Subject: hello\r\n\r\nhi\r\n"));
        }
    }

    private static String fallbackGauge(TestGateway gw) throws Exception {
        var response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw.gateway.adminPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.body().lines().filter(l -> l.startsWith("postern_shared_counters_fallback ")).findFirst()
                .map(l -> l.substring(l.indexOf(' ') + 1).trim()).orElseThrow(() -> new AssertionError("no postern_shared_counters_fallback in /metrics"));
    }
}
