package org.postern.admin;

import org.postern.testsupport.PosternCli;
import org.postern.testsupport.TestGateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A running gateway with its admin listener, two tenants (contoso, fabrikam), tokens and console users made with
 * the real CLI ({@code token create}, {@code user add}), and an HTTP client that does not follow redirects.
 */
final class AdminFixture implements AutoCloseable {

    static final String TENANTS = """
            tenants:
              - id: contoso
                domains: [contoso.test]
                recipients: [alice@contoso.test, bob@contoso.test]
                delivery: "maildir:%1$s/mail/contoso"
                quarantine: { user-release: true }
                transport-rules:
                  - { name: hold-invoices, priority: 1, when: { subject-contains: ["[hold]"] }, then: { quarantine: true } }
              - id: fabrikam
                domains: [fabrikam.test]
                delivery: "maildir:%1$s/mail/fabrikam"
                transport-rules:
                  - { name: hold-notes, priority: 1, when: { subject-contains: ["[hold]"] }, then: { quarantine: true } }
            """;

    final TestGateway gw;
    final String operator;
    final String contosoAdmin;
    final String fabrikamAdmin;
    final String contosoUser;
    final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();

    AdminFixture(Path dir) {
        this.gw = new TestGateway(dir, "mx.admin.postern.test", TENANTS.formatted(dir));
        this.operator = cli("token", "create", "--role", "operator");
        this.contosoAdmin = cli("token", "create", "--tenant", "contoso", "--role", "tenant-admin");
        this.fabrikamAdmin = cli("token", "create", "--tenant", "fabrikam", "--role", "tenant-admin");
        this.contosoUser = cli("token", "create", "--tenant", "contoso", "--role", "user");
        cliWithStdin("admin-pass-1\n", "user", "add", "--tenant", "contoso", "--email", "admin@contoso.test", "--role", "tenant-admin", "--password-stdin");
        cliWithStdin("admin-pass-2\n", "user", "add", "--tenant", "fabrikam", "--email", "admin@fabrikam.test", "--role", "tenant-admin", "--password-stdin");
        cliWithStdin("alice-pass\n", "user", "add", "--tenant", "contoso", "--email", "alice@contoso.test", "--password-stdin");
    }

    String base() { return "http://127.0.0.1:" + gw.gateway.adminPort(); }

    /** Runs the CLI against the gateway's configuration; returns the last line of its output. */
    String cli(String... args) { return cliWithStdin("", args); }

    String cliWithStdin(String stdin, String... args) {
        return PosternCli.runWithInput(stdin, PosternCli.withConfig(gw.configFile, args)).ok().lastLine();
    }

    HttpResponse<String> call(String method, String path, String token, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) b.header("Authorization", "Bearer " + token);
        if (body != null) b.header("Content-Type", "application/json");
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(method + " " + path + ": " + e, e);
        }
    }

    HttpResponse<String> get(String path, String token) { return call("GET", path, token, null); }

    /** Logs in through the console form; returns the session cookie value. */
    String login(String email, String password) {
        HttpResponse<String> r = form("/login", null, "email=" + enc(email) + "&password=" + enc(password));
        if (r.statusCode() != 303) throw new AssertionError("login failed: " + r.statusCode() + " " + r.body());
        String cookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        return cookie.substring(cookie.indexOf('=') + 1, cookie.indexOf(';'));
    }

    HttpResponse<String> form(String path, String session, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body));
        if (session != null) b.header("Cookie", Access.SESSION_COOKIE + "=" + session);
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(path + ": " + e, e);
        }
    }

    HttpResponse<String> page(String path, String session) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(20)).GET();
        if (session != null) b.header("Cookie", Access.SESSION_COOKIE + "=" + session);
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(path + ": " + e, e);
        }
    }

    /** The CSRF token a page's forms carry. */
    static String csrf(String html) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(html);
        if (!m.find()) throw new AssertionError("no csrf field in page");
        return m.group(1);
    }

    static String enc(String s) { return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8); }

    @Override
    public void close() { gw.close(); }
}
