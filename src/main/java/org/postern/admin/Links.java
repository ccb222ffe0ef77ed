package org.postern.admin;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Console links and redirects carry tenant ids, references and notices as URL parts. */
final class Links {

    private Links() { }

    /** A URL path segment or query value. */
    static String url(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
