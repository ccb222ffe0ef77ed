package org.postern.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.testsupport.TestGateway;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The REST API over HTTP against a running gateway: tenants, lists, trace, quarantine, explain, audit, OpenAPI, metrics. */
class AdminApiTest {

    @TempDir static Path dir;
    static AdminFixture f;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() { f = new AdminFixture(dir); }

    @AfterAll
    static void stop() { if (f != null) f.close(); }

    static JsonNode json(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (Exception e) {
            throw new AssertionError(r.body(), e);
        }
    }

    @Test
    void tenantAdminSeesOwnTenantOnlyAndOperatorSeesAll() {
        assertThat(f.get("/api/v1/tenants/contoso", f.contosoAdmin).statusCode()).isEqualTo(200);
        assertThat(json(f.get("/api/v1/tenants/contoso", f.contosoAdmin)).path("domains").toString()).contains("contoso.test");
        assertThat(f.get("/api/v1/tenants/fabrikam", f.contosoAdmin).statusCode()).isEqualTo(404);
        assertThat(f.get("/api/v1/tenants", f.contosoAdmin).statusCode()).isEqualTo(403);
        assertThat(json(f.get("/api/v1/tenants", f.operator)).toString()).contains("contoso", "fabrikam");
        assertThat(f.get("/api/v1/tenants/contoso", null).statusCode()).isEqualTo(401);
        assertThat(f.get("/api/v1/tenants/contoso", "pst_bogus").statusCode()).isEqualTo(401);
    }

    @Test
    void ipBlockAddedThroughTheApiRefusesTheClientAndTheRefusalIsFoundByItsReference() {
        HttpResponse<String> added = f.call("POST", "/api/v1/tenants/contoso/ip-block", f.contosoAdmin,
                "{\"cidr\":\"127.0.0.0/8\",\"expires\":\"2099-01-01T00:00:00Z\",\"comment\":\"api test\"}");
        assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
        TestGateway.sleep(1500); // a node picks up tenant changes within a second
        try {
            var reply = f.gw.send("client.example.org", "sender@example.org", "bob@contoso.test", TestGateway.wellFormed("sender@example.org", "Subject: hi\r\n\r\nhello\r\n"));
            assertThat(reply.toString()).contains("550 5.7.1");
            String ref = TestGateway.ref(reply);
            JsonNode found = json(f.get("/api/v1/tenants/contoso/trace?ref=" + ref, f.contosoAdmin));
            assertThat(found.path("items")).hasSize(1);
            assertThat(found.path("items").get(0).path("status").asText()).isEqualTo("Rejected");
            JsonNode detail = json(f.get("/api/v1/tenants/contoso/messages/" + ref, f.contosoAdmin));
            assertThat(detail.path("decisions").toString()).contains("ip-block");
            assertThat(f.get("/api/v1/tenants/fabrikam/messages/" + ref, f.fabrikamAdmin).statusCode()).isEqualTo(404);
            JsonNode audit = json(f.get("/api/v1/tenants/contoso/audit", f.contosoAdmin));
            assertThat(audit.get(0).path("action").asText()).isEqualTo("ip-block add 127.0.0.0/8");
            assertThat(audit.get(0).path("before").asText()).doesNotContain("127.0.0.0/8");
            assertThat(audit.get(0).path("after").asText()).contains("127.0.0.0/8");
            assertThat(audit.get(0).path("actor").asText()).startsWith("token:");
        } finally {
            assertThat(f.call("DELETE", "/api/v1/tenants/contoso/ip-block?cidr=127.0.0.0/8", f.contosoAdmin, null).statusCode()).isEqualTo(200);
            TestGateway.sleep(1500);
        }
    }

