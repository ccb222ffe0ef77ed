package org.postern.auth.dkim;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class CanonicalizationTest {

    private static String header(Canonicalization c, String raw) {
        return new String(c.header(raw.getBytes(StandardCharsets.ISO_8859_1)), StandardCharsets.ISO_8859_1);
    }

    /** The canonical body itself, captured by hashing with an identity "digest". */
    private static String body(Canonicalization c, String body) {
        Capture capture = new Capture();
        BodyHasher h = new BodyHasher(c, capture, Long.MAX_VALUE);
        h.write(body.getBytes(StandardCharsets.ISO_8859_1), 0, body.length());
        h.finish();
        return capture.text();
    }

    private static String bodyHash(Canonicalization c, byte[] body, long limit) throws Exception {
        BodyHasher h = new BodyHasher(c, MessageDigest.getInstance("SHA-256"), limit);
        h.write(body, 0, body.length);
        return Base64.getEncoder().encodeToString(h.finish());
    }

    @Test
    void relaxedHeadersFollowRfc6376Section345Example() {
        assertThat(header(Canonicalization.RELAXED, "A: X")).isEqualTo("a:X\r\n");
        assertThat(header(Canonicalization.RELAXED, "B : Y\t\r\n\tZ  ")).isEqualTo("b:Y Z\r\n");
    }

    @Test
    void simpleHeadersKeepEveryOctet() {
        assertThat(header(Canonicalization.SIMPLE, "B : Y\t\r\n\tZ  ")).isEqualTo("B : Y\t\r\n\tZ  \r\n");
    }

    @Test
    void relaxedHeaderWithEmptyValueKeepsTheColon() {
        assertThat(header(Canonicalization.RELAXED, "X-Empty:   ")).isEqualTo("x-empty:\r\n");
    }

    @Test
    void bodiesFollowRfc6376Section345Example() {
        String body = " C \r\nD \t E\r\n\r\n\r\n";
        assertThat(body(Canonicalization.RELAXED, body)).isEqualTo(" C\r\nD E\r\n");
        assertThat(body(Canonicalization.SIMPLE, body)).isEqualTo(" C \r\nD \t E\r\n");
    }

    @Test
    void emptyBodyIsOneCrlfWhenSimpleAndNothingWhenRelaxed() throws Exception {
        assertThat(body(Canonicalization.SIMPLE, "")).isEqualTo("\r\n");
        assertThat(body(Canonicalization.RELAXED, "")).isEmpty();
        assertThat(body(Canonicalization.SIMPLE, "\r\n\r\n")).isEqualTo("\r\n");
        assertThat(body(Canonicalization.RELAXED, " \r\n\t\r\n")).isEmpty();
        // well-known values: SHA-256 of CRLF and of nothing
        assertThat(bodyHash(Canonicalization.SIMPLE, new byte[0], Long.MAX_VALUE))
                .isEqualTo("frcCV1k9oG9oKj3dpUqdJg1PxRT2RSN/XKdLCPjaYaY=");
        assertThat(bodyHash(Canonicalization.RELAXED, new byte[0], Long.MAX_VALUE))
                .isEqualTo("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
    }

    @Test
    void missingFinalCrlfIsAdded() {
        assertThat(body(Canonicalization.SIMPLE, "abc")).isEqualTo("abc\r\n");
        assertThat(body(Canonicalization.RELAXED, "abc \t")).isEqualTo("abc\r\n");
    }

    @Test
    void bareLfEndsALineAndBareCrIsContent() {
        assertThat(body(Canonicalization.SIMPLE, "a\nb\n\n")).isEqualTo("a\r\nb\r\n");
        assertThat(body(Canonicalization.SIMPLE, "a\rb\r\n")).isEqualTo("a\rb\r\n");
        assertThat(body(Canonicalization.SIMPLE, "a\r")).isEqualTo("a\r\r\n");
    }

    @Test
    void leadingEmptyLinesAndInnerEmptyLinesStay() {
        assertThat(body(Canonicalization.RELAXED, "\r\n  \r\nx\r\n\r\ny\r\n\r\n")).isEqualTo("\r\n\r\nx\r\n\r\ny\r\n");
    }

    @Test
    void rfc6376ExampleBodyHashesToThePublishedValue() throws Exception {
        byte[] body = "Hi.\r\n\r\nWe lost the game. Are you hungry yet?\r\n\r\nJoe.\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(bodyHash(Canonicalization.SIMPLE, body, Long.MAX_VALUE))
                .isEqualTo("2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=");
        // RFC 8463's copy has two spaces after "game."; relaxed folds them, so the hash is the same
        byte[] twoSpaces = "Hi.\r\n\r\nWe lost the game.  Are you hungry yet?\r\n\r\nJoe.\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        assertThat(bodyHash(Canonicalization.RELAXED, twoSpaces, Long.MAX_VALUE))
                .isEqualTo("2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=");
    }

    @Test
    void lengthLimitHashesOnlyThePrefixButCountsAll() throws Exception {
        byte[] signed = "first line\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] more = "first line\r\nappended\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(bodyHash(Canonicalization.SIMPLE, more, signed.length))
                .isEqualTo(bodyHash(Canonicalization.SIMPLE, signed, Long.MAX_VALUE));
        BodyHasher h = new BodyHasher(Canonicalization.SIMPLE, MessageDigest.getInstance("SHA-256"), signed.length);
        h.write(more, 0, more.length);
        h.finish();
        assertThat(h.canonicalLength()).isEqualTo(more.length);
    }

    @Test
    void hashDoesNotDependOnHowTheBodyIsSplitIntoWrites() throws Exception {
        Random random = new Random(6376);
        String alphabet = "ab \t\r\n";
        for (int round = 0; round < 300; round++) {
            byte[] body = new byte[random.nextInt(60)];
            for (int i = 0; i < body.length; i++) body[i] = (byte) alphabet.charAt(random.nextInt(alphabet.length()));
            for (Canonicalization c : Canonicalization.values()) {
                String whole = bodyHash(c, body, Long.MAX_VALUE);
                BodyHasher h = new BodyHasher(c, MessageDigest.getInstance("SHA-256"), Long.MAX_VALUE);
                int at = 0;
                while (at < body.length) {
                    int n = 1 + random.nextInt(body.length - at);
                    h.write(body, at, n);
                    at += n;
                }
                assertThat(Base64.getEncoder().encodeToString(h.finish())).as("round %d %s", round, c).isEqualTo(whole);
            }
        }
    }

    /** A MessageDigest that keeps its input, to see the canonical form itself. */
    private static final class Capture extends MessageDigest {
        private final java.io.ByteArrayOutputStream seen = new java.io.ByteArrayOutputStream();

        Capture() {
            super("capture");
        }

        String text() {
            return seen.toString(StandardCharsets.ISO_8859_1);
        }

        @Override protected void engineUpdate(byte input) { seen.write(input); }
        @Override protected void engineUpdate(byte[] input, int offset, int len) { seen.write(input, offset, len); }
        @Override protected byte[] engineDigest() { return new byte[0]; }
        @Override protected void engineReset() { }
    }
}
