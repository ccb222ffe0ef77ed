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

import static org.postern.admin.Html.esc;
import static org.postern.admin.Html.url;
import static org.postern.admin.Route.Scope.AUTHENTICATED;
import static org.postern.admin.Route.Scope.PUBLIC;
import static org.postern.admin.Route.Scope.TENANT_ADMIN;
import static org.postern.admin.Route.Scope.TENANT_MEMBER;

/**
 * The web console: server-rendered pages over the same services as the API. A tenant admin lands on the message
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
        r.add(Route.get("/dashboard", Route.Scope.OPERATOR, "Operator dashboard", (ctx, who) -> ctx.html(page(ctx, who, "Dashboard", new Dashboard(s).html()))));
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
        String body = "<div class=\"login\">" + (error.isEmpty() ? "" : "<p class=\"error\" role=\"alert\">" + esc(error) + "</p>")
                + "<form method=\"post\" action=\"/login\"><label>E-mail <input name=\"email\" type=\"email\" autocomplete=\"username\" autofocus></label>"
                + "<label>Password (or an API token) <input name=\"password\" type=\"password\" autocomplete=\"current-password\" required></label>"
                + "<button type=\"submit\">Log in</button></form></div>";
        return Html.page("Log in", body, Optional.empty());
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
        StringBuilder b = new StringBuilder("<form class=\"search\" method=\"get\">")
                .append(Html.input("ref", "Reference (from the SMTP reply)", param(ctx, "ref"), "e.g. 4F2A9C..."))
                .append(Html.input("sender", "Sender", param(ctx, "sender"), "someone@example.org"))
                .append(Html.input("recipient", "Recipient", param(ctx, "recipient"), "alice@" + id))
                .append("<label>Status <select name=\"status\"><option value=\"\">any</option>");
        for (var st : org.postern.trace.TraceStatus.values()) {
            b.append("<option").append(st.name().equals(param(ctx, "status")) ? " selected" : "").append('>').append(st.name()).append("</option>");
        }
        b.append("</select></label>").append(Html.input("since", "Since", param(ctx, "since"), "2h, 7d"))
                .append("<button type=\"submit\">Search</button></form>");
        TraceQuery q = AdminApi.query(ctx, Optional.of(id), s.clock());
        List<TraceRecord> found = s.trace().search(q);
        if (found.size() == 1 && q.ref().isPresent()) {
            ctx.redirect("/t/" + url(id) + "/messages/" + url(found.get(0).ref()), HttpStatus.SEE_OTHER);
            return;
        }
        b.append("<table><thead><tr><th>Received</th><th>Reference</th><th>Status</th><th>From</th><th>To</th><th>Subject</th><th>Client</th></tr></thead><tbody>");
        for (TraceRecord r : found) {
            b.append("<tr><td>").append(esc(r.receivedAt().toString().replace('T', ' '))).append("</td><td><a href=\"/t/").append(esc(url(id)))
                    .append("/messages/").append(esc(url(r.ref()))).append("\">").append(esc(r.ref())).append("</a></td><td>").append(status(r.status().name()))
                    .append("</td><td>").append(esc(r.mailFrom().orElse("-"))).append("</td><td>").append(esc(String.join(", ", r.recipients())))
                    .append("</td><td>").append(esc(r.subject().orElse(""))).append("</td><td>").append(esc(r.clientIp())).append("</td></tr>");
        }
        b.append("</tbody></table>");
        if (found.isEmpty()) b.append("<p class=\"muted\">No messages match.</p>");
        if (found.size() == q.limit()) {
            b.append("<p><a href=\"?").append(esc(nextPage(ctx, q.offset() + q.limit()))).append("\">Older messages →</a></p>");
        }
        ctx.html(page(ctx, who, "Message trace", b.toString()));
    }

    private void message(Context ctx, Optional<Principal> who) {
        TraceRecord r = AdminApi.record(s, AdminApi.id(ctx), ctx.pathParam("ref"));
        List<DeliveryEvent> deliveries = s.trace().deliveries(r.ref());
        StringBuilder b = new StringBuilder("<dl class=\"facts\">");
        fact(b, "Reference", r.ref());
        b.append("<dt>Status</dt><dd>").append(status(r.status().name())).append("</dd>");
        fact(b, "Received", r.receivedAt().toString());
        fact(b, "Client", r.clientIp() + r.helo().map(h -> " (HELO " + h + ")").orElse("") + r.tls().map(t -> ", " + t).orElse(", no TLS"));
        fact(b, "From", r.mailFrom().map(m -> m.isEmpty() ? "<>" : m).orElse("-"));
        fact(b, "To", String.join(", ", r.recipients()));
        fact(b, "Subject", r.subject().orElse(""));
        fact(b, "SCL", r.scl().isPresent() ? Integer.toString(r.scl().getAsInt()) : "-");
        fact(b, "Decided at", r.phase());
        fact(b, "Server replied", r.smtpReply());
        fact(b, "Received by", r.node());
        fact(b, "Delivered by", org.postern.trace.TraceJson.deliveredBy(deliveries).orElse("-"));
        b.append("</dl><h2>Why: the decision chain</h2><ol class=\"timeline\">");
        for (DecisionEntry d : r.decisions()) {
            int slash = d.stage().indexOf('/');
            String phase = slash > 0 ? d.stage().substring(0, slash) : d.stage();
            String stage = slash > 0 ? d.stage().substring(slash + 1) : "";
            b.append("<li><span class=\"phase\">").append(esc(phase)).append("</span> ").append(esc(stage))
                    .append(" → <span class=\"evidence\">").append(esc(d.reason())).append("</span>");
            if (!d.setting().isEmpty()) b.append(" → setting <span class=\"setting\">").append(esc(d.setting())).append("</span>");
            b.append(" → <span class=\"outcome\">").append(esc(d.outcome())).append("</span></li>");
        }
        b.append("</ol>");
        if (!deliveries.isEmpty()) {
            b.append("<h2>Delivery</h2><table><thead><tr><th>At</th><th>Recipient</th><th>Outcome</th><th>Attempt</th><th>Target</th><th>Detail</th></tr></thead><tbody>");
            for (DeliveryEvent d : deliveries) {
                b.append("<tr><td>").append(esc(d.at().toString())).append("</td><td>").append(esc(d.recipient())).append("</td><td>")
                        .append(status(d.outcome().name())).append("</td><td>").append(d.attempt()).append("</td><td>").append(esc(d.target()))
                        .append("</td><td>").append(esc(d.detail())).append("</td></tr>");
            }
            b.append("</tbody></table>");
        }
        ctx.html(page(ctx, who, "Message " + r.ref(), b.toString()));
    }

    // ---------------------------------------------------------------- quarantine

    private void quarantine(Context ctx, Optional<Principal> who) throws IOException {
        String id = AdminApi.id(ctx);
        StringBuilder b = new StringBuilder();
        if (ctx.queryParam("done") != null) b.append("<p class=\"notice\" role=\"status\">").append(esc(ctx.queryParam("done"))).append("</p>");
        List<QuarantinedMessage> held = AdminApi.visible(s, id, who.get());
        b.append("<table><thead><tr><th>Held</th><th>From</th><th>To</th><th>Subject</th><th>Why</th></tr></thead><tbody>");
        for (QuarantinedMessage m : held) {
            b.append("<tr><td>").append(esc(m.heldAt().toString().replace('T', ' '))).append("</td><td>").append(esc(m.mailFrom()))
                    .append("</td><td>").append(esc(String.join(", ", m.recipients()))).append("</td><td><a href=\"/t/").append(esc(url(id)))
                    .append("/quarantine/").append(esc(url(m.id()))).append("\">").append(esc(m.subject().isBlank() ? "(no subject)" : m.subject()))
                    .append("</a></td><td>").append(esc(m.reason())).append("</td></tr>");
        }
        b.append("</tbody></table>");
        if (held.isEmpty()) b.append("<p class=\"muted\">Nothing is held.</p>");
        ctx.html(page(ctx, who, "Quarantine", b.toString()));
    }

    private void held(Context ctx, Optional<Principal> who) throws IOException {
        QuarantinedMessage m = AdminApi.heldFor(s, ctx, who.get());
        String preview;
        try (InputStream in = s.quarantine().open(m.tenant(), m.id())) {
            preview = Preview.text(in);
        }
        String base = "/t/" + url(m.tenant()) + "/quarantine/" + url(m.id());
        String csrf = session(ctx).map(Sessions.Session::csrf).orElse("");
        StringBuilder b = new StringBuilder("<dl class=\"facts\">");
        fact(b, "Reference", m.id());
        fact(b, "Held", m.heldAt().toString());
        fact(b, "From", m.mailFrom());
        fact(b, "To", String.join(", ", m.recipients()));
        fact(b, "Why", m.reason());
        b.append("</dl><p>").append(Html.form(base + "/release", csrf, "", "Release to the recipients", "inline"))
                .append(' ').append(Html.form(base + "/delete", csrf, "", "Delete", "inline danger"));
        if (who.get().role() != Role.USER) {
            b.append(" <a href=\"/t/").append(esc(url(m.tenant()))).append("/messages/").append(esc(url(m.id()))).append("\">Trace and decision chain</a>");
        }
        b.append("</p><h2>Preview (text only: no images, links or scripts are loaded)</h2><pre class=\"preview\">").append(esc(preview)).append("</pre>");
        ctx.html(page(ctx, who, m.subject().isBlank() ? "(no subject)" : m.subject(), b.toString()));
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
        String csrf = session(ctx).map(Sessions.Session::csrf).orElse("");
        String base = "/t/" + url(id);
        StringBuilder b = new StringBuilder();
        if (ctx.queryParam("done") != null) b.append("<p class=\"notice\" role=\"status\">").append(esc(ctx.queryParam("done"))).append("</p>");
        b.append("<p class=\"muted\">Domains: ").append(esc(join(doc.path("domains")))).append(" · delivery: ")
                .append(esc(doc.path("delivery").asText())).append("</p>");
        for (String list : List.of("ip-allow", "ip-block")) {
            b.append("<h2>").append(list.equals("ip-allow") ? "IP allow list" : "IP block list").append("</h2><table><thead><tr><th>Network</th><th>Expires</th><th>Comment</th><th></th></tr></thead><tbody>");
            for (JsonNode e : doc.path(list)) {
                b.append("<tr><td>").append(esc(e.path("cidr").asText())).append("</td><td>").append(esc(e.path("expires").asText("never")))
                        .append("</td><td>").append(esc(e.path("comment").asText(""))).append("</td><td>")
                        .append(Html.form(base + "/" + list + "/remove", csrf, "<input type=\"hidden\" name=\"cidr\" value=\"" + esc(e.path("cidr").asText()) + "\">", "Remove", "inline danger"))
                        .append("</td></tr>");
            }
            b.append("</tbody></table>").append(Html.form(base + "/" + list + "/add", csrf,
                    Html.input("cidr", "Network (CIDR)", "", "203.0.113.0/24") + Html.input("expires", "Expires (optional)", "", "2026-12-31T00:00:00Z")
                            + Html.input("comment", "Comment", "", ""), "Add", "add"));
        }
        JsonNode spam = doc.path("anti-spam");
        b.append("<h2>Anti-spam</h2>").append(Html.form(base + "/anti-spam", csrf,
                "<label>Mode <select name=\"mode\"><option" + (spam.path("mode").asText("quarantine").equals("quarantine") ? " selected" : "") + ">quarantine</option><option"
                        + (spam.path("mode").asText().equals("reject") ? " selected" : "") + ">reject</option></select></label>"
                        + Html.input("junk-at", "Junk at SCL", spam.path("junk-at").asText("5"), "5")
                        + Html.input("quarantine-at", "Quarantine at SCL", spam.path("quarantine-at").asText("7"), "7")
                        + Html.input("reject-at", "Reject at SCL", spam.path("reject-at").asText("9"), "9"), "Save thresholds", "add"));
        b.append("<h2>Connectors</h2>").append(jsonTable(doc.path("connectors"), "No connectors."));
        b.append("<h2>Transport rules</h2>").append(jsonTable(doc.path("transport-rules"), "No transport rules."));
        b.append("<h2>Anti-malware</h2>").append(jsonTable(doc.path("anti-malware"), "Defaults."));
        b.append("<p class=\"muted\">Connectors and rules are edited through the API (PUT/POST ").append(esc("/api/v1/tenants/" + id))
                .append("/connectors, /transport-rules) or <code>postern apply</code>.</p>");
        ctx.html(page(ctx, who, "Settings", b.toString()));
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
        StringBuilder b = new StringBuilder("<table><thead><tr><th>When</th><th>Who</th><th>What</th><th>Before → after</th></tr></thead><tbody>");
        for (AuditLog.Entry e : s.audit().list(AdminApi.id(ctx), 200, 0)) {
            b.append("<tr><td>").append(esc(e.at().toString())).append("</td><td>").append(esc(e.actor())).append("</td><td>").append(esc(e.action()))
                    .append("</td><td><details><summary>documents</summary><pre class=\"preview\">").append(esc(e.before())).append("\n→\n")
                    .append(esc(e.after())).append("</pre></details></td></tr>");
        }
        b.append("</tbody></table>");
        ctx.html(page(ctx, who, "Audit log", b.toString()));
    }

    // ---------------------------------------------------------------- helpers

    static Optional<Sessions.Session> session(Context ctx) {
        return Optional.ofNullable(ctx.attribute(SESSION_ATTRIBUTE));
    }

    private String page(Context ctx, Optional<Principal> who, String title, String body) {
        Principal p = who.get();
        StringBuilder nav = new StringBuilder("<nav>");
        if (p.role() == Role.OPERATOR) nav.append("<a href=\"/dashboard\">Dashboard</a> ");
        String tenant = p.tenant().orElseGet(() -> Optional.ofNullable(ctx.pathParamMap().get("id")).orElse(""));
        if (!tenant.isEmpty()) {
            String t = "/t/" + esc(url(tenant));
            if (p.role() != Role.USER) nav.append("<a href=\"").append(t).append("/trace\">Trace</a> ");
            nav.append("<a href=\"").append(t).append("/quarantine\">Quarantine</a> ");
            if (p.role() != Role.USER) nav.append("<a href=\"").append(t).append("/settings\">Settings</a> <a href=\"").append(t).append("/audit\">Audit</a> ");
            nav.append("<span class=\"muted\">tenant ").append(esc(tenant)).append("</span>");
        }
        nav.append("</nav>");
        String csrf = session(ctx).map(Sessions.Session::csrf).orElse("");
        nav.append(Html.form("/logout", csrf, "<span class=\"muted\">" + esc(p.name()) + "</span> ", "Log out", "inline secondary"));
        return Html.page(title, body, Optional.of(nav.toString()));
    }

    private static String status(String name) {
        return "<span class=\"status s-" + esc(name) + "\">" + esc(name) + "</span>";
    }

    private static void fact(StringBuilder b, String name, String value) {
        b.append("<dt>").append(esc(name)).append("</dt><dd>").append(esc(value)).append("</dd>");
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

    private static String jsonTable(JsonNode n, String empty) {
        if (n.isMissingNode() || n.isNull() || n.isEmpty()) return "<p class=\"muted\">" + esc(empty) + "</p>";
        return "<pre class=\"preview\">" + esc(n.toPrettyString()) + "</pre>";
    }

    private static String stylesheet() {
        try (InputStream in = Console.class.getResourceAsStream("console.css")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
