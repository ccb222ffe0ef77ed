package org.postern.content;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A mailbox from an address header such as From or Reply-To, parsed leniently: spam rarely follows RFC 5322.
 *
 * @param displayName the decoded display name, "" when none
 * @param address     the address as written between angle brackets (or alone), "" when none could be found
 */
public record Mailbox(String displayName, String address) {

    private static final Pattern DOMAIN_TAIL = Pattern.compile("[.>]+$");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Pattern ADDRESS_QUOTES = Pattern.compile("^[\"'(]+|[\"',;)]+$");

    public Mailbox {
        Objects.requireNonNull(displayName);
        Objects.requireNonNull(address);
    }

    /** The display name, when there is one. */
    public Optional<String> name() {
        return displayName.isBlank() ? Optional.empty() : Optional.of(displayName);
    }

    /** The lower-case domain after the last {@code @}, when the address has one. */
    public Optional<String> domain() {
        int at = address.lastIndexOf('@');
        if (at < 0 || at == address.length() - 1) return Optional.empty();
        return Optional.of(DOMAIN_TAIL.matcher(address.substring(at + 1).toLowerCase(Locale.ROOT)).replaceAll(""));
    }

    /** The part before the last {@code @}, "" when none. */
    public String localPart() {
        int at = address.lastIndexOf('@');
        return at < 0 ? address : address.substring(0, at);
    }

    /**
     * Parses one mailbox of a header value. Takes the last {@code <...>} as the address and what precedes it as the
     * name; without brackets, the first word containing {@code @}, with a trailing comment as the name.
     */
    public static Mailbox parse(String value) {
        String v = value.strip();
        int lt = v.lastIndexOf('<');
        int gt = v.lastIndexOf('>');
        if (lt >= 0 && gt > lt) {
            return new Mailbox(unquote(v.substring(0, lt)), v.substring(lt + 1, gt).strip());
        }
        String address = "";
        StringBuilder rest = new StringBuilder();
        for (String word : WHITESPACE.split(v)) {
            if (address.isEmpty() && word.indexOf('@') > 0) {
                address = ADDRESS_QUOTES.matcher(word).replaceAll("");
            } else {
                rest.append(word).append(' ');
            }
        }
        String name = rest.toString().strip();
        if (name.startsWith("(") && name.endsWith(")")) name = name.substring(1, name.length() - 1);
        return new Mailbox(unquote(name), address);
    }

    private static String unquote(String s) {
        String t = s.strip();
        if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) t = t.substring(1, t.length() - 1);
        return t.replace("\\\"", "\"").strip();
    }
}
