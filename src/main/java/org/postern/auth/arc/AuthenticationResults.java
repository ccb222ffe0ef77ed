package org.postern.auth.arc;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The payload of an ARC-Authentication-Results field (RFC 8601 §2.2 after the ARC {@code i=} prefix): the
 * authserv-id and each method's result with its properties. Comments are dropped; parsing is lenient because the
 * content is another operator's and only informs a trust decision made elsewhere.
 */
public record AuthenticationResults(String authservId, List<MethodResult> results) {

    public AuthenticationResults {
        results = List.copyOf(results);
    }

    /** {@code method=result}, with its {@code reason} and {@code ptype.property=value} items. */
    public record MethodResult(String method, String result, List<Property> properties) {
        public MethodResult {
            properties = List.copyOf(properties);
        }
    }

    /** One {@code ptype.property=value} (e.g. {@code header.from=example.com}), or {@code reason=...}. */
    public record Property(String name, String value) { }

    /** The result of the first entry for {@code method} (lower-case), e.g. {@code "pass"} for dmarc. */
    public Optional<String> resultOf(String method) {
        return results.stream().filter(r -> r.method().equals(method)).map(MethodResult::result).findFirst();
    }

    public static AuthenticationResults parse(String payload) {
        List<String> parts = split(withoutComments(payload));
        String authserv = parts.isEmpty() ? "" : firstToken(parts.getFirst());
        List<MethodResult> results = new ArrayList<>();
        for (String part : parts.subList(Math.min(1, parts.size()), parts.size())) {
            List<String> tokens = tokens(part);
            if (tokens.isEmpty() || !tokens.getFirst().contains("=")) continue; // "none" or junk
            String[] methodResult = tokens.getFirst().split("=", 2);
            String method = methodResult[0].replaceAll("/.*", "").toLowerCase(Locale.ROOT);
            List<Property> props = new ArrayList<>();
            for (String token : tokens.subList(1, tokens.size())) {
                int eq = token.indexOf('=');
                if (eq > 0) props.add(new Property(token.substring(0, eq).toLowerCase(Locale.ROOT),
                        unquote(token.substring(eq + 1))));
            }
            results.add(new MethodResult(method, methodResult[1].toLowerCase(Locale.ROOT), props));
        }
        return new AuthenticationResults(authserv, results);
    }

    private static String withoutComments(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int depth = 0;
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                if (depth == 0) out.append(c).append(s.charAt(i + 1));
                i++;
            } else if (quoted) {
                out.append(c);
                if (c == '"') quoted = false;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && depth > 0) {
                depth--;
                out.append(' ');
            } else if (depth == 0) {
                if (c == '"') quoted = true;
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Splits on ";" outside quoted strings. */
    private static List<String> split(String s) {
        List<String> parts = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') quoted = !quoted;
            if (c == ';' && !quoted) {
                parts.add(cur.toString().strip());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        if (!cur.toString().isBlank()) parts.add(cur.toString().strip());
        return parts;
    }

    /** Whitespace-separated tokens, "=" binding its neighbours, quoted strings kept whole. */
    private static List<String> tokens(String s) {
        String joined = s.replaceAll("[ \\t\\r\\n]*=[ \\t\\r\\n]*", "=");
        List<String> tokens = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < joined.length(); i++) {
            char c = joined.charAt(i);
            if (c == '"') quoted = !quoted;
            if (!quoted && (c == ' ' || c == '\t' || c == '\r' || c == '\n')) {
                if (!cur.isEmpty()) tokens.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        if (!cur.isEmpty()) tokens.add(cur.toString());
        return tokens;
    }

    private static String firstToken(String s) {
        List<String> t = tokens(s);
        return t.isEmpty() ? "" : t.getFirst();
    }

    private static String unquote(String v) {
        return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
    }
}
