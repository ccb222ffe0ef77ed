package org.postern.edge;

import org.postern.testsupport.PosternCli;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.Postern;
import org.postern.testsupport.TestGateway;
import org.postern.testsupport.TestSmtpClient;
import org.postern.trace.DecisionEntry;
import org.postern.trace.TraceRecord;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Authenticated submission over real SMTP (issue 9 part A): AUTH only under TLS, bad credentials and lockout,
 * sender ownership, outbound filtering, recipient limits with restriction, and what is queued for the internet.
 * Outbound mail is queued with the delivery target {@code mx:}; the recipients' MX points at a closed loopback
 * port here, so it stays in the spool (deferred) where the test reads its envelope.
 */
class SubmissionTest {

    static final String HOST = "mx.sub.postern.test";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir static Path dir;
    static TestGateway gw;

    @BeforeAll
    static void start() {
        gw = new TestGateway(dir, HOST, """
                outbound: { helo: %2$s, mx-port: 1 }
                tenants:
                  - id: contoso
                    domains: [contoso.test]
                    delivery: "maildir:%1$s/mail/contoso"
                    transport-rules:
                      - { name: outbound-bulk, priority: 1, when: { direction: outbound, subject-contains: ["[bulk-test]"] }, then: { set-scl: 9 } }
                      - { name: keep-secrets, priority: 2, when: { direction: outbound, subject-contains: ["[confidential]"] }, then: { reject: "Confidential mail stays inside contoso" } }
                  - id: fabrikam
                    domains: [fabrikam.test]
                    recipients: [bob@fabrikam.test, erin@fabrikam.test]
                    delivery: "maildir:%1$s/mail/fabrikam"
                  - id: northwind
                    domains: [northwind.test]
                    delivery: "maildir:%1$s/mail/northwind"
                    outbound: { recipients-per-hour: 5, recipients-per-day: 100, on-limit: restrict }
                """.formatted(dir, HOST), Clock.systemUTC(), true);
        gw.dns.addMx("example.net", 10, "mx.example.net").addA("mx.example.net", "127.0.0.1");
        user("contoso", "alice@contoso.test", "user", "alice-pw");
        user("contoso", "locked@contoso.test", "user", "locked-pw");
        user("contoso", "admin@contoso.test", "tenant-admin", "admin-pw");
        user("fabrikam", "bob@fabrikam.test", "user", "bob-pw");
        user("northwind", "burst@northwind.test", "user", "burst-pw");
        user("northwind", "admin@northwind.test", "tenant-admin", "nw-admin-pw");
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    // --- AUTH ----------------------------------------------------------------------------------------------------

    @Test
    void offersAuthOnlyUnderTlsAndRefusesItBeforeWith530() {
        try (TestSmtpClient c = gw.submissionClient()) {
            c.greeting().assertCode(220);
            var ehlo = c.ehlo("client.example").assertCode(250);
            assertThat(ehlo.lines()).contains("STARTTLS").noneMatch(l -> l.startsWith("AUTH"));
            var refused = c.authPlain("alice@contoso.test", "alice-pw").assertCode(530);
            assertThat(refused.enhancedCode()).isEqualTo("5.7.0");
            assertThat(refused.text()).contains("[ref=");
            c.startTls(TestSmtpClient.trustAll()).assertCode(220);
            assertThat(c.ehlo("client.example").assertCode(250).lines()).contains("AUTH PLAIN LOGIN").doesNotContain("STARTTLS");
            c.authPlain("alice@contoso.test", "alice-pw").assertCode(235);
            // RFC 4954 §4: one AUTH per session.
            assertThat(c.authPlain("alice@contoso.test", "alice-pw").code()).isEqualTo(503);
        }
    }

    @Test
    void theMxListenerNeverOffersAuth() {
        try (TestSmtpClient c = gw.client()) {
            c.greeting().assertCode(220);
            c.ehlo("client.example").assertCode(250);
            c.startTls(TestSmtpClient.trustAll()).assertCode(220);
            assertThat(c.ehlo("client.example").assertCode(250).lines()).noneMatch(l -> l.startsWith("AUTH"));
            assertThat(c.authPlain("alice@contoso.test", "alice-pw").code()).isEqualTo(502);
        }
    }

    @Test
    void acceptsLoginMechanismAndRefusesBadCredentialsWith535Traced() {
        try (TestSmtpClient c = tls(gw.submissionClient())) {
            c.command("AUTH LOGIN").assertCode(334);
            assertThat(c.command(b64("bob@fabrikam.test")).assertCode(334).text()).isEqualTo(b64("Password:"));
            var bad = c.command(b64("Tr0ub4dor-guess")).assertCode(535);
            assertThat(bad.enhancedCode()).isEqualTo("5.7.8");
            TraceRecord t = gw.traceOf(bad);
            assertThat(t.decisions()).extracting(DecisionEntry::reason).anyMatch(r -> r.startsWith("submission.auth-failed: AUTH as bob@fabrikam.test"));
            assertThat(t.decisions()).extracting(DecisionEntry::reason).noneMatch(r -> r.contains("Tr0ub4dor"));
            c.command("AUTH LOGIN " + b64("bob@fabrikam.test")).assertCode(334);
            c.command(b64("bob-pw")).assertCode(235);
        }
    }

    @Test
    void cancelledOrUndecodableAuthIsRefusedPrecisely() {
        try (TestSmtpClient c = tls(gw.submissionClient())) {
            c.command("AUTH PLAIN").assertCode(334);
            assertThat(c.command("*").code()).isEqualTo(501);
            assertThat(c.command("AUTH PLAIN !!notbase64!!").code()).isEqualTo(501);
            assertThat(c.command("AUTH CRAM-MD5").code()).isEqualTo(504);
        }
    }

    @Test
    void locksOutAUserAfterFiveFailuresEvenWithTheRightPassword() {
        try (TestSmtpClient c = tls(gw.submissionClient())) {
            for (int i = 0; i < 5; i++) c.authPlain("locked@contoso.test", "guess-" + i).assertCode(535);
            var locked = c.authPlain("locked@contoso.test", "locked-pw").assertCode(454);
            assertThat(locked.enhancedCode()).isEqualTo("4.7.0");
            assertThat(gw.traceOf(locked).decisions()).extracting(DecisionEntry::reason)
                    .anyMatch(r -> r.startsWith("submission.auth-locked: user locked@contoso.test locked after 5 failed"));
        }
        // Another user from the same address is not locked out by that.
        try (TestSmtpClient c = tls(gw.submissionClient())) {
            c.authPlain("admin@contoso.test", "admin-pw").assertCode(235);
        }
    }

    @Test
    void locksOutAClientAddressThatSpraysManyUsers() {
        int port = gw.gateway.submissionPort("submission").orElseThrow();
        try (TestSmtpClient c = tls(TestSmtpClient.connectFrom("127.0.0.9", port))) {
            for (int i = 0; i < 10; i++) c.authPlain("nobody" + i + "@contoso.test", "x").assertCode(535);
            var locked = c.authPlain("alice@contoso.test", "alice-pw").assertCode(454);
            assertThat(gw.traceOf(locked).decisions()).extracting(DecisionEntry::reason)
                    .anyMatch(r -> r.startsWith("submission.auth-locked: client 127.0.0.9"));
        }
        try (TestSmtpClient c = tls(TestSmtpClient.connectFrom("127.0.0.10", port))) {
            c.authPlain("alice@contoso.test", "alice-pw").assertCode(235);
        }
    }

    // --- what is queued ---------------------------------------------------------------------------------------------

    @Test
    void queuesAuthenticatedMailForTheInternetMarkedOutboundWithUserAndTenant() throws IOException {
        TestSmtpClient.Reply reply;
        try (TestSmtpClient c = login(gw.submissionClient(), "alice@contoso.test", "alice-pw")) {
            reply = c.send("alice@contoso.test", List.of("carol@example.net", "dave@example.net"),
                    TestGateway.wellFormed("Alice <alice@contoso.test>", "Subject: quarterly numbers\r\n\r\nHello Carol\r\n"));
        }
        reply.assertCode(250);
        JsonNode env = queued(TestGateway.ref(reply));
        assertThat(env.get("direction").asText()).isEqualTo("OUTBOUND");
        assertThat(env.get("tenant").asText()).isEqualTo("contoso");
        assertThat(env.get("authUser").asText()).isEqualTo("alice@contoso.test");
        assertThat(env.get("deliveryTarget").asText()).isEqualTo("mx:");
        assertThat(env.get("highRisk").asBoolean()).isFalse();
        assertThat(env.get("recipients")).extracting(JsonNode::asText).containsExactly("carol@example.net", "dave@example.net");
        assertThat(env.get("prependHeaders").asText()).startsWith("Received: from client.example").contains("with ESMTPSA")
                .doesNotContain("X-Postern-Report");
        TraceRecord t = gw.traceOf(reply);
        assertThat(t.tenant()).contains("contoso");
        assertThat(t.decisions()).extracting(DecisionEntry::reason)
                .anyMatch(r -> r.startsWith("submission.auth: AUTH PLAIN as alice@contoso.test of tenant contoso"))
                .anyMatch(r -> r.startsWith("outbound.deliver"));
    }

    @Test
    void anOrdinaryMessageFromAMailClientIsNotHighRiskThoughItsHeloIsALiteralAndNothingIsSignedYet() throws IOException {
        // The tenant publishes DMARC p=reject; the message is unsigned until delivery signs it, the client says EHLO with
        // its private address literal: neither says anything about the content of mail the tenant sends.
        gw.dns.addTxt("_dmarc.contoso.test", "v=DMARC1; p=reject");
        TestSmtpClient.Reply reply;
        try (TestSmtpClient c = gw.submissionClient()) {
            c.greeting().assertCode(220);
            c.ehlo("[192.168.1.10]").assertCode(250);
            c.startTls(TestSmtpClient.trustAll()).assertCode(220);
            c.ehlo("[192.168.1.10]").assertCode(250);
            c.authPlain("alice@contoso.test", "alice-pw").assertCode(235);
            reply = c.send("alice@contoso.test", List.of("judy@example.net"), TestGateway.wellFormed("Alice Example <alice@contoso.test>",
                    "To: Judy <judy@example.net>\r\nSubject: Minutes of Tuesday's meeting\r\n\r\n"
                            + "Hi Judy,\r\n\r\nattached are the minutes; the next meeting is on the 14th at 10:00.\r\n\r\nAlice\r\n"));
        }
        reply.assertCode(250);
        assertThat(queued(TestGateway.ref(reply)).get("highRisk").asBoolean()).isFalse();
        assertThat(gw.traceOf(reply).scl().orElseThrow()).isLessThan(5);
    }

    @Test
    void colleaguesInTheSameTenantGetItInsideTheRestByMx() throws Exception {
        TestSmtpClient.Reply reply;
        try (TestSmtpClient c = login(gw.submissionClient(), "alice@contoso.test", "alice-pw")) {
            reply = c.send("alice@contoso.test", List.of("bob@contoso.test", "kim@example.net"),
                    TestGateway.wellFormed("alice@contoso.test", "Subject: for Bob and Kim\r\n\r\nhello both\r\n"));
        }
        reply.assertCode(250);
        assertThat(queued(TestGateway.ref(reply)).get("recipients")).extracting(JsonNode::asText).containsExactly("kim@example.net");
        String delivered = awaitMaildir(dir.resolve("mail/contoso/bob@contoso.test"), Duration.ofSeconds(10));
        assertThat(delivered).contains("Subject: for Bob and Kim").contains("with ESMTPSA");
    }

    @Test
    void aColleagueMustBeKnownAndMayNotRouteOnward() {
        try (TestSmtpClient c = login(gw.submissionClient(), "bob@fabrikam.test", "bob-pw")) {
            c.mailFrom("bob@fabrikam.test").assertCode(250);
            var unknown = c.rcptTo("nobody@fabrikam.test").assertCode(550);
            assertThat(unknown.enhancedCode()).isEqualTo("5.1.1");
            assertThat(c.rcptTo("erin%victim.test@fabrikam.test").code()).isEqualTo(554);
            c.rcptTo("erin@fabrikam.test").assertCode(250);
        }
    }

    @Test
    void implicitTlsListenerAuthenticatesAtOnce() throws IOException {
        TestSmtpClient.Reply reply;
        try (TestSmtpClient c = gw.submissionsClient()) {
            c.greeting().assertCode(220);
            assertThat(c.ehlo("client.example").assertCode(250).lines()).contains("AUTH PLAIN LOGIN").doesNotContain("STARTTLS");
            c.authPlain("bob@fabrikam.test", "bob-pw").assertCode(235);
            reply = c.send("bob@fabrikam.test", List.of("erin@example.net"),
                    TestGateway.wellFormed("bob@fabrikam.test", "Subject: over 465\r\n\r\nhi\r\n"));
        }
        reply.assertCode(250);
        assertThat(queued(TestGateway.ref(reply)).get("authUser").asText()).isEqualTo("bob@fabrikam.test");
    }

    @Test
    void spamVerdictOutboundGoesThroughTheHighRiskPool() throws IOException {
        TestSmtpClient.Reply reply;
        try (TestSmtpClient c = login(gw.submissionClient(), "alice@contoso.test", "alice-pw")) {
            reply = c.send("alice@contoso.test", List.of("frank@example.net"),
                    TestGateway.wellFormed("alice@contoso.test", "Subject: [bulk-test] buy now\r\n\r\ncheap\r\n"));
        }
        reply.assertCode(250);
        assertThat(queued(TestGateway.ref(reply)).get("highRisk").asBoolean()).isTrue();
        assertThat(gw.traceOf(reply).decisions()).extracting(DecisionEntry::reason).anyMatch(r -> r.startsWith("outbound.high-risk: SCL 9"));
    }

    @Test
    void outboundMalwareIsRefused() {
        String eicar = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";
        String message = TestGateway.wellFormed("alice@contoso.test", """
                Subject: see attached
                MIME-Version: 1.0
                Content-Type: multipart/mixed; boundary="b1"

                --b1
                Content-Type: text/plain

                see attached
                --b1
                Content-Type: application/octet-stream; name="eicar.com"
                Content-Disposition: attachment; filename="eicar.com"
                Content-Transfer-Encoding: base64

                %s
                --b1--
                """.formatted(Base64.getEncoder().encodeToString(eicar.getBytes(StandardCharsets.US_ASCII))).replace("\n", "\r\n"));
        try (TestSmtpClient c = login(gw.submissionClient(), "alice@contoso.test", "alice-pw")) {
            var refused = c.send("alice@contoso.test", List.of("grace@example.net"), message).assertCode(550);
            assertThat(refused.enhancedCode()).isEqualTo("5.7.1");
            assertThat(refused.text()).contains("EICAR-Test-File");
        }
    }

    @Test
    void aTenantsOutboundTransportRuleRejectsWithItsOwnText() {
        try (TestSmtpClient c = login(gw.submissionClient(), "alice@contoso.test", "alice-pw")) {
            var refused = c.send("alice@contoso.test", List.of("ivan@example.net"),
                    TestGateway.wellFormed("alice@contoso.test", "Subject: [confidential] plans\r\n\r\nsecret\r\n")).assertCode(550);
            assertThat(refused.text()).contains("Confidential mail stays inside contoso");
        }
    }

    // --- sender ownership ------------------------------------------------------------------------------------------

    @Test
    void refusesMailFromAnotherTenantsDomainWith550Traced() {
        try (TestSmtpClient c = login(gw.submissionClient(), "alice@contoso.test", "alice-pw")) {
            var refused = c.mailFrom("ceo@fabrikam.test").assertCode(550);
            assertThat(refused.enhancedCode()).isEqualTo("5.7.1");
            TraceRecord t = gw.traceOf(refused);
            assertThat(t.tenant()).contains("contoso");
            assertThat(t.decisions()).extracting(DecisionEntry::reason)
                    .anyMatch(r -> r.startsWith("submission.sender-not-owned: ceo@fabrikam.test is not an address of tenant contoso"));
            assertThat(c.mailFrom("someone@example.org").code()).isEqualTo(550);
            assertThat(c.mailFrom("").code()).isEqualTo(550);
            c.mailFrom("alice@contoso.test").assertCode(250);
        }
    }

    @Test
    void refusesAHeaderFromOfAnotherTenantWith550() {
        try (TestSmtpClient c = login(gw.submissionClient(), "alice@contoso.test", "alice-pw")) {
            var refused = c.send("alice@contoso.test", List.of("heidi@example.net"),
                    TestGateway.wellFormed("CEO <ceo@fabrikam.test>", "Subject: wire transfer\r\n\r\npay now\r\n")).assertCode(550);
            assertThat(refused.enhancedCode()).isEqualTo("5.7.1");
            assertThat(refused.text()).contains("From: domain fabrikam.test is not a domain of tenant contoso");
        }
    }

    @Test
    void explainWithAuthAsksTheOutboundQuestions() {
        String refused = cli("explain", "--ip", "127.0.0.1", "--helo", "laptop.contoso.test", "--auth", "alice@contoso.test",
                "--from", "ceo@fabrikam.test", "--to", "x@example.net", "--json");
        assertThat(refused).contains("\"outcome\":\"reject\"").contains("submission.sender-not-owned").contains("550 5.7.1");
        String relayed = cli("explain", "--ip", "127.0.0.1", "--helo", "laptop.contoso.test", "--auth", "alice@contoso.test",
                "--from", "alice@contoso.test", "--to", "x@example.net", "--json");
        assertThat(relayed).contains("\"outcome\":\"accept\"").contains("outbound.deliver");
        // Without --auth the same envelope is an outsider's relay attempt.
        String outsider = cli("explain", "--ip", "127.0.0.1", "--from", "alice@contoso.test", "--to", "x@example.net", "--json");
        assertThat(outsider).contains("tenant.relay-denied");
    }

    // --- limits ----------------------------------------------------------------------------------------------------

    @Test
    void theSixthRecipientOverFiveAnHourIsRefusedTheUserRestrictedAndTheAdminsTold() throws Exception {
        try (TestSmtpClient c = login(gw.submissionClient(), "burst@northwind.test", "burst-pw")) {
            c.mailFrom("burst@northwind.test").assertCode(250);
            for (int i = 1; i <= 5; i++) c.rcptTo("r" + i + "@example.net").assertCode(250);
            var sixth = c.rcptTo("r6@example.net").assertCode(550);
            assertThat(sixth.enhancedCode()).isEqualTo("5.7.1");
            assertThat(sixth.text()).contains("reached 5 recipients-per-hour");
            c.data(TestGateway.wellFormed("burst@northwind.test", "Subject: five\r\n\r\nhi\r\n")).assertCode(250);
            var restricted = c.mailFrom("burst@northwind.test").assertCode(550);
            assertThat(restricted.text()).contains("restricted");
            assertThat(gw.traceOf(restricted).decisions()).extracting(DecisionEntry::reason)
                    .anyMatch(r -> r.startsWith("submission.user-restricted: burst@northwind.test"));
        }
        // The restriction is in the store: a new connection is refused too.
        try (TestSmtpClient c = login(gw.submissionClient(), "burst@northwind.test", "burst-pw")) {
            c.mailFrom("burst@northwind.test").assertCode(550);
        }
        String notice = awaitMaildir(dir.resolve("mail/northwind/admin@northwind.test"), Duration.ofSeconds(10));
        assertThat(notice).contains("Subject: Outbound limit reached: burst@northwind.test is restricted from sending")
                .contains("./postern user unrestrict --config FILE --tenant northwind --email burst@northwind.test");

        // Lifted with the CLI...
        assertThat(cli("user", "unrestrict", "--tenant", "northwind", "--email", "burst@northwind.test")).contains("may send again");
        try (TestSmtpClient c = login(gw.submissionClient(), "burst@northwind.test", "burst-pw")) {
            c.mailFrom("burst@northwind.test").assertCode(250);
            // The hour is still used up: the next recipient restricts the user again.
            c.rcptTo("r7@example.net").assertCode(550);
            c.rset().assertCode(250);
            c.mailFrom("burst@northwind.test").assertCode(550);
        }
        // ... and with the API, by the tenant's admin only.
        String nwAdmin = cli("token", "create", "--tenant", "northwind", "--role", "tenant-admin");
        String contosoAdmin = cli("token", "create", "--tenant", "contoso", "--role", "tenant-admin");
        String path = "/api/v1/tenants/northwind/users/burst@northwind.test/unrestrict";
        assertThat(post(path, contosoAdmin).statusCode()).isIn(403, 404);
        assertThat(post(path.replace("northwind/users", "contoso/users"), contosoAdmin).statusCode()).isEqualTo(404);
        var lifted = post(path, nwAdmin);
        assertThat(lifted.statusCode()).as("token %s: %s", nwAdmin, lifted.body()).isEqualTo(200);
        assertThat(lifted.body()).contains("\"unrestricted\":true");
        try (TestSmtpClient c = login(gw.submissionClient(), "burst@northwind.test", "burst-pw")) {
            c.mailFrom("burst@northwind.test").assertCode(250);
        }
    }

    // --- helpers ---------------------------------------------------------------------------------------------------

    static TestSmtpClient tls(TestSmtpClient c) {
        c.greeting().assertCode(220);
        c.ehlo("client.example").assertCode(250);
        c.startTls(TestSmtpClient.trustAll()).assertCode(220);
        c.ehlo("client.example").assertCode(250);
        return c;
    }

    static TestSmtpClient login(TestSmtpClient c, String user, String password) {
        tls(c).authPlain(user, password).assertCode(235);
        return c;
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /** The envelope the spool holds for the reference (outbound mail stays deferred: its MX port is closed). */
    static JsonNode queued(String ref) throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("spool/queue"))) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".env.json")).toList()) {
                JsonNode env;
                try {
                    env = JSON.readTree(f.toFile());
                } catch (java.io.FileNotFoundException delivered) {
                    continue; // another message's envelope, delivered (and removed) since the listing
                }
                if (env.get("ref").asText().equals(ref) && env.get("direction").asText().equals("OUTBOUND")) return env;
            }
        }
        throw new AssertionError("nothing queued for " + ref);
    }

    static String awaitMaildir(Path maildir, Duration timeout) throws IOException, InterruptedException {
        long until = System.nanoTime() + timeout.toNanos();
        Path fresh = maildir.resolve("new");
        while (System.nanoTime() < until) {
            if (Files.isDirectory(fresh)) {
                try (Stream<Path> files = Files.list(fresh)) {
                    Optional<Path> first = files.findFirst();
                    if (first.isPresent()) return Files.readString(first.get());
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("nothing delivered to " + maildir);
    }

    static HttpResponse<String> post(String path, String token) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw.gateway.adminPort() + path))
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    static void user(String tenant, String email, String role, String password) {
        cliWithStdin(password + "\n", "user", "add", "--tenant", tenant, "--email", email, "--role", role, "--password-stdin");
    }

    static String cli(String... args) {
        return cliWithStdin("", args);
    }

    static String cliWithStdin(String stdin, String... args) {
        return cliWith(gw, stdin, args);
    }

    /** Runs the real CLI against a gateway's configuration (its store); returns the last line printed. */
    static String cliWith(TestGateway gw, String stdin, String... args) {
        return PosternCli.runWithInput(stdin, PosternCli.withConfig(gw.configFile, args)).ok().lastLine();
    }
}
