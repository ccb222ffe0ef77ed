package org.postern.edge;

import org.postern.testsupport.PosternCli;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.testsupport.TestGateway;
import org.postern.trace.DeliveryEvent;
import org.postern.trace.TraceJson;
import org.postern.trace.TraceStatus;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Which node received a message and which delivered it: node.name in trace --json, the REST API and the console. */
class NodeIdentityTest {

    @TempDir Path dir;

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theTraceNamesTheNodeThatReceivedAndTheNodeThatDelivered() throws Exception {
        String yaml = """
                node: { name: edge-a }
                tenants:
                  - { id: acme, domains: [acme.test], delivery: "maildir:%s" }
                """.formatted(dir.resolve("mail"));
        try (TestGateway gw = new TestGateway(dir.resolve("gw"), "mx1.postern.test", yaml)) {
            var reply = gw.send("client.example.org", "someone@example.org", "alice@acme.test",
                    TestGateway.wellFormed("someone@example.org", "Subject: which node\r\n\r\nhi\r\n"));
            reply.assertCode(250);
            String ref = TestGateway.ref(reply);
            long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (gw.gateway.trace().deliveries(ref).stream().noneMatch(d -> d.outcome() == TraceStatus.Delivered) && System.nanoTime() < until) {
                TestGateway.sleep(50);
            }

            JsonNode line = JSON.readTree(cli(gw, "trace", "--ref", ref, "--json").strip());
            assertThat(line.path("receivedBy").asText()).isEqualTo("edge-a");
            assertThat(line.path("deliveredBy").asText()).isEqualTo("edge-a");
            assertThat(line.path("node").asText()).as("the older name stays").isEqualTo("edge-a");
            assertThat(line.path("deliveries").get(0).path("node").asText()).isEqualTo("edge-a");
            assertThat(cli(gw, "trace", "--ref", ref)).contains("received by edge-a, delivered by edge-a");

            String token = lastLine(cli(gw, "token", "create", "--role", "operator"));
            var http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + gw.gateway.adminPort();
            var api = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/tenants/acme/messages/" + ref))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(api.statusCode()).isEqualTo(200);
            JsonNode record = JSON.readTree(api.body());
            assertThat(record.path("receivedBy").asText()).isEqualTo("edge-a");
            assertThat(record.path("deliveredBy").asText()).isEqualTo("edge-a");
        }
    }

    @Test
    void withoutANameTheNodeIsTheMachinesHostName() throws Exception {
        String yaml = "tenants:\n  - { id: acme, domains: [acme.test], delivery: \"maildir:" + dir.resolve("mail") + "\" }\n";
        try (TestGateway gw = new TestGateway(dir.resolve("gw"), "mx1.postern.test", yaml)) {
            var reply = gw.send("client.example.org", "someone@example.org", "nobody@unknown.test",
                    TestGateway.wellFormed("someone@example.org", "Subject: x\r\n\r\nhi\r\n"));
            assertThat(reply.code()).isEqualTo(554);
            assertThat(gw.traceOf(reply).node()).isEqualTo(java.net.InetAddress.getLocalHost().getHostName());
        }
    }

    @Test
    void deliveredByNamesEveryNodeThatDeliveredAndNothingBeforeDelivery() {
        Instant t = Instant.parse("2026-11-28T12:00:00Z");
        var deferredOnA = new DeliveryEvent("R", "acme", "a@acme.test", t, TraceStatus.Deferred, 1, "smtp://x", "421", "edge-a");
        var onB = new DeliveryEvent("R", "acme", "a@acme.test", t, TraceStatus.Delivered, 2, "smtp://x", "250", "edge-b");
        var onC = new DeliveryEvent("R", "acme", "b@acme.test", t, TraceStatus.Delivered, 1, "smtp://x", "250", "edge-c");
        assertThat(TraceJson.deliveredBy(List.of())).isEmpty();
        assertThat(TraceJson.deliveredBy(List.of(deferredOnA))).isEmpty();
        assertThat(TraceJson.deliveredBy(List.of(deferredOnA, onB, onC))).contains("edge-b, edge-c");
    }

    private static String cli(TestGateway gw, String... args) {
        return PosternCli.run(PosternCli.withConfig(gw.configFile, args)).ok().out();
    }

    private static String lastLine(String text) {
        List<String> lines = text.lines().toList();
        return lines.get(lines.size() - 1).strip();
    }
}
