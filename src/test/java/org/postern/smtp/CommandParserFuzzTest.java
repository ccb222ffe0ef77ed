package org.postern.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A seeded random fuzz of the command parser, without a fuzzing engine: valid commands mutated octet by octet,
 * spliced, and plain random bytes. The parser must never throw anything but {@link SmtpSyntaxException}, and every
 * refusal must be a permanent (5xx) reply. Set -Dpostern.fuzz.seed=N to replay a failure.
 */
class CommandParserFuzzTest {

    private static final int ITERATIONS = 20_000;

    private static final List<String> SEEDS = List.of(
            "EHLO client.example", "HELO [192.0.2.1]", "MAIL FROM:<alice@example.org> SIZE=1000 BODY=8BITMIME",
            "MAIL FROM:<> SMTPUTF8", "MAIL FROM: <\"quoted\\\"pair\"@[IPv6:2001:db8::1]>",
            "RCPT TO:<@a.example,@b.example:user@c.example>", "RCPT TO:<Postmaster>", "RCPT TO:<jürgen@例え.jp>",
            "BDAT 1024 LAST", "BDAT 0", "DATA", "RSET", "NOOP x", "VRFY user", "QUIT", "STARTTLS", "AUTH PLAIN",
            "GET / HTTP/1.1", "MAIL FROM:<a@[tag:content]>", "RCPT TO:<a@b.example> NOTIFY=NEVER");

    private static final byte[] INTERESTING = {0, '\r', '\n', ' ', '<', '>', '@', ':', '"', '\\', '[', ']', '.', ',',
            '=', (byte) 0x80, (byte) 0xc3, (byte) 0xa9, (byte) 0xff, (byte) 0xed, (byte) 0xa0, '\t', 0x7f};

    @Test
    void neverThrowsAnythingButAPermanentSyntaxRefusal() {
        long seed = Long.getLong("postern.fuzz.seed", System.nanoTime());
        Random random = new Random(seed);
        int refused = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            byte[] line = nextLine(random);
            try {
                Command command = CommandParser.parse(line);
                assertThat(command).isNotNull();
                assertThat(command.verb()).isNotNull();
            } catch (SmtpSyntaxException e) {
                refused++;
                if (e.reply() == null || e.reply().code() < 500 || e.reply().code() > 599) {
                    fail("seed " + seed + ": non-5xx refusal " + e.reply() + " for " + HexFormat.of().formatHex(line));
                }
            } catch (Throwable t) {
                throw new AssertionError("seed " + seed + ": " + t + " for line " + HexFormat.of().formatHex(line)
                        + " (\"" + new String(line, StandardCharsets.ISO_8859_1) + "\")", t);
            }
        }
        assertThat(refused).as("seed %d: most random lines are refused", seed).isGreaterThan(ITERATIONS / 4);
    }

    private static byte[] nextLine(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> randomBytes(random);
            case 1 -> splice(random);
            default -> mutate(random, seed(random));
        };
    }

    private static byte[] seed(Random random) {
        return SEEDS.get(random.nextInt(SEEDS.size())).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] randomBytes(Random random) {
        byte[] b = new byte[random.nextInt(80)];
        for (int i = 0; i < b.length; i++) {
            b[i] = random.nextBoolean() ? INTERESTING[random.nextInt(INTERESTING.length)] : (byte) random.nextInt(256);
        }
        return b;
    }

    private static byte[] splice(Random random) {
        byte[] a = seed(random);
        byte[] b = seed(random);
        int cutA = random.nextInt(a.length + 1);
        int cutB = random.nextInt(b.length + 1);
        byte[] out = new byte[cutA + b.length - cutB];
        System.arraycopy(a, 0, out, 0, cutA);
        System.arraycopy(b, cutB, out, cutA, b.length - cutB);
        return out;
    }

    private static byte[] mutate(Random random, byte[] line) {
        byte[] out = line.clone();
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits && out.length > 0; e++) {
            int at = random.nextInt(out.length);
            switch (random.nextInt(4)) {
                case 0 -> out[at] = INTERESTING[random.nextInt(INTERESTING.length)];
                case 1 -> out[at] = (byte) random.nextInt(256);
                case 2 -> out = remove(out, at);
                default -> out = insert(out, at, (byte) (random.nextBoolean() ? ' ' + random.nextInt(95)
                        : INTERESTING[random.nextInt(INTERESTING.length)]));
            }
        }
        return out;
    }

    private static byte[] remove(byte[] b, int at) {
        byte[] out = new byte[b.length - 1];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(b, at + 1, out, at, b.length - at - 1);
        return out;
    }

    private static byte[] insert(byte[] b, int at, byte value) {
        byte[] out = new byte[b.length + 1];
        System.arraycopy(b, 0, out, 0, at);
        out[at] = value;
        System.arraycopy(b, at, out, at + 1, b.length - at);
        return out;
    }
}
