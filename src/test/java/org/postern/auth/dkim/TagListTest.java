package org.postern.auth.dkim;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TagListTest {

    @Test
    void dropsFoldingWhitespaceAroundNamesAndValues() throws Exception {
        TagList t = TagList.parse(" v=1;\r\n\ta = rsa-sha256 ; n=two words;\r\n b=ab\r\n cd ;");
        assertThat(t.get("v")).contains("1");
        assertThat(t.get("a")).contains("rsa-sha256");
        assertThat(t.get("n")).contains("two words");
        assertThat(t.get("b")).contains("ab\r\n cd");
        assertThat(TagList.base64(t.get("b").orElseThrow())).isEqualTo("abcd");
        assertThat(t.firstName()).contains("v");
    }

    @Test
    void aTagNamedTwiceInvalidatesTheList() {
        assertThatThrownBy(() -> TagList.parse("v=1; d=a.example; d=b.example"))
                .isInstanceOf(DkimProblem.class).hasMessageContaining("twice");
    }

    @Test
    void tagNamesAreCaseSensitive() throws Exception {
        TagList t = TagList.parse("b=lower; B=upper");
        assertThat(t.get("b")).contains("lower");
        assertThat(t.get("B")).contains("upper");
    }

    @Test
    void refusesSpecsWithoutEqualsOrWithBadNames() {
        assertThatThrownBy(() -> TagList.parse("v=1; junk")).isInstanceOf(DkimProblem.class);
        assertThatThrownBy(() -> TagList.parse("1v=1")).isInstanceOf(DkimProblem.class);
        assertThatThrownBy(() -> TagList.parse("a b=1")).isInstanceOf(DkimProblem.class);
    }

    @Test
    void emptySpecsAreSkipped() throws Exception {
        assertThat(TagList.parse("v=1;; a=x;").get("a")).contains("x");
    }

    @Test
    void base64ValuesMustBeBase64() {
        assertThatThrownBy(() -> TagList.decodeBase64("b", "abc*")).isInstanceOf(DkimProblem.class);
        assertThatThrownBy(() -> TagList.decodeBase64("b", "abcde")).isInstanceOf(DkimProblem.class);
    }
}
