package org.postern.rules;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Tenant patterns: linear time, bounded size, and a prefilter that never hides a match. */
class SafeRegexTest {

    @Test
    void catastrophicBacktrackingPatternAnswersInMillisecondsOnA5000CharacterSubject() {
        RuleSet rules = Rules.compile("""
                - { name: redos, priority: 1, when: { subject-matches: "(a+)+$" }, then: { set-scl: 9 } }
                """);
        String subject = "a".repeat(5_000) + "!";
        RuleSubject message = Rules.message().subject(subject).build();
        rules.evaluate(message, Rules.NOW); // first run includes class loading
        long start = System.nanoTime();
        RuleOutcome outcome = rules.evaluate(message, Rules.NOW);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(outcome.hits()).isEmpty();
        assertThat(millis).as("evaluation time in ms").isLessThan(500);

        RuleOutcome matching = rules.evaluate(Rules.message().subject("a".repeat(5_000)).build(), Rules.NOW);
        assertThat(matching.hits()).hasSize(1);
    }

    @Test
    void refusesPatternsWhoseExpandedProgramWouldBeLarge() {
        for (String huge : new String[] {"((a{100}){100}){100}", "(a{1000}){1000}", "(x{30}|y{30}){100}", "(?:[a-z]{50}){100}",
                "\\Q(\\E(a{60}){60}", "(a{1000}){1000}{1000}"}) {
            assertThatThrownBy(() -> SafeRegex.compile(huge)).as(huge).hasMessageContaining("pattern too large");
        }
        assertThatThrownBy(() -> SafeRegex.compile("a".repeat(1_001))).hasMessageContaining("pattern too long");
    }

    @Test
    void acceptsOrdinaryPatterns() {
        for (String ok : new String[] {"wire\\s+transfer|urgent\\s+payment", "\\binvoice\\s+\\d{4}-\\d{2}\\b", "^\\[external\\]",
                "[A-Z]{3}-\\d{6}", "(?i)gift ?cards?", "\\p{Greek}+", "[[:alpha:]]{1,100}", "(?P<id>[0-9a-f]{32})", ".{0,500}x"}) {
            assertThat(SafeRegex.compile(ok).source()).isEqualTo(ok);
        }
    }

    @Test
    void refusesWhatRe2DoesNotSupport() {
        assertThatThrownBy(() -> SafeRegex.compile("(a)\\1")).hasMessageContaining("not a valid RE2 pattern");
        assertThatThrownBy(() -> SafeRegex.compile("(?=x)")).hasMessageContaining("not a valid RE2 pattern");
        assertThatThrownBy(() -> SafeRegex.compile("a{1001}")).hasMessageContaining("not a valid RE2 pattern");
    }

    @Test
    void patternsAreCaseInsensitiveUnlessTheySayOtherwise() {
        assertThat(SafeRegex.compile("wire transfer").find("URGENT WIRE TRANSFER")).isTrue();
        assertThat(SafeRegex.compile("(?-i)wire transfer").find("URGENT WIRE TRANSFER")).isFalse();
    }

    @Test
    void prefilterLiteralsComeFromWhatEveryMatchMustContain() {
        assertThat(RegexShape.of("\\binvoice\\s+\\d{4}").requiredLiterals()).containsExactly(List.of("invoice"));
        assertThat(RegexShape.of("wire\\s+transfer").requiredLiterals()).containsExactly(List.of("transfer"), List.of("wire"));
        assertThat(RegexShape.of("wire\\s+transfer|urgent\\s+payment").requiredLiterals()).containsExactly(List.of("transfer", "payment"));
        assertThat(RegexShape.of("(?:ceo|cfo)\\s+request").requiredLiterals()).containsExactly(List.of("request"), List.of("ceo", "cfo"));
        assertThat(RegexShape.of("^\\[External\\]").requiredLiterals()).containsExactly(List.of("[external]"));
        assertThat(RegexShape.of("gift ?cards?").requiredLiterals()).containsExactly(List.of("gift"), List.of("card"));
        assertThat(RegexShape.of("(a+)+$").requiredLiterals()).containsExactly(List.of("a"));
        assertThat(RegexShape.of("a*|b").requiredLiterals()).isEmpty();
        assertThat(RegexShape.of("[0-9]+").requiredLiterals()).isEmpty();
    }

