package org.postern.edge;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ReferencesTest {

    @Test
    void referencesAreShortUnambiguousAndDistinct() {
        References refs = new References(Clock.systemUTC());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String r = refs.next();
            assertThat(r).matches("[0-9A-HJKMNP-TV-Z]{15}");
            seen.add(r);
        }
        assertThat(seen).hasSize(10_000);
        // Time-ordered: a later id sorts after an earlier one.
        String a = refs.next();
        String b = refs.next();
        assertThat(a.compareTo(b)).isNegative();
        assertThat(a.substring(0, 9)).isNotEqualTo("000000000");
    }
}
