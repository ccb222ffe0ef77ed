package org.postern.auth.arc;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An RFC 6376 §3.2 tag=value list, parsed strictly: tag names are case-sensitive, a repeated tag, an empty tag-spec
 * ({@code ";;"}) or a tag without a name invalidates the whole list; one trailing {@code ";"} is allowed. Values keep
 * their inner whitespace; callers strip it where the grammar allows FWS (base64, colon lists).
 */
final class TagList {

    /** A tag's value and where it sits in the text, so {@code b=} can be emptied in place (§3.7). */
    record Tag(String value, int valueStart, int valueEnd) { }

    private final String text;
    private final Map<String, Tag> tags;

    private TagList(String text, Map<String, Tag> tags) {
        this.text = text;
        this.tags = Collections.unmodifiableMap(tags);
    }

    /** Empty when the text is not a valid tag-list. */
    static Optional<TagList> parse(String text) {
        Map<String, Tag> tags = new LinkedHashMap<>();
        int start = 0;
        while (start <= text.length()) {
            int semi = text.indexOf(';', start);
            int end = semi < 0 ? text.length() : semi;
            String spec = text.substring(start, end);
            if (isBlank(spec)) {
                // only allowed as the empty remainder after a final ";"
                if (semi >= 0 || start == 0) return Optional.empty();
                break;
            }
            int eq = spec.indexOf('=');
            if (eq < 0) return Optional.empty();
            String name = spec.substring(0, eq).strip();
            if (!validName(name)) return Optional.empty();
            String rawValue = spec.substring(eq + 1);
            if (!validValue(rawValue)) return Optional.empty();
            if (tags.put(name, new Tag(rawValue.strip(), start + eq + 1, end)) != null) return Optional.empty();
            if (semi < 0) break;
            start = semi + 1;
        }
        return Optional.of(new TagList(text, tags));
    }

    Optional<String> get(String name) {
        return Optional.ofNullable(tags.get(name)).map(Tag::value);
    }

    boolean has(String name) {
        return tags.containsKey(name);
    }

    /** The text with the named tag's value (and the whitespace around it) removed, as §3.7 hashes a signature. */
    String withEmptyValue(String name) {
        Tag tag = tags.get(name);
        if (tag == null) return text;
        return text.substring(0, tag.valueStart()) + text.substring(tag.valueEnd());
    }

    private static boolean isBlank(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!isFws(s.charAt(i))) return false;
        }
        return true;
    }

    private static boolean isFws(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    /** {@code tag-name = ALPHA *ALNUMPUNC}. */
    private static boolean validName(String name) {
        if (name.isEmpty() || !isAlpha(name.charAt(0))) return false;
        for (int i = 1; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!isAlpha(c) && !(c >= '0' && c <= '9') && c != '_') return false;
        }
        return true;
    }

    private static boolean isAlpha(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /** {@code tag-value = [ tval *( 1*(WSP / FWS) tval ) ]}, {@code VALCHAR = %x21-3A / %x3C-7E}. */
    private static boolean validValue(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!isFws(c) && (c < 0x21 || c == ';' || c == 0x7F)) return false;
        }
        return true;
    }
}
