package org.postern.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import org.postern.account.Principal;
import org.postern.account.Role;
import org.postern.quarantine.QuarantinedMessage;
import org.postern.trace.DecisionEntry;
import org.postern.trace.DeliveryEvent;
import org.postern.trace.TraceQuery;
import org.postern.trace.TraceRecord;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.postern.admin.Links.url;
import static org.postern.admin.Route.Scope.AUTHENTICATED;
import static org.postern.admin.Route.Scope.PUBLIC;
import static org.postern.admin.Route.Scope.TENANT_ADMIN;
import static org.postern.admin.Route.Scope.TENANT_MEMBER;

/**
 * The web console: server-rendered pages over the same services as the API. Handlers gather each page's model and
 * hand it to its template ({@link Views}); nothing here writes markup. A tenant admin lands on the message
 * trace, whose first field is the reference id from an SMTP refusal; a user on their quarantine.
 */
final class Console {

    static final String SESSION_ATTRIBUTE = "postern.session";
    private static final String T = "/t/{id}";
    private static final String CSS = stylesheet();

    private final AdminServices s;
    private final Sessions sessions;
    private final TenantEdits edits;

    Console(AdminServices services, Sessions sessions) {
        this.s = services;
        this.sessions = sessions;
        this.edits = new TenantEdits(services.catalog(), services.audit());
    }

    List<Route> routes() {
        List<Route> r = new ArrayList<>();
        r.add(Route.get("/console.css", PUBLIC, "Console stylesheet", (ctx, who) -> ctx.contentType("text/css").result(CSS)));
        r.add(Route.get("/login", PUBLIC, "Login page", (ctx, who) -> ctx.html(loginPage(""))));
        r.add(Route.post("/login", PUBLIC, "Log in (rate limited)", this::login));
        r.add(Route.post("/logout", AUTHENTICATED, "Log out", this::logout));
        r.add(Route.get("/", AUTHENTICATED, "Home: dashboard (operator) or the tenant's trace", this::home));
        r.add(Route.get("/dashboard", Route.Scope.OPERATOR, "Operator dashboard", (ctx, who) -> ctx.html(Views.render("dashboard.jte", new Dashboard(s).page(nav(ctx, who))))));
        r.add(Route.get(T + "/trace", TENANT_ADMIN, "Message trace search", this::trace));
        r.add(Route.get(T + "/messages/{ref}", TENANT_ADMIN, "Message detail with its decision chain", this::message));
        r.add(Route.get(T + "/quarantine", TENANT_MEMBER, "Quarantine", this::quarantine));
        r.add(Route.get(T + "/quarantine/{qid}", TENANT_MEMBER, "A held message: safe preview", this::held));
        r.add(Route.post(T + "/quarantine/{qid}/release", TENANT_MEMBER, "Release a held message", this::release));
        r.add(Route.post(T + "/quarantine/{qid}/delete", TENANT_MEMBER, "Delete a held message", this::deleteHeld));
        r.add(Route.get(T + "/settings", TENANT_ADMIN, "Allow/block lists, connectors, rules, anti-spam", this::settings));
        for (String list : List.of("ip-allow", "ip-block")) {
            r.add(Route.post(T + "/" + list + "/add", TENANT_ADMIN, "Add a " + list + " entry", (ctx, who) -> addIp(ctx, who, list)));
            r.add(Route.post(T + "/" + list + "/remove", TENANT_ADMIN, "Remove a " + list + " entry", (ctx, who) -> removeIp(ctx, who, list)));
        }
        r.add(Route.post(T + "/anti-spam", TENANT_ADMIN, "Set the anti-spam thresholds", this::antiSpam));
        r.add(Route.get(T + "/audit", TENANT_ADMIN, "Audit log", this::audit));
        return r;
    }

    // ---------------------------------------------------------------- login

    private void login(Context ctx, Optional<Principal> ignored) {
        String email = Optional.ofNullable(ctx.formParam("email")).orElse("").strip();
        String password = Optional.ofNullable(ctx.formParam("password")).orElse("");
        if (sessions.throttled(ctx.ip(), email)) {
            ctx.status(429).header("Retry-After", Long.toString(Sessions.WINDOW.toSeconds()))
                    .html(loginPage("Too many failed logins. Wait a few minutes and try again."));
            return;
        }
        // An API token in the password field logs in as the token's principal: the operator has no account.
        Optional<Principal> who = password.startsWith("pst_") ? s.tokens().resolve(password)
                : email.isEmpty() ? Optional.<Principal>empty() : s.accounts().verify(email, password).map(a -> a.principal());
        if (who.isEmpty()) {
            sessions.failed(ctx.ip(), email);
            ctx.status(401).html(loginPage("Wrong address or password."));
            return;
        }
        Sessions.Session session = sessions.open(who.get());
        ctx.header("Set-Cookie", Access.SESSION_COOKIE + "=" + session.id() + "; Path=/; HttpOnly; Secure; SameSite=Strict");
        ctx.redirect("/", HttpStatus.SEE_OTHER);
    }

