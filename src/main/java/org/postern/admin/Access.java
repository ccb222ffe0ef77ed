package org.postern.admin;

import io.javalin.http.Context;
import org.postern.account.ApiTokens;
import org.postern.account.Principal;
import org.postern.account.Role;

import java.util.Optional;

/**
 * The one place that decides whether a request may run its route: API routes authenticate with a bearer token,
 * console routes with the session cookie (and, when they change something, the session's CSRF token); then the
 * route's scope is checked against the principal, and the tenant in {@code {id}} against the principal's tenant.
 * Another tenant's path answers 404, as if it did not exist, so ids cannot be probed.
 */
public final class Access {

    public static final String SESSION_COOKIE = "postern_session";

    /** The outcome of a check. */
    public sealed interface Outcome {
        record Allowed(Optional<Principal> principal, Optional<Sessions.Session> session) implements Outcome { }
        /** No or a bad credential: 401 for the API, the login page for the console. */
        record Unauthenticated() implements Outcome { }
        /** Authenticated, but the role may not do this (403). */
        record Forbidden(String why) implements Outcome { }
        /** Another tenant's resource (404). */
        record Hidden() implements Outcome { }
    }

    private final ApiTokens tokens;
    private final Sessions sessions;

    public Access(ApiTokens tokens, Sessions sessions) {
        this.tokens = tokens;
        this.sessions = sessions;
    }

    public Outcome check(Route route, Context ctx) {
        if (route.scope() == Route.Scope.PUBLIC) return new Outcome.Allowed(Optional.empty(), session(ctx));
        Optional<Sessions.Session> session = route.api() ? Optional.empty() : session(ctx);
        Optional<Principal> who = route.api() ? bearer(ctx) : session.map(Sessions.Session::principal);
        if (who.isEmpty()) return new Outcome.Unauthenticated();
        Principal p = who.get();
        if (!route.api() && !"GET".equals(route.method())) {
            String csrf = ctx.formParam("csrf");
            if (csrf == null || !java.security.MessageDigest.isEqual(csrf.getBytes(), session.get().csrf().getBytes())) {
                return new Outcome.Forbidden("missing or wrong CSRF token; reload the page");
            }
        }
        switch (route.scope()) {
            case OPERATOR -> {
                if (p.role() != Role.OPERATOR) return new Outcome.Forbidden("operators only");
            }
            case TENANT_MEMBER, TENANT_ADMIN -> {
                if (!p.reaches(ctx.pathParam("id"))) return new Outcome.Hidden();
                if (route.scope() == Route.Scope.TENANT_ADMIN && p.role() == Role.USER) return new Outcome.Forbidden("tenant admins only");
            }
            case PUBLIC, AUTHENTICATED -> { }
        }
        return new Outcome.Allowed(who, session);
    }

    private Optional<Principal> bearer(Context ctx) {
        String h = ctx.header("Authorization");
        if (h == null || !h.regionMatches(true, 0, "Bearer ", 0, 7)) return Optional.empty();
        return tokens.resolve(h.substring(7).strip());
    }

    private Optional<Sessions.Session> session(Context ctx) {
        String id = ctx.cookie(SESSION_COOKIE);
        return id == null ? Optional.empty() : sessions.find(id);
    }
}
