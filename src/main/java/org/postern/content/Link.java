package org.postern.content;

import java.util.Objects;
import java.util.Optional;

/**
 * One link found in a message, with the signs phishing and spam leave on links already worked out.
 *
 * @param url          the URL as written (trimmed)
 * @param host         its host, lower-case, IDNs as A-labels (punycode); empty when none could be found
 * @param shownText    for an HTML link, the text the reader sees
 * @param source       where it was found
 * @param ipLiteral    the host is an IP address (dotted, decimal, hex or bracketed IPv6) rather than a name
 * @param punycode     the host has an internationalised label (xn--... or written in Unicode)
 * @param userInfo     the URL has a user@ part, the old trick of {@code http://bank.example@evil.example/}
 * @param shortener    the host is a known URL shortener, which hides the real target
 * @param shownHost    the host the shown text names, when it looks like a URL or domain
 * @param mismatch     the shown host belongs to another organisation than the real one
 */
public record Link(String url, Optional<String> host, Optional<String> shownText, Source source, boolean ipLiteral,
                   boolean punycode, boolean userInfo, boolean shortener, Optional<String> shownHost,
                   boolean mismatch) {

    /** Where a link was found. */
    public enum Source { TEXT, HTML_ANCHOR, HTML_FORM, HTML_IMAGE }

    public Link {
        Objects.requireNonNull(url);
        Objects.requireNonNull(host);
        Objects.requireNonNull(shownText);
        Objects.requireNonNull(source);
        Objects.requireNonNull(shownHost);
    }
}
