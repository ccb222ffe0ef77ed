package org.postern.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.net.InetAddresses;
import io.javalin.http.Context;
import org.postern.account.Principal;
import org.postern.account.Role;
import org.postern.cli.ExplainCommand;
import org.postern.config.Units;
import org.postern.edge.Explainer;
import org.postern.quarantine.QuarantinedMessage;
import org.postern.tenant.TenantDocument;
import org.postern.trace.TraceJson;
import org.postern.trace.TraceQuery;
import org.postern.trace.TraceRecord;
import org.postern.trace.TraceStatus;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static org.postern.admin.Route.Scope.OPERATOR;
import static org.postern.admin.Route.Scope.TENANT_ADMIN;
import static org.postern.admin.Route.Scope.TENANT_MEMBER;

/** The REST API (INTERFACES §4b): JSON in and out, bearer tokens, every path of a tenant under /api/v1/tenants/{id}. */
final class AdminApi {

    static final String T = "/api/v1/tenants/{id}";
    private static final int MAX_PAGE = 500;

    private final AdminServices s;
    private final TenantEdits edits;

    AdminApi(AdminServices services) {
        this.s = services;
        this.edits = new TenantEdits(services.catalog(), services.audit());
    }

    List<Route> routes() {
        List<Route> r = new ArrayList<>();
        r.add(Route.get("/api/v1/tenants", OPERATOR, "All tenants (id, domains)", this::tenants));
        r.add(Route.get("/api/v1/trace", OPERATOR, "Trace search across tenants (refusals before RCPT have no tenant)", this::traceAll));
        r.add(Route.get(T, TENANT_MEMBER, "The tenant document", (ctx, who) -> json(ctx, edits.document(id(ctx)))));
        r.add(Route.put(T, TENANT_ADMIN, "Create (operator) or replace the tenant document; domains and recipients live here", this::putTenant));
        for (String list : List.of("ip-allow", "ip-block")) {
            r.add(Route.get(T + "/" + list, TENANT_MEMBER, "The tenant's " + list + " entries", (ctx, who) -> section(ctx, list)));
            r.add(Route.post(T + "/" + list, TENANT_ADMIN, "Add an entry {cidr, expires?, comment?}", (ctx, who) -> add(ctx, who, list)));
            r.add(Route.delete(T + "/" + list, TENANT_ADMIN, "Remove the entries of ?cidr=", (ctx, who) -> remove(ctx, who, list, "cidr")));
        }
        for (String list : List.of("connectors", "transport-rules")) {
            r.add(Route.get(T + "/" + list, TENANT_MEMBER, "The tenant's " + list, (ctx, who) -> section(ctx, list)));
            r.add(Route.post(T + "/" + list, TENANT_ADMIN, "Add or replace (by name) one of the " + list, (ctx, who) -> add(ctx, who, list)));
            r.add(Route.delete(T + "/" + list, TENANT_ADMIN, "Remove the entry of ?name=", (ctx, who) -> remove(ctx, who, list, "name")));
        }
        for (String policy : List.of("anti-spam", "anti-malware")) {
            r.add(Route.get(T + "/" + policy, TENANT_MEMBER, "The tenant's " + policy + " policy", (ctx, who) -> section(ctx, policy)));
            r.add(Route.put(T + "/" + policy, TENANT_ADMIN, "Replace the " + policy + " policy", (ctx, who) -> putPolicy(ctx, who, policy)));
        }
        r.add(Route.get(T + "/trace", TENANT_ADMIN, "Trace search: ref, sender, recipient, status, since (e.g. 2h), limit, offset", this::trace));
        r.add(Route.get(T + "/messages/{ref}", TENANT_ADMIN, "One message: trace record, decision chain, deliveries", this::message));
        r.add(Route.get(T + "/quarantine", TENANT_MEMBER, "Held messages (a user sees only their own)", this::quarantine));
        r.add(Route.get(T + "/quarantine/{qid}", TENANT_MEMBER, "A held message with a safe text preview", this::held));
        r.add(Route.get(T + "/quarantine/{qid}/eml", TENANT_MEMBER, "The held message as .eml", this::eml));
        r.add(Route.post(T + "/quarantine/{qid}/release", TENANT_MEMBER, "Release to the recipients (users: own, non-malware mail)", this::release));
        r.add(Route.delete(T + "/quarantine/{qid}", TENANT_MEMBER, "Delete a held message", this::deleteHeld));
        r.add(Route.post(T + "/quarantine/{qid}/feedback", TENANT_MEMBER, "Report the held message: {\"junk\": true|false}", this::feedback));
        r.add(Route.post(T + "/explain", TENANT_ADMIN, "What the gateway would decide: {ip, helo?, from, to[], tlsCertName?, message?}", this::explain));
        r.add(Route.get(T + "/restricted-users", TENANT_ADMIN, "Submission users restricted after an outbound limit", this::restricted));
        r.add(Route.post(T + "/users/{email}/unrestrict", TENANT_ADMIN, "Lift a user's sending restriction (outbound limit reached)", this::unrestrict));
        r.add(Route.get(T + "/audit", TENANT_ADMIN, "Configuration changes, newest first (limit, offset)", this::audit));
        return r;
    }

