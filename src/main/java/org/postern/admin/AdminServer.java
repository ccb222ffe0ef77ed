package org.postern.admin;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import org.postern.store.StoreUnavailableException;
import org.postern.tenant.TenantValidationException;
import org.postern.store.TenantDocumentStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The admin listener: REST API, console, {@code /healthz}, {@code /readyz}, {@code /metrics} and
 * {@code /api/openapi.json}. Every route comes from one table ({@link #routes()}) and runs only after
 * {@link Access} allowed it.
 */
public final class AdminServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AdminServer.class);

    /** Pages may load only the console's own stylesheet: no scripts, no remote content, no framing. */
    static final String CSP = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private final AdminServices services;
    private final Access access;
    private final List<Route> routes;
    private final Javalin app;

    private AdminServer(AdminServices services, InetSocketAddress address) {
        this.services = services;
        Sessions sessions = new Sessions(services.clock());
        this.access = new Access(services.tokens(), sessions);
        List<Route> all = new ArrayList<>(system());
        all.addAll(new AdminApi(services).routes());
        all.addAll(new Console(services, sessions).routes());
        this.routes = List.copyOf(all);
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jetty.host = address.getHostString();
            config.jetty.port = address.getPort();
            config.routes.before(ctx -> {
                ctx.header("Content-Security-Policy", CSP);
                ctx.header("X-Content-Type-Options", "nosniff");
                ctx.header("Referrer-Policy", "no-referrer");
                ctx.header("X-Frame-Options", "DENY");
                ctx.header("Cache-Control", "no-store");
            });
            for (Route r : routes) {
                Handler h = ctx -> dispatch(r, ctx);
                switch (r.method()) {
                    case "GET" -> config.routes.get(r.path(), h);
                    case "POST" -> config.routes.post(r.path(), h);
                    case "PUT" -> config.routes.put(r.path(), h);
                    case "DELETE" -> config.routes.delete(r.path(), h);
                    default -> throw new IllegalArgumentException(r.method());
                }
            }
            config.routes.exception(TenantEdits.NotFound.class, (e, ctx) -> error(ctx, 404, e.getMessage()));
            config.routes.exception(AdminApi.Denied.class, (e, ctx) -> error(ctx, 403, e.getMessage()));
            config.routes.exception(TenantValidationException.class, (e, ctx) -> error(ctx, 400, e.getMessage()));
            config.routes.exception(TenantDocumentStore.DomainConflictException.class, (e, ctx) -> error(ctx, 409, e.getMessage()));
            config.routes.exception(IllegalArgumentException.class, (e, ctx) -> error(ctx, 400, e.getMessage()));
            config.routes.exception(com.fasterxml.jackson.core.JsonProcessingException.class, (e, ctx) -> error(ctx, 400, "not valid JSON: " + e.getOriginalMessage()));
            config.routes.exception(StoreUnavailableException.class, (e, ctx) -> error(ctx, 503, "store unavailable, try again"));
            config.routes.exception(Exception.class, (e, ctx) -> {
                log.warn("admin request {} {} failed", ctx.method(), ctx.path(), e);
                error(ctx, 500, "internal error");
            });
        });
    }

    public static AdminServer start(AdminServices services, InetSocketAddress address) {
        AdminServer s = new AdminServer(services, address);
        s.app.start();
        log.info("admin listener on http://{}:{}/ (API /api/v1, console /, metrics /metrics)", address.getHostString(), s.port());
        return s;
    }

    public int port() { return app.port(); }

    /** Every route of the listener, as registered (the authorization test walks this list). */
    public List<Route> routes() { return routes; }

    private void dispatch(Route r, Context ctx) throws Exception {
        switch (access.check(r, ctx)) {
            case Access.Outcome.Allowed a -> {
                a.session().ifPresent(s -> ctx.attribute(Console.SESSION_ATTRIBUTE, s));
                r.handler().handle(ctx, a.principal());
            }
            case Access.Outcome.Unauthenticated u -> {
                if (r.api()) {
                    ctx.header("WWW-Authenticate", "Bearer realm=\"postern\"");
                    error(ctx, 401, "a valid bearer token is required");
                } else {
                    ctx.redirect("/login", io.javalin.http.HttpStatus.SEE_OTHER);
                }
            }
            case Access.Outcome.Forbidden f -> error(ctx, 403, f.why());
            case Access.Outcome.Hidden h -> error(ctx, 404, "not found");
        }
    }

    private static void error(Context ctx, int status, String message) {
        ctx.status(status);
        if (ctx.path().startsWith("/api/")) {
            AdminApi.json(ctx, TenantEdits.JSON.createObjectNode().put("error", message));
        } else {
            ctx.html(Views.render("error.jte", new Views.ErrorPage(status, message)));
        }
    }

    private List<Route> system() {
        return List.of(
                Route.get("/healthz", Route.Scope.PUBLIC, "Liveness: the process answers", (ctx, who) -> ctx.result("ok")),
                Route.get("/readyz", Route.Scope.PUBLIC, "Readiness: store reachable and SMTP listening", (ctx, who) -> {
                    boolean ready = services.ready().getAsBoolean();
                    ctx.status(ready ? 200 : 503).result(ready ? "ready" : "not ready");
                }),
                Route.get("/metrics", Route.Scope.PUBLIC, "Prometheus metrics (postern_*)", (ctx, who) ->
                        ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(services.metrics().scrape())),
                Route.get("/api/openapi.json", Route.Scope.PUBLIC, "This API's OpenAPI 3 document", (ctx, who) ->
                        AdminApi.json(ctx, OpenApi.document(routes))));
    }

    @Override
    public void close() {
        app.stop();
    }
}