    private void logout(Context ctx, Optional<Principal> who) {
        session(ctx).ifPresent(x -> sessions.close(x.id()));
        ctx.header("Set-Cookie", Access.SESSION_COOKIE + "=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Strict");
        ctx.redirect("/login", HttpStatus.SEE_OTHER);
    }

    private static String loginPage(String error) {
        return Views.render("login.jte", new Views.Login(error));
    }

    private void home(Context ctx, Optional<Principal> who) {
        Principal p = who.get();
        String target = p.role() == Role.OPERATOR ? "/dashboard"
                : "/t/" + url(p.tenant().get()) + (p.role() == Role.USER ? "/quarantine" : "/trace");
        ctx.redirect(target, HttpStatus.SEE_OTHER);
    }

    // ---------------------------------------------------------------- trace

    private void trace(Context ctx, Optional<Principal> who) {
        String id = AdminApi.id(ctx);
        TraceQuery q = AdminApi.query(ctx, Optional.of(id), s.clock());
        List<TraceRecord> found = s.trace().search(q);
        if (found.size() == 1 && q.ref().isPresent()) {
            ctx.redirect("/t/" + url(id) + "/messages/" + url(found.get(0).ref()), HttpStatus.SEE_OTHER);
            return;
        }
        var search = new Views.Search(param(ctx, "ref"), param(ctx, "sender"), param(ctx, "recipient"), param(ctx, "status"), param(ctx, "since"));
        String older = found.size() == q.limit() ? nextPage(ctx, q.offset() + q.limit()) : null;
        ctx.html(Views.render("trace.jte", new Views.Trace(nav(ctx, who), id, search, found, older)));
    }

    private void message(Context ctx, Optional<Principal> who) {
        TraceRecord r = AdminApi.record(s, AdminApi.id(ctx), ctx.pathParam("ref"));
        List<DeliveryEvent> deliveries = s.trace().deliveries(r.ref());
        String client = r.clientIp() + r.helo().map(h -> " (HELO " + h + ")").orElse("") + r.tls().map(t -> ", " + t).orElse(", no TLS");
        List<Views.Step> steps = new ArrayList<>();
        for (DecisionEntry d : r.decisions()) {
            int slash = d.stage().indexOf('/');
            steps.add(new Views.Step(slash > 0 ? d.stage().substring(0, slash) : d.stage(), slash > 0 ? d.stage().substring(slash + 1) : "",
                    d.reason(), d.setting(), d.outcome()));
        }
        ctx.html(Views.render("message.jte", new Views.Message(nav(ctx, who), r, client, r.mailFrom().map(m -> m.isEmpty() ? "<>" : m).orElse("-"),
                r.scl().isPresent() ? Integer.toString(r.scl().getAsInt()) : "-", org.postern.trace.TraceJson.deliveredBy(deliveries).orElse("-"),
                steps, deliveries)));
    }

    // ---------------------------------------------------------------- quarantine

    private void quarantine(Context ctx, Optional<Principal> who) throws IOException {
        String id = AdminApi.id(ctx);
        List<QuarantinedMessage> held = AdminApi.visible(s, id, who.get());
        ctx.html(Views.render("quarantine.jte", new Views.Quarantine(nav(ctx, who), id, ctx.queryParam("done"), held)));
    }

    private void held(Context ctx, Optional<Principal> who) throws IOException {
        QuarantinedMessage m = AdminApi.heldFor(s, ctx, who.get());
        String preview;
        try (InputStream in = s.quarantine().open(m.tenant(), m.id())) {
            preview = Preview.text(in);
        }
        ctx.html(Views.render("held.jte", new Views.Held(nav(ctx, who), m, preview)));
    }

    private void release(Context ctx, Optional<Principal> who) throws IOException {
        QuarantinedMessage m = AdminApi.heldFor(s, ctx, who.get());
        AdminApi.releaseChecked(s, m, who.get());
        ctx.redirect("/t/" + url(m.tenant()) + "/quarantine?done=" + url("Released " + m.id() + "; it is being delivered."), HttpStatus.SEE_OTHER);
    }

    private void deleteHeld(Context ctx, Optional<Principal> who) throws IOException {
        QuarantinedMessage m = AdminApi.heldFor(s, ctx, who.get());
        s.quarantine().delete(m.tenant(), m.id());
        ctx.redirect("/t/" + url(m.tenant()) + "/quarantine?done=" + url("Deleted " + m.id() + "."), HttpStatus.SEE_OTHER);
    }

    // ---------------------------------------------------------------- settings