    // ---------------------------------------------------------------- tenants and settings

    private void tenants(Context ctx, Optional<Principal> who) {
        ArrayNode out = TenantEdits.JSON.createArrayNode();
        s.catalog().all().forEach(t -> out.addObject().put("id", t.id()).set("domains", TenantEdits.JSON.valueToTree(t.domains())));
        json(ctx, out);
    }

    private void putTenant(Context ctx, Optional<Principal> who) throws IOException {
        boolean exists = s.catalog().get(id(ctx)).isPresent();
        if (!exists && who.get().role() != Role.OPERATOR) throw new TenantEdits.NotFound("no tenant " + id(ctx));
        JsonNode doc = TenantEdits.JSON.readTree(ctx.body());
        json(ctx.status(exists ? 200 : 201), edits.put(id(ctx), actor(who), doc));
    }

    private void section(Context ctx, String field) {
        JsonNode n = edits.document(id(ctx)).get(field);
        json(ctx, n == null ? (field.startsWith("anti-") ? TenantEdits.JSON.createObjectNode() : TenantEdits.JSON.createArrayNode()) : n);
    }

    private void add(Context ctx, Optional<Principal> who, String field) throws IOException {
        JsonNode entry = TenantEdits.JSON.readTree(ctx.body());
        if (entry == null || !entry.isObject()) throw new IllegalArgumentException("send one entry as a JSON object");
        String key = field.startsWith("ip-") ? "cidr" : "name";
        ObjectNode doc = edits.edit(id(ctx), actor(who), field + " add " + entry.path(key).asText(), d -> {
            ArrayNode a = TenantEdits.array(d, field);
            for (int i = a.size() - 1; i >= 0; i--) {
                if (a.get(i).path(key).asText().equals(entry.path(key).asText())) a.remove(i);
            }
            a.add(entry);
            return d;
        });
        json(ctx.status(201), doc.get(field));
    }

    private void remove(Context ctx, Optional<Principal> who, String field, String key) {
        String value = Optional.ofNullable(ctx.queryParam(key)).orElseThrow(() -> new IllegalArgumentException("?" + key + "= is required"));
        ObjectNode doc = edits.edit(id(ctx), actor(who), field + " remove " + value, d -> TenantEdits.removeWhere(d, field, key, value));
        json(ctx, doc.has(field) ? doc.get(field) : TenantEdits.JSON.createArrayNode());
    }

    private void putPolicy(Context ctx, Optional<Principal> who, String field) throws IOException {
        JsonNode policy = TenantEdits.JSON.readTree(ctx.body());
        if (policy == null || !policy.isObject()) throw new IllegalArgumentException("send the policy as a JSON object");
        ObjectNode doc = edits.edit(id(ctx), actor(who), field + " replace", d -> {
            d.set(field, policy);
            return d;
        });
        json(ctx, doc.get(field));
    }

    // ---------------------------------------------------------------- trace

    private void trace(Context ctx, Optional<Principal> who) {
        json(ctx, search(ctx, Optional.of(id(ctx))));
    }

    private void traceAll(Context ctx, Optional<Principal> who) {
        json(ctx, search(ctx, Optional.ofNullable(ctx.queryParam("tenant"))));
    }

    private ObjectNode search(Context ctx, Optional<String> tenant) {
        TraceQuery q = query(ctx, tenant, s.clock());
        List<TraceRecord> found = s.trace().search(q);
        ObjectNode out = TenantEdits.JSON.createObjectNode();
        ArrayNode items = out.putArray("items");
        for (TraceRecord r : found) items.add(TraceJson.object(r, List.of()));
        out.put("limit", q.limit());
        out.put("offset", q.offset());
        if (found.size() == q.limit()) out.put("next", q.offset() + q.limit());
        return out;
    }

    /** The trace filters of a request (API and console share them). */
    static TraceQuery query(Context ctx, Optional<String> tenant, java.time.Clock clock) {
        int limit = Math.max(1, Math.min(MAX_PAGE, intParam(ctx, "limit", 50)));
        int offset = Math.max(0, intParam(ctx, "offset", 0));
        Optional<TraceStatus> status = param(ctx, "status").map(v -> {
            for (TraceStatus st : TraceStatus.values()) if (st.name().equalsIgnoreCase(v)) return st;
            throw new IllegalArgumentException("unknown status " + v);
        });
        return new TraceQuery(tenant, param(ctx, "ref").map(String::strip), param(ctx, "sender"), param(ctx, "recipient"),
                param(ctx, "since").map(v -> clock.instant().minus(Units.duration(v))), status, limit, offset);
    }

