package org.postern.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The OpenAPI 3 document of the API routes, generated from the route table, so it cannot drift from the code. */
final class OpenApi {

    private static final Pattern PARAM = Pattern.compile("\\{([a-z]+)}");

    private OpenApi() { }

    static ObjectNode document(List<Route> routes) {
        ObjectNode doc = TenantEdits.JSON.createObjectNode();
        doc.put("openapi", "3.0.3");
        doc.putObject("info").put("title", "Postern admin API").put("version", "1");
        ObjectNode schemes = doc.putObject("components").putObject("securitySchemes");
        schemes.putObject("bearer").put("type", "http").put("scheme", "bearer");
        ObjectNode paths = doc.putObject("paths");
        for (Route r : routes) {
            if (!r.api() && !r.path().startsWith("/metrics") && !r.path().endsWith("z")) continue;
            ObjectNode path = paths.has(r.path()) ? (ObjectNode) paths.get(r.path()) : paths.putObject(r.path());
            ObjectNode op = path.putObject(r.method().toLowerCase(java.util.Locale.ROOT));
            op.put("summary", r.summary());
            op.put("x-postern-scope", r.scope().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
            if (r.scope() != Route.Scope.PUBLIC) op.putArray("security").addObject().putArray("bearer");
            Matcher m = PARAM.matcher(r.path());
            ArrayNode params = null;
            while (m.find()) {
                if (params == null) params = op.putArray("parameters");
                params.addObject().put("name", m.group(1)).put("in", "path").put("required", true).putObject("schema").put("type", "string");
            }
            ObjectNode responses = op.putObject("responses");
            responses.putObject("200").put("description", "OK");
            if (r.scope() != Route.Scope.PUBLIC) {
                responses.putObject("401").put("description", "no or a bad bearer token");
                responses.putObject("403").put("description", "the role may not do this");
                responses.putObject("404").put("description", "not found, or another tenant's");
            }
        }
        return doc;
    }
}
