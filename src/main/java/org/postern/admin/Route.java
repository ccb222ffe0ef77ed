package org.postern.admin;

import io.javalin.http.Context;
import org.postern.account.Principal;

import java.util.Optional;

/**
 * One endpoint of the admin listener and who may call it. A path with {@code {id}} is a tenant's: only a principal
 * of that tenant (or the operator) reaches it — {@link Access} checks that for every route, so a handler never does.
 */
public record Route(String method, String path, Scope scope, String summary, Handler handler) {

    public enum Scope {
        /** No authentication (health, metrics, OpenAPI, login page). */
        PUBLIC,
        /** Any authenticated principal (the console's home and logout). */
        AUTHENTICATED,
        /** The operator only. */
        OPERATOR,
        /** Any principal of the tenant in {@code {id}}: user, tenant admin; and the operator. */
        TENANT_MEMBER,
        /** A tenant admin of the tenant in {@code {id}}, or the operator. */
        TENANT_ADMIN
    }

    @FunctionalInterface
    public interface Handler {
        /** @param who the authenticated principal; empty only on PUBLIC routes */
        void handle(Context ctx, Optional<Principal> who) throws Exception;
    }

    public Route {
        if ((scope == Scope.TENANT_MEMBER || scope == Scope.TENANT_ADMIN) && !path.contains("{id}")) {
            throw new IllegalArgumentException(path + ": a tenant route must carry {id}");
        }
    }

    public boolean api() { return path.startsWith("/api/"); }

    public static Route get(String path, Scope scope, String summary, Handler h) { return new Route("GET", path, scope, summary, h); }
    public static Route post(String path, Scope scope, String summary, Handler h) { return new Route("POST", path, scope, summary, h); }
    public static Route put(String path, Scope scope, String summary, Handler h) { return new Route("PUT", path, scope, summary, h); }
    public static Route delete(String path, Scope scope, String summary, Handler h) { return new Route("DELETE", path, scope, summary, h); }
}
