package org.postern.auth.arc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** RFC 6376 §3.2 tag=value lists, strictly. */
class TagListTest {

    @Test
    void readsTagsWithFoldingWhitespaceAroundThem() {
        TagList t = TagList.parse(" a = rsa-sha256 ;\r\n\tb=abc\r\n def; d=example.org;").orElseThrow();
        assertThat(t.get("a")).contains("rsa-sha256");
        assertThat(t.get("b")).contains("abc\r\n def");
        assertThat(t.get("d")).contains("example.org");
        assertThat(t.get("A")).isEmpty();
    }

    @Test
    void rejectsWhatTheGrammarRejects() {
        assertThat(TagList.parse("")).isEmpty();
        assertThat(TagList.parse("a=1;;b=2")).isEmpty();
        assertThat(TagList.parse("a=1; ==; b=2")).isEmpty();
        assertThat(TagList.parse("a=1; a=2")).isEmpty();
        assertThat(TagList.parse("a=1; 1b=2")).isEmpty();
        assertThat(TagList.parse("a=1; b")).isEmpty();
        assertThat(TagList.parse("a=1; b=2;;")).isEmpty();
    }

    @Test
    void allowsEmptyValuesAndOneTrailingSemicolon() {
        TagList t = TagList.parse("h=; x_y=1;  ").orElseThrow();
        assertThat(t.get("h")).contains("");
        assertThat(t.get("x_y")).contains("1");
    }

    @Test
    void emptiesTheSignatureValueInPlace() {
        String text = " a=rsa-sha256; b=AAAA\r\n BBBB ; bh=CCCC";
        assertThat(TagList.parse(text).orElseThrow().withEmptyValue("b")).isEqualTo(" a=rsa-sha256; b=; bh=CCCC");
        String last = " a=1; b=AAAA ";
        assertThat(TagList.parse(last).orElseThrow().withEmptyValue("b")).isEqualTo(" a=1; b=");
    }
}
