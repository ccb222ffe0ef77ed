package org.postern.rules;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

import java.util.List;

/**
 * A tenant's regular expression, compiled once with RE2/J (linear-time matching, no backtracking, no
 * back-references), case-insensitive as Exchange's patterns are, within size limits, with a literal prefilter.
 */
final class SafeRegex {

    /** Longest pattern accepted, in characters. */
    static final int MAX_PATTERN_LENGTH = 1_000;
    /** Largest estimated RE2 program accepted, in instructions ({@link RegexShape}). */
    static final int MAX_PROGRAM_SIZE = 3_000;

    private final String source;
    private final Pattern pattern;
    /** Every match contains one needle of each list. */
    private final List<List<Needle>> prefilter;
    private final long size;

    private SafeRegex(String source, Pattern pattern, List<List<Needle>> prefilter, long size) {
        this.source = source;
        this.pattern = pattern;
        this.prefilter = prefilter;
        this.size = size;
    }

    /** Compiles or throws IllegalArgumentException saying what is wrong (the caller adds rule and field). */
    static SafeRegex compile(String source) {
        if (source.isEmpty()) throw new IllegalArgumentException("empty pattern");
        if (source.length() > MAX_PATTERN_LENGTH) {
            throw new IllegalArgumentException("pattern too long (" + source.length() + " characters, limit " + MAX_PATTERN_LENGTH + ")");
        }
        RegexShape.Shape shape = RegexShape.of(source);
        if (shape.size() > MAX_PROGRAM_SIZE) {
            throw new IllegalArgumentException("pattern too large (about " + (shape.size() >= RegexInfo.HUGE ? "2^40" : shape.size())
                    + " instructions once repetitions are expanded, limit " + MAX_PROGRAM_SIZE + ")");
        }
        Pattern pattern;
        try {
            pattern = Pattern.compile(source, Pattern.CASE_INSENSITIVE);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("not a valid RE2 pattern: " + e.getDescription());
        }
        List<List<Needle>> prefilter = shape.requiredLiterals().stream()
                .map(set -> set.stream().map(Needle::new).toList()).toList();
        return new SafeRegex(source, pattern, prefilter, shape.size());
    }

    String source() {
        return source;
    }

    /** The estimated program size, for the rule set's total budget. */
    long size() {
        return size;
    }

    /**
     * Whether the pattern occurs in {@code text}.
     *
     * @param folded {@code RegexShape.fold(text)}, computed once per text by the caller
     */
    boolean find(String text, String folded) {
        for (List<Needle> oneOf : prefilter) {
            if (!anyIn(oneOf, folded)) return false;
        }
        return pattern.matcher(text).find();
    }

    boolean find(String text) {
        return find(text, RegexShape.fold(text));
    }

    private static boolean anyIn(List<Needle> needles, String folded) {
        for (Needle n : needles) if (n.foundIn(folded)) return true;
        return false;
    }

    @Override
    public String toString() {
        return source;
    }
}
