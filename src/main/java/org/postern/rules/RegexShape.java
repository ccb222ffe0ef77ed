package org.postern.rules;

import java.util.ArrayList;
import java.util.List;

/**
 * What Postern needs to know about a tenant's regular expression before RE2/J compiles it: how large its program
 * will be, and which literal strings any match must contain.
 *
 * <p>Why our own look at the pattern: RE2/J guarantees linear-time matching, but it expands counted repetitions
 * when it compiles, with no limit of its own — {@code ((a{100}){100}){100}} becomes a million instructions and
 * takes a second and tens of MB to compile; one more level exhausts the heap. So the size is estimated here, from
 * the pattern's structure, and a large pattern is refused before RE2/J sees it. The estimate follows RE2's
 * simplification (a repetition {@code x{n,m}} costs m copies of x) and errs on the large side.
 *
 * <p>The required literals are a prefilter (as RE2's own and code search's): RE2/J's matcher simulates an NFA at
 * about 0.1 µs per character, so a subject regex costs several microseconds, while checking that the subject
 * contains "transfer" costs nanoseconds. The literals are lower-case ASCII and are looked for in
 * {@link #fold folded} text; a pattern whose shape yields no reliable literal gets no prefilter. Soundness: a
 * literal is only collected where every match must contain it, so the prefilter can only skip patterns that
 * cannot match (a differential test checks it against RE2/J).
 *
 * <p>The grammar read is RE2's Perl syntax. Patterns RE2/J refuses may be read loosely here: they are refused by
 * RE2/J right after, before anything is expanded.
 */
final class RegexShape {

    private final String re;
    private int pos;

    private RegexShape(String re) {
        this.re = re;
    }

    /**
     * The structure of a pattern as far as size and literals go.
     *
     * @param requiredLiterals every match contains, for each of these sets, at least one of its strings (folded)
     */
    record Shape(long size, List<List<String>> requiredLiterals) { }

    static Shape of(String pattern) {
        RegexShape p = new RegexShape(pattern);
        RegexInfo info = p.alternation();
        while (p.pos < p.re.length()) { // a stray ')': RE2/J refuses it; read on for the size
            p.pos++;
            info = RegexInfo.concat(List.of(info, p.alternation()));
        }
        return new Shape(info.size(), info.necessary().stream().map(List::copyOf).toList());
    }