    @Test
    void invalidSettingsAreRefusedWith400AndChangeNothing() {
        HttpResponse<String> r = f.call("PUT", "/api/v1/tenants/contoso/anti-spam", f.contosoAdmin, "{\"junk-at\": 42}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(json(r).path("error").asText()).isNotBlank();
        HttpResponse<String> ok = f.call("PUT", "/api/v1/tenants/contoso/anti-spam", f.contosoAdmin, "{\"mode\":\"quarantine\",\"junk-at\":4,\"quarantine-at\":7,\"reject-at\":9}");
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(json(f.get("/api/v1/tenants/contoso/anti-spam", f.contosoUser)).path("junk-at").asInt()).isEqualTo(4);
    }

    @Test
    void quarantinedMessageIsListedPreviewedDownloadedAndReleasedToDelivery() {
        var reply = f.gw.send("client.example.org", "billing@example.org", "alice@contoso.test",
                TestGateway.wellFormed("billing@example.org", "Subject: [hold] invoice\r\n\r\n<script>alert(1)</script> Please pay.\r\n"));
        assertThat(reply.toString()).startsWith("250");
        String ref = TestGateway.ref(reply);
        JsonNode list = json(f.get("/api/v1/tenants/contoso/quarantine", f.contosoAdmin));
        assertThat(list.toString()).contains(ref);
        assertThat(json(f.get("/api/v1/tenants/fabrikam/quarantine", f.fabrikamAdmin)).toString()).doesNotContain(ref);
        assertThat(f.get("/api/v1/tenants/fabrikam/quarantine/" + ref, f.fabrikamAdmin).statusCode()).isEqualTo(404);
        JsonNode held = json(f.get("/api/v1/tenants/contoso/quarantine/" + ref, f.contosoAdmin));
        assertThat(held.path("preview").asText()).contains("Please pay.");
        HttpResponse<String> eml = f.get("/api/v1/tenants/contoso/quarantine/" + ref + "/eml", f.contosoAdmin);
        assertThat(eml.headers().firstValue("Content-Type").orElse("")).startsWith("message/rfc822");
        assertThat(eml.body()).contains("Subject: [hold] invoice");
        HttpResponse<String> released = f.call("POST", "/api/v1/tenants/contoso/quarantine/" + ref + "/release", f.contosoAdmin, null);
        assertThat(released.statusCode()).isEqualTo(202);
        String status = "";
        for (int i = 0; i < 100 && !status.equals("Delivered"); i++) {
            TestGateway.sleep(100);
            status = json(f.get("/api/v1/tenants/contoso/messages/" + ref, f.contosoAdmin)).path("status").asText();
        }
        assertThat(status).isEqualTo("Delivered");
        assertThat(json(f.get("/api/v1/tenants/contoso/messages/" + ref, f.contosoAdmin)).path("decisions").toString()).contains("quarantine.released");
    }

    @Test
    void userSeesOnlyTheirOwnQuarantinedMailAndNoSettingsChanges() {
        var toBob = f.gw.send("client.example.org", "billing@example.org", "bob@contoso.test",
                TestGateway.wellFormed("billing@example.org", "Subject: [hold] for bob\r\n\r\nhi\r\n"));
        String bobRef = TestGateway.ref(toBob);
        String alice = f.cli("token", "create", "--tenant", "contoso", "--role", "user"); // a token of no account sees nothing
        assertThat(json(f.get("/api/v1/tenants/contoso/quarantine", alice)).toString()).doesNotContain(bobRef);
        assertThat(f.call("POST", "/api/v1/tenants/contoso/quarantine/" + bobRef + "/release", alice, null).statusCode()).isEqualTo(404);
        assertThat(f.call("POST", "/api/v1/tenants/contoso/ip-allow", alice, "{\"cidr\":\"192.0.2.0/24\"}").statusCode()).isEqualTo(403);
        assertThat(f.get("/api/v1/tenants/contoso/trace", alice).statusCode()).isEqualTo(403);
    }

    @Test
    void consoleUserSeesAndReleasesOnlyTheirOwnHeldMail() {
        String aliceRef = TestGateway.ref(f.gw.send("client.example.org", "shop@example.org", "alice@contoso.test",
                TestGateway.wellFormed("shop@example.org", "Subject: [hold] alice order\r\n\r\nhi\r\n")));
        String bobRef = TestGateway.ref(f.gw.send("client.example.org", "shop@example.org", "bob@contoso.test",
                TestGateway.wellFormed("shop@example.org", "Subject: [hold] bob order\r\n\r\nhi\r\n")));
        String session = f.login("alice@contoso.test", "alice-pass");
        assertThat(f.page("/", session).headers().firstValue("Location").orElse("")).isEqualTo("/t/contoso/quarantine");
        String list = f.page("/t/contoso/quarantine", session).body();
        assertThat(list).contains(aliceRef).doesNotContain(bobRef);
        assertThat(f.page("/t/contoso/quarantine/" + bobRef, session).statusCode()).isEqualTo(404);
        assertThat(f.page("/t/contoso/trace", session).statusCode()).isEqualTo(403);
        String csrf = AdminFixture.csrf(f.page("/t/contoso/quarantine/" + aliceRef, session).body());
        assertThat(f.form("/t/contoso/quarantine/" + bobRef + "/release", session, "csrf=" + csrf).statusCode()).isEqualTo(404);
        assertThat(f.form("/t/contoso/quarantine/" + aliceRef + "/release", session, "csrf=" + csrf).statusCode()).isEqualTo(303);
        assertThat(f.page("/t/contoso/quarantine", session).body()).doesNotContain(aliceRef);
        assertThat(json(f.get("/api/v1/tenants/contoso/quarantine", f.contosoAdmin)).toString()).contains(bobRef);
    }

    @Test
    void aUserMayNotReleaseWhenTheTenantDoesNotAllowIt() {
        f.cliWithStdin("dave-pass\n", "user", "add", "--tenant", "fabrikam", "--email", "dave@fabrikam.test", "--password-stdin");
        String ref = TestGateway.ref(f.gw.send("client.example.org", "x@example.org", "dave@fabrikam.test",
                TestGateway.wellFormed("x@example.org", "Subject: [hold] a note\r\n\r\nhi\r\n")));
        String session = f.login("dave@fabrikam.test", "dave-pass");
        String page = f.page("/t/fabrikam/quarantine/" + ref, session).body();
        HttpResponse<String> r = f.form("/t/fabrikam/quarantine/" + ref + "/release", session, "csrf=" + AdminFixture.csrf(page));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("user-release");
        assertThat(json(f.get("/api/v1/tenants/fabrikam/quarantine", f.fabrikamAdmin)).toString()).contains(ref);
    }

    @Test
    void feedbackOnAHeldMessageTeachesTheModelFile() {
        String ref = TestGateway.ref(f.gw.send("client.example.org", "promo@example.org", "alice@contoso.test",
                TestGateway.wellFormed("promo@example.org", "Subject: [hold] cheap pills\r\n\r\nbuy now\r\n")));
        Path model = dir.resolve("model.bin");
        HttpResponse<String> r = f.call("POST", "/api/v1/tenants/contoso/quarantine/" + ref + "/feedback", f.contosoAdmin, "{\"junk\": true}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(model).isRegularFile();
        assertThat(f.call("POST", "/api/v1/tenants/contoso/quarantine/" + ref + "/feedback", f.contosoAdmin, "{}").statusCode()).isEqualTo(400);
    }

    @Test
    void feedbackThroughTheApiIsUsedByTheRunningGatewayForTheNextCopy() {
        String message = TestGateway.wellFormed("club@garden.example",
                "Subject: [hold] rota for the allotment\r\n\r\nThe watering rota for next month is attached below.\r\n");
        var first = f.gw.send("client.example.org", "club@garden.example", "alice@contoso.test", message);
        double before = logOdds(f.gw.traceOf(first));
        HttpResponse<String> r = f.call("POST", "/api/v1/tenants/contoso/quarantine/" + TestGateway.ref(first) + "/feedback",
                f.contosoAdmin, "{\"junk\": true}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        double after = logOdds(f.gw.traceOf(f.gw.send("client.example.org", "club@garden.example", "alice@contoso.test", message)));
        assertThat(after).as("the running gateway classifies with the model the API wrote").isGreaterThan(before + 1);
    }

    private static double logOdds(org.postern.trace.TraceRecord t) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("log-odds (-?\\d+\\.\\d+)").matcher(t.decisions().toString());
        if (!m.find()) throw new AssertionError("no classifier log-odds in " + t.decisions());
        return Double.parseDouble(m.group(1));
    }

    @Test
    void explainAnswersForTheTenantsOwnRecipientsOnly() {
        HttpResponse<String> r = f.call("POST", "/api/v1/tenants/contoso/explain", f.contosoAdmin,
                "{\"ip\":\"192.0.2.10\",\"from\":\"x@example.org\",\"to\":[\"carol@contoso.test\"]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains("5.1.1");
        assertThat(f.call("POST", "/api/v1/tenants/contoso/explain", f.contosoAdmin,
                "{\"ip\":\"192.0.2.10\",\"from\":\"x@example.org\",\"to\":[\"a@fabrikam.test\"]}").statusCode()).isEqualTo(400);
    }

    @Test
    void openApiDocumentListsEveryApiRoute() {
        HttpResponse<String> r = f.get("/api/openapi.json", null);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode paths = json(r).path("paths");
        Set<String> documented = new HashSet<>();
        paths.fieldNames().forEachRemaining(p -> paths.get(p).fieldNames().forEachRemaining(m -> documented.add(m.toUpperCase() + " " + p)));
        Set<String> registered = new HashSet<>();
        f.gw.gateway.admin().orElseThrow().routes().stream().filter(Route::api).forEach(rt -> registered.add(rt.method() + " " + rt.path()));
        assertThat(documented).containsAll(registered);
        assertThat(registered).contains("GET /api/v1/tenants/{id}", "PUT /api/v1/tenants/{id}", "GET /api/v1/tenants/{id}/trace",
                "POST /api/v1/tenants/{id}/quarantine/{qid}/release", "POST /api/v1/tenants/{id}/ip-allow", "POST /api/v1/tenants/{id}/ip-block",
                "POST /api/v1/tenants/{id}/connectors", "POST /api/v1/tenants/{id}/transport-rules", "GET /api/v1/tenants/{id}/audit",
                "POST /api/v1/tenants/{id}/explain");
    }

    @Test
    void healthReadinessAndPrometheusMetrics() {
        assertThat(f.get("/healthz", null).statusCode()).isEqualTo(200);
        assertThat(f.get("/readyz", null).statusCode()).isEqualTo(200);
        f.gw.send("client.example.org", "s@example.org", "nobody@fabrikam.test", TestGateway.wellFormed("s@example.org", "Subject: m\r\n\r\nhi\r\n"));
        String metrics = f.get("/metrics", null).body();
        assertThat(metrics).contains("postern_messages_total{", "tenant=\"fabrikam\"", "postern_phase_seconds_bucket{", "phase=\"RCPT\"",
                "postern_queue_depth", "postern_sessions_open", "postern_classifier_seconds_count", "postern_dns_seconds");
    }
}
