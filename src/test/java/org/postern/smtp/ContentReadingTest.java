package org.postern.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The byte-level readers without sockets: line reading, dot-unstuffing and the smuggling guard. */
class ContentReadingTest {

    private static SmtpInput input(String wire) {
        return new SmtpInput(new ByteArrayInputStream(wire.getBytes(StandardCharsets.ISO_8859_1)), () -> { });
    }

    private static final class MemorySink implements MessageSink {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        @Override public OutputStream content() { return bytes; }
        @Override public Reply complete(long size) { return Reply.of(250, "2.0.0", "Ok"); }
        @Override public void abort(String why) { }
    }

    private record Read(DotStuffedReader.Outcome outcome, String content, ContentGuard guard, SmtpInput rest) {
    }

    private static Read readData(String wire) throws Exception {
        SmtpInput in = input(wire);
        MemorySink sink = new MemorySink();
        ContentGuard guard = new ContentGuard(1000);
        ContentWriter writer = new ContentWriter(sink, 1_000_000);
        DotStuffedReader.Outcome outcome = DotStuffedReader.read(in, guard, writer, () -> { });
        writer.flush();
        return new Read(outcome, sink.bytes.toString(StandardCharsets.ISO_8859_1), guard, in);
    }

    @Test
    void readsCommandLinesAndTellsHowTheyEnded() throws Exception {
        SmtpInput in = input("NOOP\r\nRSET\nQUIT\r\n");
        SmtpInput.Line first = in.readLine(512);
        assertThat(new String(first.bytes(), StandardCharsets.US_ASCII)).isEqualTo("NOOP");
        assertThat(first.ending()).isEqualTo(SmtpInput.Ending.CRLF);
        assertThat(in.readLine(512).ending()).isEqualTo(SmtpInput.Ending.BARE_LF);
        assertThat(in.readLine(512).ending()).isEqualTo(SmtpInput.Ending.CRLF);
        assertThatThrownBy(() -> in.readLine(512)).isInstanceOf(EOFException.class);
    }

    @Test
    void skipsAnOverlongLineWithoutGrowingItsBuffer() throws Exception {
        byte[] wire = new byte[10 * 1024 * 1024 + 8];
        Arrays.fill(wire, (byte) 'a');
        System.arraycopy("\r\nNOOP\r\n".getBytes(StandardCharsets.US_ASCII), 0, wire, wire.length - 8, 8);
        SmtpInput in = new SmtpInput(new ByteArrayInputStream(wire), () -> { });
        assertThat(in.readLine(2048).ending()).isEqualTo(SmtpInput.Ending.TOO_LONG);
        assertThat(in.lineBufferCapacity()).isLessThanOrEqualTo(2048);
        assertThat(new String(in.readLine(2048).bytes(), StandardCharsets.US_ASCII)).isEqualTo("NOOP");
    }

    @Test
    void acceptsALineOfExactlyTheLimitIncludingCrlf() throws Exception {
        String line = "x".repeat(510);
        assertThat(input(line + "\r\n").readLine(512).ending()).isEqualTo(SmtpInput.Ending.CRLF);
        assertThat(input(line + "y\r\n").readLine(512).ending()).isEqualTo(SmtpInput.Ending.TOO_LONG);
    }

    @Test
    void flushesRepliesBeforeEveryBlockingRead() throws Exception {
        int[] flushes = {0};
        SmtpInput in = new SmtpInput(new ByteArrayInputStream("A\r\nB\r\n".getBytes(StandardCharsets.US_ASCII)),
                () -> flushes[0]++);
        in.readLine(512);
        in.readLine(512); // served from the buffer: no read, no flush
        assertThat(flushes[0]).isEqualTo(1);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "hello\\r\\n.\\r\\n|hello\\r\\n",
            "..hidden\\r\\n.\\r\\n|.hidden\\r\\n",
            "a\\r\\n..\\r\\n...\\r\\n.\\r\\n|a\\r\\n.\\r\\n..\\r\\n",
            ".\\r\\n|''",
            "x.\\r\\n.\\r\\n|x.\\r\\n",
            "a\\rb\\r\\n.\\r\\n|a\\rb\\r\\n",
            "a\\r\\r\\n.\\r\\n|a\\r\\r\\n",
            "\\r\\r\\n.\\r\\n|\\r\\r\\n",
    })
    void unstuffsDotsAndEndsOnlyAtCrlfDotCrlf(String wire, String expected) throws Exception {
        Read read = readData(unescape(wire) + "NEXT\r\n");
        assertThat(read.outcome()).isEqualTo(DotStuffedReader.Outcome.ENDED);
        assertThat(read.content()).isEqualTo(unescape(expected));
        assertThat(read.guard().malformedDot()).isFalse();
        assertThat(new String(read.rest().readLine(100).bytes(), StandardCharsets.US_ASCII)).isEqualTo("NEXT");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"a\\n.\\n", "a\\n.\\r\\n", "a\\r\\n.\\n", "\\n", "Subject: x\\nY: z\\r\\n"})
    void stopsAtTheFirstBareLf(String wire) throws Exception {
        assertThat(readData(unescape(wire) + "\r\n.\r\n").outcome()).isEqualTo(DotStuffedReader.Outcome.BARE_LF);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"a\\r.\\r\\n", "a\\r.\\rb\\r\\n", "a\\r\\n.\\rb\\r\\n", ".\\rb\\r\\n"})
    void flagsADotBesideABareCrButReadsOnToTheRealEnd(String wire) throws Exception {
        Read read = readData(unescape(wire) + "tail\r\n.\r\nNEXT\r\n");
        assertThat(read.outcome()).isEqualTo(DotStuffedReader.Outcome.ENDED);
        assertThat(read.guard().malformedDot()).isTrue();
        assertThat(new String(read.rest().readLine(100).bytes(), StandardCharsets.US_ASCII)).isEqualTo("NEXT");
    }

    @Test
    void guardsChunkContentAcrossBoundariesAndAtTheEnd() {
        ContentGuard split = new ContentGuard(1000);
        "abc\r".chars().forEach(split::accept);
        "\n.\r\n".chars().forEach(split::accept);
        split.end();
        assertThat(split.bareLf()).isFalse();
        assertThat(split.malformedDot()).isFalse();

        ContentGuard cutOff = new ContentGuard(1000);
        "abc\r\n.\r".chars().forEach(cutOff::accept);
        cutOff.end();
        assertThat(cutOff.malformedDot()).isTrue();
    }

    @Test
    void flagsLinesPastTheCapCountingTheCrlf() {
        ContentGuard guard = new ContentGuard(1000);
        ("x".repeat(998) + "\r\n").chars().forEach(guard::accept);
        assertThat(guard.lineTooLong()).isFalse();
        ("x".repeat(999) + "\r\n").chars().forEach(guard::accept);
        assertThat(guard.lineTooLong()).isTrue();
    }

    @Test
    void stopsForwardingPastTheSizeLimitButKeepsCounting() {
        MemorySink sink = new MemorySink();
        ContentWriter writer = new ContentWriter(sink, 10);
        byte[] data = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
        writer.write(data, 0, 8);
        writer.write(data, 8, 8);
        writer.flush();
        assertThat(writer.size()).isEqualTo(16);
        assertThat(writer.tooLarge()).isTrue();
        assertThat(sink.bytes.size()).isLessThanOrEqualTo(10);
    }

    private static String unescape(String s) {
        return s.equals("''") ? "" : s.replace("\\r", "\r").replace("\\n", "\n");
    }
}
