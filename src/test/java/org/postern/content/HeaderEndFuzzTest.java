package org.postern.content;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzing where {@link HeaderEnd} ends a header: whatever the bytes and however they arrive, it throws nothing,
 * gives the same output for any chunking, and changes nothing but one blank line put at the start of a line (and
 * says so), so no byte of the message is lost or altered for the parser behind it.
 *
 * <p>The normal test run replays the seeds in {@code src/test/resources/org/postern/content/HeaderEndFuzzTestInputs/}.
 * A fuzzing session: {@code JAZZER_FUZZ=1 ./mvnw test -Dtest='HeaderEndFuzzTest' -Djazzer.max_duration=10m}.</p>
 */
class HeaderEndFuzzTest {

    @FuzzTest(maxDuration = "2m")
    @DictionaryEntries({"Subject: ", "From ", "--", ": ", " :", "Content-Type: multipart/mixed; boundary=b", "X-A:"})
    void blankLineIsInserted(byte[] input) throws IOException {
        HeaderEnd whole = new HeaderEnd(new ByteArrayInputStream(input));
        byte[] out = whole.readAllBytes();

        Random pieces = new Random(Arrays.hashCode(input));
        HeaderEnd trickled = new HeaderEnd(new ByteArrayInputStream(input) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1 + pieces.nextInt(9)));
            }
        });
        ByteArrayOutputStream byByte = new ByteArrayOutputStream();
        for (int c; (c = trickled.read()) >= 0; ) byByte.write(c);
        assertThat(byByte.toByteArray()).isEqualTo(out);
        assertThat(trickled.insertedBlankLine()).isEqualTo(whole.insertedBlankLine());

        if (!whole.insertedBlankLine()) {
            assertThat(out).isEqualTo(input);
            return;
        }
        int at = firstDifference(input, out);
        boolean oneBlankLine = false;
        for (int p = Math.max(0, at - 1); p <= at; p++) {
            for (int size = 1; size <= 2; size++) oneBlankLine |= isBlankLineAt(out, p, size) && removing(out, p, size, input);
        }
        assertThat(oneBlankLine).as("one blank line at the start of a line, nothing else changed").isTrue();
    }

    private static boolean isBlankLineAt(byte[] out, int p, int size) {
        if (p + size > out.length || (p > 0 && out[p - 1] != '\n')) return false;
        return size == 1 ? out[p] == '\n' : out[p] == '\r' && out[p + 1] == '\n';
    }

    private static boolean removing(byte[] out, int p, int size, byte[] input) {
        if (out.length - size != input.length) return false;
        return Arrays.equals(out, 0, p, input, 0, p) && Arrays.equals(out, p + size, out.length, input, p, input.length);
    }

    private static int firstDifference(byte[] input, byte[] out) {
        int i = 0;
        while (i < input.length && input[i] == out[i]) i++;
        return i;
    }

}