    private void settings(Context ctx, Optional<Principal> who) {
        String id = AdminApi.id(ctx);
        ObjectNode doc = edits.document(id);
        List<Views.IpList> lists = new ArrayList<>();
        for (String list : List.of("ip-allow", "ip-block")) {
            List<Views.IpEntry> entries = new ArrayList<>();
            for (JsonNode e : doc.path(list)) {
                entries.add(new Views.IpEntry(e.path("cidr").asText(), e.path("expires").asText("never"), e.path("comment").asText("")));
            }
            lists.add(new Views.IpList(list, list.equals("ip-allow") ? "IP allow list" : "IP block list", entries));
        }
        JsonNode spam = doc.path("anti-spam");
        var antiSpam = new Views.AntiSpam(spam.path("mode").asText("quarantine"), spam.path("junk-at").asText("5"),
                spam.path("quarantine-at").asText("7"), spam.path("reject-at").asText("9"));
        ctx.html(Views.render("settings.jte", new Views.Settings(nav(ctx, who), id, ctx.queryParam("done"), join(doc.path("domains")),
                doc.path("delivery").asText(), lists, antiSpam, pretty(doc.path("connectors")), pretty(doc.path("transport-rules")),
                pretty(doc.path("anti-malware")))));
    }

    private void addIp(Context ctx, Optional<Principal> who, String list) {
        ObjectNode entry = TenantEdits.JSON.createObjectNode().put("cidr", Optional.ofNullable(ctx.formParam("cidr")).orElse("").strip());
        Optional.ofNullable(ctx.formParam("expires")).filter(v -> !v.isBlank()).ifPresent(v -> entry.put("expires", v.strip()));
        Optional.ofNullable(ctx.formParam("comment")).filter(v -> !v.isBlank()).ifPresent(v -> entry.put("comment", v.strip()));
        settingsChange(ctx, who, list + " add " + entry.path("cidr").asText(), d -> {
            TenantEdits.array(d, list).add(entry);
            return d;
        });
    }

    private void removeIp(Context ctx, Optional<Principal> who, String list) {
        String cidr = Optional.ofNullable(ctx.formParam("cidr")).orElse("");
        settingsChange(ctx, who, list + " remove " + cidr, d -> TenantEdits.removeWhere(d, list, "cidr", cidr));
    }

    private void antiSpam(Context ctx, Optional<Principal> who) {
        settingsChange(ctx, who, "anti-spam thresholds", d -> {
            ObjectNode spam = d.get("anti-spam") instanceof ObjectNode o ? o : d.putObject("anti-spam");
            spam.put("mode", Optional.ofNullable(ctx.formParam("mode")).orElse("quarantine"));
            for (String k : List.of("junk-at", "quarantine-at", "reject-at")) {
                try {
                    spam.put(k, Integer.parseInt(Optional.ofNullable(ctx.formParam(k)).orElse("").strip()));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(k + " must be a number from -1 to 9");
                }
            }
            return d;
        });
    }

    private void settingsChange(Context ctx, Optional<Principal> who, String action, java.util.function.UnaryOperator<ObjectNode> change) {
        String id = AdminApi.id(ctx);
        edits.edit(id, AdminApi.actor(who), action, change);
        ctx.redirect("/t/" + url(id) + "/settings?done=" + url("Saved: " + action), HttpStatus.SEE_OTHER);
    }

    private void audit(Context ctx, Optional<Principal> who) {
        ctx.html(Views.render("audit.jte", new Views.Audit(nav(ctx, who), s.audit().list(AdminApi.id(ctx), 200, 0))));
    }

    // ---------------------------------------------------------------- helpers

    static Optional<Sessions.Session> session(Context ctx) {
        return Optional.ofNullable(ctx.attribute(SESSION_ATTRIBUTE));
    }

    private static String csrf(Context ctx) {
        return session(ctx).map(Sessions.Session::csrf).orElse("");
    }

    private static Views.Nav nav(Context ctx, Optional<Principal> who) {
        Principal p = who.get();
        // An operator on a tenant's page gets that tenant's links; a tenant's own people always get theirs.
        String tenant = p.tenant().orElseGet(() -> Optional.ofNullable(ctx.pathParamMap().get("id")).orElse(""));
        return new Views.Nav(p.role() == Role.OPERATOR, p.role() != Role.USER, tenant, p.name(), csrf(ctx));
    }

    private static String param(Context ctx, String name) {
        return Optional.ofNullable(ctx.queryParam(name)).orElse("");
    }

    private static String nextPage(Context ctx, int offset) {
        StringBuilder q = new StringBuilder();
        for (String k : List.of("ref", "sender", "recipient", "status", "since", "limit")) {
            String v = param(ctx, k);
            if (!v.isEmpty()) q.append(k).append('=').append(url(v)).append('&');
        }
        return q.append("offset=").append(offset).toString();
    }

    private static String join(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return String.join(", ", out);
    }

    /** The section as indented JSON, or null when the tenant has none. */
    private static String pretty(JsonNode n) {
        return n.isMissingNode() || n.isNull() || n.isEmpty() ? null : n.toPrettyString();
    }

    private static String stylesheet() {
        try (InputStream in = Console.class.getResourceAsStream("console.css")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
