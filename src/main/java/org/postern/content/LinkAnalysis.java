package org.postern.content;

import com.google.common.net.InternetDomainName;
import org.postern.auth.dmarc.OrganizationalDomain;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a URL (and the text shown for it) into a {@link Link}: host, IP literal, IDN, user info, shortener and
 * shown-versus-real mismatch. Lenient on purpose: spam URLs are often not valid URIs, so no {@code java.net.URI}.
 */
final class LinkAnalysis {

    private static final Pattern TRAILING_PUNCTUATION = Pattern.compile("[.,;:!?)\\]]+$");
    private static final Pattern WWW = Pattern.compile("^www\\.");
    private static final Pattern TRAILING_DOTS = Pattern.compile("\\.+$");
    private static final Pattern TAB_OR_NEWLINE = Pattern.compile("[\\t\\n\\r]");
    /** WHATWG's forbidden host code points that can still be in a host here (controls, space, {@code < > ^ | "}). */
    private static final Pattern FORBIDDEN_IN_HOST = Pattern.compile("[\\x00-\\x20<>^|\"]");

    /** URLs in plain text: a scheme, or a bare www. name as mail clients linkify them. */
    static final Pattern TEXT_URL = Pattern.compile("(?i)\\b(?:https?://|ftp://|www\\.)[^\\s<>\"'`{}|\\\\^\\[\\]]+");
    private static final Pattern SHOWN_DOMAIN = Pattern.compile("(?i)^(?:[a-z][a-z0-9+.-]*://)?([^\\s/:?#@]+\\.[a-z]{2,}|[^\\s/:?#@]+\\.xn--[a-z0-9-]+)(?:[:/?#].*)?$");
    private static final Pattern DOTTED_QUAD = Pattern.compile("^\\d{1,3}(\\.\\d{1,3}){3}$");
    private static final Pattern NUMERIC_HOST = Pattern.compile("^(0x[0-9a-f]+|\\d+)(\\.(0x[0-9a-f]+|\\d+)){0,3}$");
    private static final OrganizationalDomain ORGANIZATIONS = OrganizationalDomain.bundled();
    private static final Set<String> SHORTENERS = loadShorteners();

    private LinkAnalysis() {
    }

    static Link of(String rawUrl, Optional<String> shownText, Link.Source source) {
        // Browsers drop tabs and line breaks anywhere in a URL before parsing it (WHATWG URL), so an href that a
        // mailer's line wrapping split still leads where its parts joined say.
        String url = TRAILING_PUNCTUATION.matcher(TAB_OR_NEWLINE.matcher(rawUrl).replaceAll("").strip()).replaceAll("");
        Optional<String> rawHost = hostOf(url);
        boolean userInfo = hasUserInfo(url);
        boolean ipLiteral = rawHost.map(LinkAnalysis::isIpLiteral).orElse(false);
        Optional<String> host = rawHost.map(h -> ipLiteral ? h : asciiHost(h));
        boolean punycode = host.map(h -> h.startsWith("xn--") || h.contains(".xn--")).orElse(false);
        boolean shortener = host.map(h -> SHORTENERS.contains(h) || SHORTENERS.contains(WWW.matcher(h).replaceFirst("")))
                .orElse(false);
        Optional<String> shownHost = shownText.flatMap(LinkAnalysis::shownHostOf);
        boolean mismatch = shownHost.isPresent() && host.isPresent()
                && !organisationOf(shownHost.get()).equals(organisationOf(host.get()));
        return new Link(url, host, shownText.map(String::strip).filter(t -> !t.isEmpty()), source, ipLiteral,
                punycode, userInfo, shortener, shownHost, mismatch);
    }

    /** The registrable domain of a host (itself for an IP literal or an unknown suffix). */
    static String organisationOf(String host) {
        if (isIpLiteral(host)) return host;
        try {
            return ORGANIZATIONS.of(host);
        } catch (RuntimeException notADomainName) {
            return host;
        }
    }

    static Optional<String> hostOf(String url) {
        String rest = url;
        int scheme = rest.indexOf("://");
        if (scheme > 0 && scheme < 12) {
            rest = rest.substring(scheme + 3);
        } else if (!rest.toLowerCase(Locale.ROOT).startsWith("www.")) {
            return Optional.empty(); // mailto:, tel:, relative links
        }
        int end = 0;
        while (end < rest.length() && "/?#\\".indexOf(rest.charAt(end)) < 0) end++;
        String authority = rest.substring(0, end);
        int at = authority.lastIndexOf('@');
        if (at >= 0) authority = authority.substring(at + 1);
        String host;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            host = close > 0 ? authority.substring(0, close + 1) : authority;
        } else {
            int colon = authority.indexOf(':');
            host = colon >= 0 ? authority.substring(0, colon) : authority;
        }
        host = TRAILING_DOTS.matcher(host.toLowerCase(Locale.ROOT)).replaceAll("");
        // A host with a space or another character no host may hold leads nowhere: a browser refuses the URL.
        return host.isEmpty() || FORBIDDEN_IN_HOST.matcher(host).find() ? Optional.empty() : Optional.of(host);
    }

    private static boolean hasUserInfo(String url) {
        int scheme = url.indexOf("://");
        if (scheme < 0) return false;
        String rest = url.substring(scheme + 3);
        int end = 0;
        while (end < rest.length() && "/?#\\".indexOf(rest.charAt(end)) < 0) end++;
        return rest.substring(0, end).indexOf('@') >= 0;
    }

    /** Dotted quads, but also the decimal/hex/octal forms browsers accept ({@code http://3232235777/}). */
    static boolean isIpLiteral(String host) {
        if (host.startsWith("[")) return true;
        return DOTTED_QUAD.matcher(host).matches() || NUMERIC_HOST.matcher(host).matches();
    }

    private static String asciiHost(String host) {
        try {
            return IDN.toASCII(host, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (RuntimeException invalid) {
            return host;
        }
    }

    private static Optional<String> shownHostOf(String text) {
        String t = text.strip();
        if (t.length() > 300 || t.indexOf(' ') >= 0) return Optional.empty();
        Matcher m = SHOWN_DOMAIN.matcher(t);
        if (!m.matches()) return Optional.empty();
        String host = asciiHost(m.group(1).toLowerCase(Locale.ROOT));
        // "john.smith" or "invoice.pdf" are not domains: only a name under a known public suffix (or a TLD that
        // RFC 2606 reserves for tests and examples) is.
        if (!InternetDomainName.isValid(host)) return Optional.empty();
        boolean reserved = host.endsWith(".test") || host.endsWith(".example");
        if (!reserved && !InternetDomainName.from(host).isUnderPublicSuffix()) return Optional.empty();
        return Optional.of(host);
    }

    private static Set<String> loadShorteners() {
        Set<String> hosts = new HashSet<>();
        try (InputStream in = LinkAnalysis.class.getResourceAsStream("shorteners.txt")) {
            if (in == null) throw new IllegalStateException("shorteners.txt missing from the class path");
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = reader.readLine()) != null; ) {
                String h = line.strip().toLowerCase(Locale.ROOT);
                if (!h.isEmpty() && !h.startsWith("#")) hosts.add(h);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Set.copyOf(hosts);
    }
}
