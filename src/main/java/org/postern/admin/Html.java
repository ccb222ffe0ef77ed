package org.postern.admin;

import java.util.Optional;

/**
 * The console's HTML, built in Java with every dynamic value escaped by {@link #esc}: no template engine, no
 * script. Pages link one stylesheet (/console.css, a resource next to this class), allowed by the Content-Security-Policy.
 */
final class Html {

    private Html() { }

    static String esc(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    static String p(String text) { return "<p>" + esc(text) + "</p>"; }

    /** A URL path segment or query value. */
    static String url(String s) { return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8); }

    /** A whole page; {@code nav} is the already-built navigation (empty on the login page). */
    static String page(String title, String body, Optional<String> nav) {
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>" + esc(title) + " · Postern</title><link rel=\"stylesheet\" href=\"/console.css\"></head><body>"
                + "<header><a class=\"brand\" href=\"/\">Postern</a>" + nav.orElse("") + "</header><main><h1>" + esc(title) + "</h1>"
                + body + "</main></body></html>";
    }

    /** A POST form with the session's CSRF token. */
    static String form(String action, String csrf, String fields, String button, String cssClass) {
        return "<form method=\"post\" action=\"" + esc(action) + "\" class=\"" + cssClass + "\"><input type=\"hidden\" name=\"csrf\" value=\""
                + esc(csrf) + "\">" + fields + "<button type=\"submit\">" + esc(button) + "</button></form>";
    }

    static String input(String name, String label, String value, String placeholder) {
        return "<label>" + esc(label) + " <input name=\"" + esc(name) + "\" value=\"" + esc(value) + "\" placeholder=\"" + esc(placeholder) + "\"></label>";
    }
}
