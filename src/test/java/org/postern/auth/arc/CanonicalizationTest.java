package org.postern.auth.arc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** RFC 6376 §3.4 canonicalization, with the §3.4.6 example. */
class CanonicalizationTest {

    private static final String EXAMPLE = "A: X\r\nB : Y\t\r\n\tZ  \r\n\r\n C \r\nD \t E\r\n\r\n\r\n";

    @Test
    void section346ExampleRelaxed() {
        MessageSections m = MessageSections.parse(EXAMPLE.getBytes(StandardCharsets.ISO_8859_1));
        assertThat(m.headers()).hasSize(2);
        assertThat(Canonicalization.RELAXED.header(m.headers().get(0))).isEqualTo("a:X\r\n");
        assertThat(Canonicalization.RELAXED.header(m.headers().get(1))).isEqualTo("b:Y Z\r\n");
        assertThat(Canonicalization.RELAXED.body(m.body())).isEqualTo(" C\r\nD E\r\n");
    }

    @Test
    void section346ExampleSimple() {
        MessageSections m = MessageSections.parse(EXAMPLE.getBytes(StandardCharsets.ISO_8859_1));
        assertThat(Canonicalization.SIMPLE.header(m.headers().get(0))).isEqualTo("A: X\r\n");
        assertThat(Canonicalization.SIMPLE.header(m.headers().get(1))).isEqualTo("B : Y\t\r\n\tZ  \r\n");
        assertThat(Canonicalization.SIMPLE.body(m.body())).isEqualTo(" C \r\nD \t E\r\n");
    }

    @Test
    void emptyBodies() {
        assertThat(Canonicalization.SIMPLE.body("")).isEqualTo("\r\n");
        assertThat(Canonicalization.RELAXED.body("")).isEmpty();
        assertThat(Canonicalization.RELAXED.body("  \r\n\r\n")).isEmpty();
    }

    @Test
    void missingFinalCrlfIsAdded() {
        assertThat(Canonicalization.SIMPLE.body("abc")).isEqualTo("abc\r\n");
        assertThat(Canonicalization.RELAXED.body("abc  ")).isEqualTo("abc\r\n");
    }

    @Test
    void headerSectionWithoutBodyAndMessageWithoutHeaders() {
        MessageSections headersOnly = MessageSections.parse("From: a@example.com\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(headersOnly.headers()).hasSize(1);
        assertThat(headersOnly.body()).isEmpty();
        MessageSections bodyOnly = MessageSections.parse("\r\nFrom: not a header\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(bodyOnly.headers()).isEmpty();
        assertThat(bodyOnly.body()).isEqualTo("From: not a header\r\n");
    }
}