    /**
     * The case fold the prefilter compares in: ASCII letters lower-cased, and the two non-ASCII characters whose
     * RE2 case-fold orbit holds an ASCII letter (U+017F long s, U+212A Kelvin sign) mapped to it. Other characters
     * stay as they are: the literals are ASCII, so they can only match folded ASCII. Keeps length and positions.
     */
    static String fold(String text) {
        char[] out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            char f = c >= 'A' && c <= 'Z' ? (char) (c + 32) : c == '\u017f' ? 's' : c == '\u212a' ? 'k' : c;
            if (f != c) {
                if (out == null) out = text.toCharArray();
                out[i] = f;
            }
        }
        return out == null ? text : new String(out);
    }

    // ---- grammar: alternation := concat ('|' concat)* ; concat := (atom quantifier*)* ----

    private RegexInfo alternation() {
        List<RegexInfo> branches = new ArrayList<>();
        branches.add(concat());
        while (pos < re.length() && re.charAt(pos) == '|') {
            pos++;
            branches.add(concat());
        }
        return branches.size() == 1 ? branches.get(0) : RegexInfo.alternate(branches);
    }

    private RegexInfo concat() {
        List<RegexInfo> parts = new ArrayList<>();
        RegexInfo last = null;
        while (pos < re.length()) {
            char c = re.charAt(pos);
            if (c == '|' || c == ')') break;
            RegexInfo quantified = last == null ? null : quantifier(last);
            if (quantified != null) {
                last = quantified;
                continue;
            }
            // RE2 pushes nothing for a flags group "(?i)" or an empty \Q\E: a quantifier after one applies
            // to what came before it ("x(?i)*" is "x*").
            if (skipFlagsGroup()) continue;
            if (re.startsWith("\\Q", pos)) {
                // A quantifier after \Q..\E applies to its last character only, as RE2 reads it.
                List<RegexInfo> quoted = quoted();
                if (quoted.isEmpty()) continue;
                if (last != null) parts.add(last);
                parts.addAll(quoted.subList(0, quoted.size() - 1));
                last = quoted.get(quoted.size() - 1);
                continue;
            }
            if (last != null) parts.add(last);
            last = atom();
        }
        if (last != null) parts.add(last);
        return RegexInfo.concat(parts);
    }

    /** Moves past "(?flags)" (letters and '-' only, no ':'), which matches nothing; false when not at one. */
    private boolean skipFlagsGroup() {
        if (!re.startsWith("(?", pos)) return false;
        int i = pos + 2;
        while (i < re.length() && (Character.isLetter(re.charAt(i)) || re.charAt(i) == '-')) i++;
        if (i >= re.length() || re.charAt(i) != ')' || re.startsWith("(?P", pos)) return false;
        pos = i + 1;
        return true;
    }

    /** The characters of \Q...\E (up to \E or the end), each a literal. */
    private List<RegexInfo> quoted() {
        pos += 2;
        int end = re.indexOf("\\E", pos);
        String text = re.substring(pos, end < 0 ? re.length() : end);
        pos = end < 0 ? re.length() : end + 2;
        List<RegexInfo> literals = new ArrayList<>();
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            literals.add(RegexInfo.literal(cp));
        }
        return literals;
    }

    /** Applies a quantifier at {@code pos} to {@code atom}; null when there is none ({@code {} that is no count is a literal). */
    private RegexInfo quantifier(RegexInfo atom) {
        char c = re.charAt(pos);
        int min;
        int max; // -1: unbounded
        if (c == '*' || c == '+' || c == '?') {
            pos++;
            min = c == '+' ? 1 : 0;
            max = c == '?' ? 1 : -1;
        } else if (c == '{') {
            int[] counts = counts();
            if (counts == null) return null;
            min = counts[0];
            max = counts[1];
        } else {
            return null;
        }
        if (pos < re.length() && re.charAt(pos) == '?') pos++; // non-greedy: same program
        return RegexInfo.repeat(atom, min, max);
    }

    /** {n}, {n,} or {n,m} at {@code pos}, consumed; null (nothing consumed) when the brace is a literal. */
    private int[] counts() {
        int i = pos + 1;
        int start = i;
        while (i < re.length() && Character.isDigit(re.charAt(i))) i++;
        if (i == start || i - start > 7) return null;
        int min = Integer.parseInt(re, start, i, 10);
        int max = min;
        if (i < re.length() && re.charAt(i) == ',') {
            i++;
            int s2 = i;
            while (i < re.length() && Character.isDigit(re.charAt(i))) i++;
            if (i - s2 > 7) return null;
            max = i == s2 ? -1 : Integer.parseInt(re, s2, i, 10);
        }
        if (i >= re.length() || re.charAt(i) != '}') return null;
        pos = i + 1;
        return new int[] {min, max};
    }

    private RegexInfo atom() {
        char c = re.charAt(pos);
        switch (c) {
            case '(' -> {
                return group();
            }
            case '[' -> {
                skipClass();
                return RegexInfo.OPAQUE;
            }
            case '.' -> {
                pos++;
                return RegexInfo.OPAQUE;
            }
            case '^', '$' -> {
                pos++;
                return RegexInfo.EMPTY;
            }
            case '\\' -> {
                return escape();
            }
            default -> {
                int cp = re.codePointAt(pos);
                pos += Character.charCount(cp);
                return RegexInfo.literal(cp);
            }
        }
    }

    private RegexInfo group() {
        pos++; // (
        if (re.startsWith("?P<", pos) || re.startsWith("?<", pos)) {
            int close = re.indexOf('>', pos);
            pos = close < 0 ? re.length() : close + 1;
        } else if (pos < re.length() && re.charAt(pos) == '?') {
            pos++;
            while (pos < re.length() && re.charAt(pos) != ':' && re.charAt(pos) != ')') pos++;
            if (pos < re.length() && re.charAt(pos) == ')') { // (?flags): sets flags, matches nothing
                pos++;
                return RegexInfo.EMPTY;
            }
            pos++; // ':'
        }
        RegexInfo inner = alternation();
        if (pos < re.length()) pos++; // ')'
        return RegexInfo.group(inner);
    }

    private RegexInfo escape() {
        pos++; // backslash
        if (pos >= re.length()) return RegexInfo.OPAQUE;
        char c = re.charAt(pos++);
        switch (c) {
            case 'p', 'P', 'x' -> {
                if (pos < re.length() && re.charAt(pos) == '{') {
                    int close = re.indexOf('}', pos);
                    pos = close < 0 ? re.length() : close + 1;
                } else if (c == 'x') {
                    pos = Math.min(re.length(), pos + 2);
                } else {
                    pos = Math.min(re.length(), pos + 1);
                }
                return RegexInfo.OPAQUE;
            }
            case 'b', 'B', 'A', 'z' -> {
                return RegexInfo.EMPTY;
            }
            default -> {
                // Escaped ASCII punctuation is itself; letters and digits are classes, controls or octal codes.
                boolean punctuation = c < 128 && !Character.isLetterOrDigit(c);
                return punctuation ? RegexInfo.literal(c) : RegexInfo.OPAQUE;
            }
        }
    }

    /** Moves past a character class; RE2 reads ']' right after '[' or '[^' as a member, and [:name:] as one. */
    private void skipClass() {
        pos++; // [
        if (pos < re.length() && re.charAt(pos) == '^') pos++;
        boolean first = true;
        while (pos < re.length()) {
            char c = re.charAt(pos);
            if (c == ']' && !first) {
                pos++;
                return;
            }
            first = false;
            if (c == '[' && pos + 1 < re.length() && re.charAt(pos + 1) == ':') {
                int close = re.indexOf(":]", pos + 2);
                if (close >= 0) {
                    pos = close + 2;
                    continue;
                }
            }
            if (c == '\\' && pos + 1 < re.length()) {
                char e = re.charAt(pos + 1);
                if ((e == 'p' || e == 'P' || e == 'x') && pos + 2 < re.length() && re.charAt(pos + 2) == '{') {
                    int close = re.indexOf('}', pos);
                    pos = close < 0 ? re.length() : close + 1;
                } else {
                    pos += 2;
                }
                continue;
            }
            pos++;
        }
    }
}