    @Test
    void everyRequiredLiteralMustBePresentBeforeTheMatcherRuns() {
        SafeRegex r = SafeRegex.compile("(?:ceo|cfo)\\s+request");
        assertThat(r.find("Payment request")).isFalse();
        assertThat(r.find("CFO  Request: pay now")).isTrue();
    }

    /**
     * Differential check of the prefilter and the fold against RE2/J itself: random patterns over letters whose
     * case folding is unusual (k, s and their Kelvin sign and long s), classes, groups, alternations and
     * quantifiers, against random texts. A prefilter that skipped a real match would be a rule that fails to fire.
     */
    @Test
    void prefilterNeverHidesAMatchThatRe2Finds() {
        Random random = new Random(7);
        int compared = 0;
        for (int i = 0; i < 4_000; i++) {
            String pattern = randomPattern(random, 3);
            Pattern re2;
            try {
                re2 = Pattern.compile(pattern, Pattern.CASE_INSENSITIVE);
            } catch (PatternSyntaxException e) {
                continue;
            }
            SafeRegex safe;
            try {
                safe = SafeRegex.compile(pattern);
            } catch (IllegalArgumentException e) {
                continue; // too large: never evaluated
            }
            for (int j = 0; j < 12; j++) {
                String text = randomText(random, pattern);
                assertThat(safe.find(text)).as("pattern %s on text %s", pattern, text).isEqualTo(re2.matcher(text).find());
                compared++;
            }
        }
        assertThat(compared).isGreaterThan(20_000);
    }

    private static final String[] ATOMS = {"a", "b", "k", "s", "K", "S", "\u017f", "\u212a", "ab", "ks", "sk", "\\.", ".",
            "[a-c]", "[^k]", "\\d", "\\w", "\\s", " ", "\\b", "^", "$", "\\Qk.s\\E", "(?i)", "(?-i)", "[]k]", "x"};
    private static final String[] QUANTIFIERS = {"", "", "", "*", "+", "?", "{2}", "{1,2}", "{0,1}", "*?", "{2,}"};

    private static String randomPattern(Random r, int depth) {
        StringBuilder b = new StringBuilder();
        int parts = 1 + r.nextInt(4);
        for (int i = 0; i < parts; i++) {
            int kind = r.nextInt(10);
            if (kind < 2 && depth > 0) {
                b.append(r.nextBoolean() ? "(" : "(?:").append(randomPattern(r, depth - 1)).append(')');
            } else if (kind == 2 && depth > 0) {
                b.append('(').append(randomPattern(r, depth - 1)).append('|').append(randomPattern(r, depth - 1)).append(')');
            } else {
                b.append(ATOMS[r.nextInt(ATOMS.length)]);
            }
            b.append(QUANTIFIERS[r.nextInt(QUANTIFIERS.length)]);
        }
        if (r.nextInt(8) == 0) b.append('|').append(randomPattern(r, 0));
        return b.toString();
    }

    private static final String TEXT_CHARS = "abksKS\u017f\u212a. 1xAB";

    /** Mostly texts built from the pattern's own characters, so matches are frequent. */
    private static String randomText(Random r, String pattern) {
        StringBuilder b = new StringBuilder();
        int length = r.nextInt(12);
        for (int i = 0; i < length; i++) {
            String source = r.nextBoolean() ? TEXT_CHARS : pattern;
            char c = source.charAt(r.nextInt(source.length()));
            b.append(r.nextInt(4) == 0 ? (Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c)) : c);
        }
        return b.toString();
    }
}
