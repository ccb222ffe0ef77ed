package org.postern.auth.spf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A parsed macro-string (RFC 7208 §7.1): literal text and {@code %{...}} expansions, checked once when the record
 * is parsed so a syntax error anywhere is a permerror even if the term is never reached (§4.6).
 *
 * <pre>
 * macro-string = *( macro-expand / macro-literal )
 * macro-expand = ( "%{" macro-letter transformers *delimiter "}" ) / "%%" / "%_" / "%-"
 * macro-literal = %x21-24 / %x26-7E      ; explain-string also allows SP
 * macro-letter = "s" / "l" / "o" / "d" / "i" / "p" / "h" / "c" / "r" / "t" / "v"
 * transformers = *DIGIT [ "r" ]
 * delimiter    = "." / "-" / "+" / "," / "/" / "_" / "="
 * </pre>
 */
final class MacroString {

    /** Where the string appears: {@code c}, {@code r} and {@code t} are allowed in explanation text only (§7.3). */
    enum Context { DOMAIN_SPEC, EXPLANATION }

    sealed interface Part { }

    record Literal(String text) implements Part { }

    /**
     * One {@code %{...}} expansion.
     *
     * @param letter     the macro letter, lower-cased
     * @param urlEscape  the letter was upper-case: URL-escape the value (§7.3)
     * @param keep       how many right-hand parts to keep; 0 keeps all
     * @param reverse    the {@code r} transformer
     * @param delimiters the split characters given; empty means "." and no split requested
     */
    record Macro(char letter, boolean urlEscape, int keep, boolean reverse, String delimiters) implements Part { }

    private static final String DELIMITERS = ".-+,/_=";
    private static final String LETTERS = "slodiphv";
    private static final String EXPLANATION_ONLY_LETTERS = "crt";
    /** RFC 7208 §7.3: implementations must support at least 128; more parts than that is "all of them". */
    private static final int MAX_KEEP = 128;

    private final String source;
    private final List<Part> parts;
    private final boolean endsWithExpand;
    private final String trailingLiteral;

    private MacroString(String source, List<Part> parts, boolean endsWithExpand, String trailingLiteral) {
        this.source = source;
        this.parts = Collections.unmodifiableList(parts);
        this.endsWithExpand = endsWithExpand;
        this.trailingLiteral = trailingLiteral;
    }

    static MacroString parse(String text, Context context) throws SpfSyntaxException {
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        StringBuilder trailing = new StringBuilder();
        boolean lastWasExpand = false;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c != '%') {
                boolean allowed = (c >= 0x21 && c <= 0x7E) || (c == ' ' && context == Context.EXPLANATION);
                if (!allowed) throw new SpfSyntaxException("character 0x" + Integer.toHexString(c) + " not allowed in \"" + text + "\"");
                literal.append(c);
                trailing.append(c);
                lastWasExpand = false;
                i++;
                continue;
            }
            if (i + 1 >= text.length()) throw new SpfSyntaxException("'%' at the end of \"" + text + "\"");
            char next = text.charAt(i + 1);
            switch (next) {
                case '%' -> literal.append('%');
                case '_' -> literal.append(' ');
                case '-' -> literal.append("%20");
                case '{' -> {
                    int close = text.indexOf('}', i + 2);
                    if (close < 0) throw new SpfSyntaxException("unterminated macro in \"" + text + "\"");
                    if (!literal.isEmpty()) {
                        parts.add(new Literal(literal.toString()));
                        literal.setLength(0);
                    }
                    parts.add(macro(text.substring(i + 2, close), context, text));
                    i = close + 1;
                    trailing.setLength(0);
                    lastWasExpand = true;
                    continue;
                }
                default -> throw new SpfSyntaxException("'%' followed by '" + next + "' in \"" + text + "\"");
            }
            trailing.setLength(0);
            lastWasExpand = true;
            i += 2;
        }
        if (!literal.isEmpty()) parts.add(new Literal(literal.toString()));
        return new MacroString(text, parts, lastWasExpand, trailing.toString());
    }

    private static Macro macro(String body, Context context, String text) throws SpfSyntaxException {
        if (body.isEmpty()) throw new SpfSyntaxException("empty macro in \"" + text + "\"");
        char raw = body.charAt(0);
        char letter = Character.toLowerCase(raw);
        boolean known = raw < 0x80 && (LETTERS.indexOf(letter) >= 0
                || (context == Context.EXPLANATION && EXPLANATION_ONLY_LETTERS.indexOf(letter) >= 0));
        if (!known) throw new SpfSyntaxException("macro letter '" + raw + "' not allowed here in \"" + text + "\"");
        int i = 1;
        int digitsStart = i;
        while (i < body.length() && body.charAt(i) >= '0' && body.charAt(i) <= '9') i++;
        int keep = 0;
        if (i > digitsStart) {
            String digits = body.substring(digitsStart, i);
            keep = digits.length() > 3 ? MAX_KEEP : Math.min(MAX_KEEP, Integer.parseInt(digits));
            if (keep == 0) throw new SpfSyntaxException("macro transformer 0 in \"" + text + "\"");
        }
        boolean reverse = false;
        if (i < body.length() && (body.charAt(i) == 'r' || body.charAt(i) == 'R')) {
            reverse = true;
            i++;
        }
        String delimiters = body.substring(i);
        for (char d : delimiters.toCharArray()) {
            if (DELIMITERS.indexOf(d) < 0) throw new SpfSyntaxException("bad macro delimiter '" + d + "' in \"" + text + "\"");
        }
        return new Macro(letter, Character.isUpperCase(raw), keep, reverse, delimiters);
    }

    String expand(MacroContext context) {
        StringBuilder out = new StringBuilder();
        for (Part part : parts) {
            switch (part) {
                case Literal l -> out.append(l.text());
                case Macro m -> out.append(expand(m, context));
            }
        }
        return out.toString();
    }

    private static String expand(Macro m, MacroContext context) {
        String value = context.value(m.letter());
        if (m.keep() > 0 || m.reverse() || !m.delimiters().isEmpty()) {
            value = transform(value, m);
        }
        return m.urlEscape() ? urlEscape(value) : value;
    }

    /** §7.3: split on the delimiters, optionally reverse, keep the right-most parts, join with ".". */
    private static String transform(String value, Macro m) {
        String delimiters = m.delimiters().isEmpty() ? "." : m.delimiters();
        List<String> labels = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < value.length(); i++) {
            if (delimiters.indexOf(value.charAt(i)) >= 0) {
                labels.add(value.substring(start, i));
                start = i + 1;
            }
        }
        labels.add(value.substring(start));
        if (m.reverse()) Collections.reverse(labels);
        if (m.keep() > 0 && m.keep() < labels.size()) labels = labels.subList(labels.size() - m.keep(), labels.size());
        return String.join(".", labels);
    }

    /** §7.3: upper-case macro letters are URL-escaped; everything but RFC 3986 "unreserved" is %-encoded. */
    static String urlEscape(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            boolean unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~';
            if (unreserved) out.append((char) c);
            else out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                    .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
        }
        return out.toString();
    }

    List<Part> parts() {
        return parts;
    }

    boolean isEmpty() {
        return source.isEmpty();
    }

    /** True when the last token is a macro-expand (including %%, %_ and %-): a valid domain-end (§7.1). */
    boolean endsWithExpand() {
        return endsWithExpand;
    }

    /** The literal characters after the last macro-expand, as written. */
    String trailingLiteral() {
        return trailingLiteral;
    }

    @Override
    public String toString() {
        return source;
    }
}