    private void message(Context ctx, Optional<Principal> who) {
        TraceRecord r = record(s, id(ctx), ctx.pathParam("ref"));
        json(ctx, TraceJson.object(r, s.trace().deliveries(r.ref())));
    }

    /** The tenant's record of a reference; another tenant's answers as missing. */
    static TraceRecord record(AdminServices s, String tenant, String ref) {
        return s.trace().search(TraceQuery.all().withRef(ref).withTenant(tenant)).stream().findFirst()
                .orElseThrow(() -> new TenantEdits.NotFound("no message " + ref));
    }

    // ---------------------------------------------------------------- quarantine

    private void quarantine(Context ctx, Optional<Principal> who) throws IOException {
        ArrayNode out = TenantEdits.JSON.createArrayNode();
        for (QuarantinedMessage m : visible(s, id(ctx), who.get())) out.add(TenantEdits.JSON.valueToTree(heldJson(m)));
        json(ctx, out);
    }

    private void held(Context ctx, Optional<Principal> who) throws IOException {
        QuarantinedMessage m = heldFor(s, ctx, who.get());
        ObjectNode o = heldJson(m);
        try (InputStream in = s.quarantine().open(m.tenant(), m.id())) {
            o.put("preview", Preview.text(in));
        }
        json(ctx, o);
    }

    private void eml(Context ctx, Optional<Principal> who) throws IOException {
        QuarantinedMessage m = heldFor(s, ctx, who.get());
        ctx.header("Content-Disposition", "attachment; filename=\"" + m.id() + ".eml\"");
        ctx.contentType("message/rfc822");
        try (InputStream in = s.quarantine().open(m.tenant(), m.id())) {
            ctx.result(in.readAllBytes());
        }
    }

    private void restricted(Context ctx, Optional<Principal> who) {
        ArrayNode out = TenantEdits.JSON.createArrayNode();
        for (var r : s.restrictions().list(id(ctx))) {
            out.addObject().put("email", r.email()).put("since", r.since().toString()).put("reason", r.reason());
        }
        json(ctx, out);
    }

    /** Only the tenant's own users: another tenant's address answers 404 like any unknown one. */
    private void unrestrict(Context ctx, Optional<Principal> who) {
        String email = ctx.pathParam("email");
        if (!s.restrictions().lift(id(ctx), email)) throw new TenantEdits.NotFound("no restricted user " + email + " in tenant " + id(ctx));
        s.audit().record(id(ctx), actor(who), "unrestrict " + email, "restricted", "unrestricted");
        json(ctx, TenantEdits.JSON.createObjectNode().put("email", email).put("unrestricted", true));
    }

    private void release(Context ctx, Optional<Principal> who) throws IOException {
        QuarantinedMessage m = heldFor(s, ctx, who.get());
        releaseChecked(s, m, who.get());
        json(ctx.status(202), TenantEdits.JSON.createObjectNode().put("released", m.id()).put("ref", m.id()));
    }

    /** Release, unless a user asks for a message only an admin may release (malware). */
    static void releaseChecked(AdminServices s, QuarantinedMessage m, Principal who) throws IOException {
        if (who.role() == Role.USER) {
            boolean allowed = s.catalog().get(m.tenant()).flatMap(t -> t.document().quarantine())
                    .flatMap(TenantDocument.Quarantine::userRelease).orElse(false);
            if (!allowed) throw new Denied("only an admin may release held mail (the tenant's quarantine.user-release is off)");
            if (m.reason().toLowerCase(Locale.ROOT).contains("malware")) throw new Denied("only an admin may release a message held for malware");
        }
        if (!s.quarantine().release(m.tenant(), m.id(), who.name(), s.clock().instant())) throw new TenantEdits.NotFound("no held message " + m.id());
    }

    private void deleteHeld(Context ctx, Optional<Principal> who) throws IOException {
        QuarantinedMessage m = heldFor(s, ctx, who.get());
        s.quarantine().delete(m.tenant(), m.id());
        ctx.status(204);
    }

    private void feedback(Context ctx, Optional<Principal> who) throws IOException {
        QuarantinedMessage m = heldFor(s, ctx, who.get());
        JsonNode body = TenantEdits.JSON.readTree(ctx.body());
        if (body == null || !body.path("junk").isBoolean()) throw new IllegalArgumentException("send {\"junk\": true} or {\"junk\": false}");
        try (InputStream in = s.quarantine().open(m.tenant(), m.id())) {
            s.feedback().learn(in, body.get("junk").asBoolean());
        }
        json(ctx, TenantEdits.JSON.createObjectNode().put("learned", m.id()).put("junk", body.get("junk").asBoolean()));
    }

