package org.postern.auth.dkim;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A DKIM tag=value list (RFC 6376 §3.2), used by signatures and key records alike.
 *
 * <p>Grammar: {@code tag-list = tag-spec *( ";" tag-spec ) [ ";" ]}, {@code tag-spec = [FWS] tag-name [FWS] "="
 * [FWS] tag-value [FWS]}. Values keep their inner whitespace (a key's {@code n=} may hold spaces; base64 values are
 * cleaned by {@link #base64}); surrounding FWS is dropped. A tag named twice makes the whole list invalid (§3.2).
 * Known compromise: an empty spec ({@code ;;}) is skipped rather than refused, as dkimpy and OpenDKIM do, because
 * real signers emit it.</p>
 */
final class TagList {

    private final Map<String, String> tags;

    private TagList(Map<String, String> tags) {
        this.tags = Collections.unmodifiableMap(tags);
    }

    /** Parses a list; the message of the exception says what was wrong. */
    static TagList parse(String text) throws DkimProblem {
        Map<String, String> tags = new LinkedHashMap<>();
        for (String spec : text.split(";", -1)) {
            if (isBlank(spec)) continue;
            int eq = spec.indexOf('=');
            if (eq < 0) throw DkimProblem.permerror("tag without '=': " + abbreviate(spec.strip()));
            String name = trimFws(spec.substring(0, eq));
            if (!isTagName(name)) throw DkimProblem.permerror("bad tag name: " + abbreviate(name));
            String value = trimFws(spec.substring(eq + 1));
            if (tags.putIfAbsent(name, value) != null) throw DkimProblem.permerror("tag " + name + "= appears twice");
        }
        return new TagList(tags);
    }

    Optional<String> get(String name) {
        return Optional.ofNullable(tags.get(name));
    }

    /** The first tag's name, for rules such as "v= must come first" (§3.6.1). */
    Optional<String> firstName() {
        return tags.keySet().stream().findFirst();
    }

    String require(String name) throws DkimProblem {
        String v = tags.get(name);
        if (v == null) throw DkimProblem.permerror("missing tag " + name + "=");
        return v;
    }

    /** A base64 value with its folding whitespace removed (§3.5: FWS may appear anywhere in b= and bh=). */
    static String base64(String value) {
        StringBuilder sb = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!isFws(c)) sb.append(c);
        }
        return sb.toString();
    }

    static byte[] decodeBase64(String name, String value) throws DkimProblem {
        String clean = base64(value);
        for (int i = 0; i < clean.length(); i++) {
            char c = clean.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '+' || c == '/' || c == '=';
            if (!ok) throw DkimProblem.permerror(name + "= is not base64");
        }
        try {
            return java.util.Base64.getDecoder().decode(clean);
        } catch (IllegalArgumentException e) {
            throw DkimProblem.permerror(name + "= is not base64");
        }
    }

    static boolean isFws(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    static String trimFws(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isFws(s.charAt(start))) start++;
        while (end > start && isFws(s.charAt(end - 1))) end--;
        return s.substring(start, end);
    }

    private static boolean isBlank(String s) {
        return trimFws(s).isEmpty();
    }

    /** {@code tag-name = ALPHA *ALNUMPUNC}, ALNUMPUNC being ALPHA / DIGIT / "_". */
    private static boolean isTagName(String s) {
        if (s.isEmpty() || !isAlpha(s.charAt(0))) return false;
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!isAlpha(c) && !(c >= '0' && c <= '9') && c != '_') return false;
        }
        return true;
    }

    private static boolean isAlpha(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
