package org.postern.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DotStuffingOutputStreamTest {

    private static String encode(String content, boolean byteByByte) throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        DotStuffingOutputStream out = new DotStuffingOutputStream(sink);
        byte[] bytes = content.getBytes(StandardCharsets.ISO_8859_1);
        if (byteByByte) {
            for (byte b : bytes) out.write(b);
        } else {
            out.write(bytes);
        }
        out.finish();
        return sink.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void doublesDotsThatBeginALineIncludingTheFirstLine() throws IOException {
        String in = ".first\r\nmiddle . dot\r\n.\r\n..two\r\nend\r\n";
        String expected = "..first\r\nmiddle . dot\r\n..\r\n...two\r\nend\r\n.\r\n";
        assertThat(encode(in, false)).isEqualTo(expected);
        assertThat(encode(in, true)).isEqualTo(expected);
    }

    @Test
    void stuffsAcrossWriteBoundaries() throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        DotStuffingOutputStream out = new DotStuffingOutputStream(sink);
        out.write("a\r\n".getBytes(StandardCharsets.US_ASCII));
        out.write(".b\r".getBytes(StandardCharsets.US_ASCII));
        out.write("\n".getBytes(StandardCharsets.US_ASCII));
        out.write(".".getBytes(StandardCharsets.US_ASCII));
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.finish();
        assertThat(sink.toString(StandardCharsets.US_ASCII)).isEqualTo("a\r\n..b\r\n..\r\n.\r\n");
    }

    @Test
    void addsTheMissingFinalCrlfBeforeTheTerminator() throws IOException {
        assertThat(encode("no newline at end", false)).isEqualTo("no newline at end\r\n.\r\n");
        assertThat(encode("", false)).isEqualTo(".\r\n");
    }

    @Test
    void stuffsAfterBareLineBreaksSoALenientServerCannotBeSmuggledAnEndOfData() throws IOException {
        assertThat(encode("a\n.\r\nb\r\n", false)).isEqualTo("a\n..\r\nb\r\n.\r\n");
        assertThat(encode("a\r.\r\nb\r\n", false)).isEqualTo("a\r..\r\nb\r\n.\r\n");
    }
}