    /** Held messages the principal may see: all of the tenant's for admins, a user's own otherwise. */
    static List<QuarantinedMessage> visible(AdminServices s, String tenant, Principal who) throws IOException {
        List<QuarantinedMessage> all = s.quarantine().list(tenant);
        if (who.role() != Role.USER) return all;
        return all.stream().filter(m -> m.recipients().stream().anyMatch(r -> r.equalsIgnoreCase(who.name()))).toList();
    }

    static QuarantinedMessage heldFor(AdminServices s, Context ctx, Principal who) throws IOException {
        String qid = ctx.pathParam("qid");
        return visible(s, ctx.pathParam("id"), who).stream().filter(m -> m.id().equals(qid)).findFirst()
                .orElseThrow(() -> new TenantEdits.NotFound("no held message " + qid));
    }

    private static ObjectNode heldJson(QuarantinedMessage m) {
        ObjectNode o = TenantEdits.JSON.createObjectNode();
        o.put("id", m.id()).put("tenant", m.tenant()).put("heldAt", m.heldAt().toString()).put("mailFrom", m.mailFrom());
        m.recipients().forEach(o.putArray("recipients")::add);
        o.put("subject", m.subject()).put("size", m.size()).put("reason", m.reason());
        return o;
    }

    // ---------------------------------------------------------------- explain, audit

    private void explain(Context ctx, Optional<Principal> who) throws IOException {
        JsonNode q = TenantEdits.JSON.readTree(ctx.body());
        String ip = q.path("ip").asText();
        if (!InetAddresses.isInetAddress(ip)) throw new IllegalArgumentException("ip: not an IP address: " + ip);
        List<String> to = new ArrayList<>();
        q.path("to").forEach(n -> to.add(n.asText()));
        if (q.path("to").isTextual()) to.add(q.path("to").asText());
        if (to.isEmpty()) throw new IllegalArgumentException("to: at least one recipient");
        var tenant = s.catalog().get(id(ctx)).orElseThrow(() -> new TenantEdits.NotFound("no tenant " + id(ctx)));
        for (String rcpt : to) {
            String domain = rcpt.substring(rcpt.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
            if (!tenant.ownsDomain(domain)) throw new IllegalArgumentException("to: " + rcpt + " is not a recipient of tenant " + id(ctx));
        }
        Path message = null;
        try {
            if (q.hasNonNull("message")) {
                message = Files.createTempFile("postern-explain-", ".eml");
                Files.writeString(message, q.get("message").asText());
            }
            Explainer.Explanation answer = s.explainer().get().explain(new Explainer.Question(InetAddresses.forString(ip),
                    text(q, "helo"), text(q, "tlsCertName"), Optional.empty(), q.path("from").asText(""), to, Optional.ofNullable(message),
                    q.path("tls").asBoolean(false) || q.hasNonNull("tlsCertName")));
            json(ctx, ExplainCommand.render(answer));
        } finally {
            if (message != null) Files.deleteIfExists(message);
        }
    }

    private void audit(Context ctx, Optional<Principal> who) {
        json(ctx, TenantEdits.JSON.valueToTree(s.audit().list(id(ctx), Math.min(MAX_PAGE, intParam(ctx, "limit", 100)),
                Math.max(0, intParam(ctx, "offset", 0))).stream().map(e -> {
                    ObjectNode o = TenantEdits.JSON.createObjectNode();
                    o.put("at", e.at().toString()).put("actor", e.actor()).put("action", e.action()).put("before", e.before()).put("after", e.after());
                    return o;
                }).toList()));
    }

    // ---------------------------------------------------------------- helpers

    /** A role that may not do this (403). */
    static final class Denied extends RuntimeException {
        Denied(String message) { super(message); }
    }

    static String id(Context ctx) { return ctx.pathParam("id"); }

    static String actor(Optional<Principal> who) { return who.map(Principal::name).orElse("anonymous"); }

    static Optional<String> param(Context ctx, String name) {
        return Optional.ofNullable(ctx.queryParam(name)).filter(v -> !v.isBlank());
    }

    private static Optional<String> text(JsonNode q, String field) {
        return q.hasNonNull(field) ? Optional.of(q.get(field).asText()) : Optional.empty();
    }

    private static int intParam(Context ctx, String name, int dflt) {
        try {
            return param(ctx, name).map(Integer::parseInt).orElse(dflt);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number");
        }
    }

    static void json(Context ctx, JsonNode body) {
        ctx.contentType("application/json").result(body.toString());
    }
}
