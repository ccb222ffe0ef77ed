package org.postern.admin;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Walks every route the admin listener registered and calls it without credentials, with a bad token, and as
 * contoso's admin against fabrikam's id: a new route that skips the check fails here. Public routes are a short,
 * named list.
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class EveryRouteIsAuthorizedTest {

    @TempDir static Path dir;
    static AdminFixture f;

    @BeforeAll
    static void start() { f = new AdminFixture(dir); }

    @AfterAll
    static void stop() { if (f != null) f.close(); }

    private static String concrete(Route r, String tenant) {
        return r.path().replace("{id}", tenant).replace("{ref}", "NOSUCHREF").replace("{qid}", "NOSUCHID").replace("{email}", "nobody@fabrikam.test");
    }

    @Test
    void onlyTheNamedRoutesArePublic() {
        List<String> pub = f.gw.gateway.admin().orElseThrow().routes().stream().filter(r -> r.scope() == Route.Scope.PUBLIC)
                .map(r -> r.method() + " " + r.path()).toList();
        assertThat(pub).containsExactlyInAnyOrder("GET /healthz", "GET /readyz", "GET /metrics", "GET /api/openapi.json",
                "GET /console.css", "GET /login", "POST /login");
    }

    @Test
    void everyProtectedRouteRefusesNoCredentialBadCredentialAndAnotherTenant() {
        String session = f.login("admin@contoso.test", "admin-pass-1");
        String csrf = AdminFixture.csrf(f.page("/t/contoso/trace", session).body());
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (Route r : f.gw.gateway.admin().orElseThrow().routes()) {
            if (r.scope() == Route.Scope.PUBLIC) continue;
            checked++;
            String other = concrete(r, "fabrikam");
            String body = r.method().equals("GET") || r.method().equals("DELETE") ? null : "{}";
            if (r.api()) {
                expect(failures, r, "no token", f.call(r.method(), other, null, body), 401);
                expect(failures, r, "bad token", f.call(r.method(), other, "pst_not-a-token", body), 401);
                int want = r.scope() == Route.Scope.OPERATOR ? 403 : 404;
                if (r.scope() != Route.Scope.AUTHENTICATED) expect(failures, r, "contoso admin", f.call(r.method(), other, f.contosoAdmin, body), want);
            } else {
                HttpResponse<String> anon = r.method().equals("GET") ? f.page(other, null) : f.form(other, null, "csrf=x");
                if (anon.statusCode() != 303 || !anon.headers().firstValue("Location").orElse("").endsWith("/login")) {
                    failures.add(r.method() + " " + r.path() + " without session: " + anon.statusCode());
                }
                HttpResponse<String> bad = r.method().equals("GET") ? f.page(other, "forged") : f.form(other, "forged", "csrf=x");
                if (bad.statusCode() != 303) failures.add(r.method() + " " + r.path() + " forged session: " + bad.statusCode());
                if (r.scope() == Route.Scope.AUTHENTICATED) continue;
                HttpResponse<String> cross = r.method().equals("GET") ? f.page(other, session) : f.form(other, session, "csrf=" + csrf);
                int want = r.scope() == Route.Scope.OPERATOR ? 403 : 404;
                if (cross.statusCode() != want) failures.add(r.method() + " " + r.path() + " as contoso admin on fabrikam: " + cross.statusCode() + ", want " + want);
            }
        }
        assertThat(checked).isGreaterThan(30);
        assertThat(failures).isEmpty();
    }

    @Test
    void consolePostWithoutTheSessionsCsrfTokenIsRefused() {
        String session = f.login("admin@contoso.test", "admin-pass-1");
        HttpResponse<String> r = f.form("/t/contoso/ip-block/add", session, "cidr=192.0.2.0/24&csrf=wrong");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(f.page("/t/contoso/settings", session).body()).doesNotContain("192.0.2.0/24");
    }

    @Test
    void sessionCookieIsSecureHttpOnlyStrictAndPagesCarryCsp() {
        HttpResponse<String> r = f.form("/login", null, "email=admin%40contoso.test&password=admin-pass-1");
        String cookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).contains("HttpOnly", "Secure", "SameSite=Strict");
        HttpResponse<String> page = f.page("/login", null);
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("default-src 'none'").doesNotContain("script-src");
    }

    @Test
    @org.junit.jupiter.api.Order(Integer.MAX_VALUE) // last: it locks the loopback address out of logins for five minutes
    void repeatedFailedLoginsAreRateLimitedWith429() {
        int last = 0;
        for (int i = 0; i < Sessions.MAX_FAILURES + 1; i++) {
            last = f.form("/login", null, "email=mallory%40fabrikam.test&password=guess" + i).statusCode();
        }
        assertThat(last).isEqualTo(429);
    }

    private static void expect(List<String> failures, Route r, String who, HttpResponse<String> resp, int want) {
        if (resp.statusCode() != want) failures.add(r.method() + " " + r.path() + " " + who + ": " + resp.statusCode() + ", want " + want);
    }
}
