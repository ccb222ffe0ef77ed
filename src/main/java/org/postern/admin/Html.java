package org.postern.admin;

import java.util.Optional;

/**
 * The console's HTML, built in Java with every dynamic value escaped by {@link #esc}: no template engine, no
 * script. Pages link one stylesheet (/console.css), allowed by the Content-Security-Policy.
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

    static final String CSS = """
            :root{--fg:#1d2330;--muted:#5b6473;--line:#dde2ea;--bg:#f7f8fa;--accent:#2456a6;--bad:#b42318;--ok:#1a7f37;--warn:#9a6700}
            *{box-sizing:border-box}body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg)}
            header{display:flex;gap:1.2rem;align-items:center;padding:.7rem 1.5rem;background:#fff;border-bottom:1px solid var(--line)}
            header a{color:var(--fg);text-decoration:none}header a:hover{color:var(--accent)}.brand{font-weight:700;margin-right:1rem}
            header form{margin-left:auto}main{max-width:1100px;margin:1.5rem auto;padding:0 1.5rem}h1{font-size:1.4rem;margin:.2rem 0 1rem}
            h2{font-size:1.1rem;margin:1.6rem 0 .6rem}table{width:100%;border-collapse:collapse;background:#fff;border:1px solid var(--line)}
            th,td{text-align:left;padding:.45rem .6rem;border-bottom:1px solid var(--line);vertical-align:top}th{font-size:.8rem;color:var(--muted);font-weight:600}
            form.inline{display:inline}form.search,form.add{display:flex;flex-wrap:wrap;gap:.6rem;align-items:end;margin:0 0 1rem}
            label{display:flex;flex-direction:column;font-size:.8rem;color:var(--muted)}input,select{font:inherit;padding:.35rem .5rem;border:1px solid var(--line);border-radius:4px}
            button{font:inherit;padding:.38rem .9rem;border:1px solid var(--accent);background:var(--accent);color:#fff;border-radius:4px;cursor:pointer}
            button.secondary,form.secondary button{background:#fff;color:var(--accent)}form.danger button{background:#fff;color:var(--bad);border-color:var(--bad)}
            .status{display:inline-block;padding:.05rem .45rem;border-radius:3px;font-size:.8rem;font-weight:600;background:#eef1f5}
            .s-Delivered,.s-Queued{color:var(--ok)}.s-Rejected,.s-Malware,.s-Failed{color:var(--bad)}.s-Quarantined,.s-Junk,.s-Deferred{color:var(--warn)}
            ol.timeline{list-style:none;padding:0;margin:0;border-left:3px solid var(--line)}ol.timeline li{margin:0 0 .8rem;padding:.2rem 0 .2rem 1rem;position:relative}
            ol.timeline li:before{content:"";position:absolute;left:-8px;top:.55rem;width:13px;height:13px;border-radius:50%;background:#fff;border:3px solid var(--accent)}
            .phase{font-weight:700}.evidence{color:var(--muted)}.setting{font-family:ui-monospace,monospace;font-size:.85rem}.outcome{font-weight:600}
            pre.preview{white-space:pre-wrap;background:#fff;border:1px solid var(--line);padding:1rem;max-height:32rem;overflow:auto}
            .cards{display:flex;gap:1rem;flex-wrap:wrap}.card{background:#fff;border:1px solid var(--line);padding:.8rem 1rem;min-width:10rem}.card b{display:block;font-size:1.5rem}
            .muted{color:var(--muted)}.error{color:var(--bad)}.notice{background:#eef6ee;border:1px solid #b7dfb9;padding:.5rem .8rem}
            dl.facts{display:grid;grid-template-columns:10rem 1fr;gap:.3rem 1rem;background:#fff;border:1px solid var(--line);padding:.8rem}dl.facts dt{color:var(--muted)}dl.facts dd{margin:0}
            .login{max-width:22rem;margin:4rem auto;background:#fff;border:1px solid var(--line);padding:1.5rem}.login form{display:flex;flex-direction:column;gap:.8rem}
            """;
}
