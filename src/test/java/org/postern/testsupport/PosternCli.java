package org.postern.testsupport;

import org.postern.Postern;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The real {@code postern} command line, run in the test's JVM with its standard streams captured. One lock for every
 * test: {@code System.out}, {@code System.err} and {@code System.in} are global, so two captures at once would swap
 * each other's output. Only the calling thread's writes are captured: a gateway running in the same JVM logs to
 * {@code System.out} from its own threads, and such a line must not become the command's "last line" (a token).
 */
public final class PosternCli {

    /** Commands whose first word is followed by a subcommand ({@code token create}): options go after both. */
    private static final Set<String> WITH_SUBCOMMAND = Set.of("token", "user", "dkim", "quarantine", "report");

    /** What one run printed and its exit code. */
    public record Run(int exit, String out, String err) {

        public String lastLine() {
            List<String> lines = out.lines().filter(l -> !l.isBlank()).toList();
            return lines.isEmpty() ? "" : lines.getLast().strip();
        }

        /** This run, after asserting it exited 0 (the message names the command's output). */
        public Run ok() {
            if (exit != 0) throw new AssertionError("postern exited " + exit + ": " + out + err);
            return this;
        }
    }

    private PosternCli() { }

    public static Run run(String... args) {
        return runWithInput("", args);
    }

    public static synchronized Run runWithInput(String stdin, String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        InputStream in = System.in;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            Thread caller = Thread.currentThread();
            System.setOut(new PrintStream(new CallerOnly(caller, o, out), true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(new CallerOnly(caller, e, err), true, StandardCharsets.UTF_8));
            System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
            int code = Postern.run(args);
            return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
            System.setIn(in);
        }
    }

    /** Sends the caller's writes to the capture and every other thread's to the stream that was there before. */
    private static final class CallerOnly extends OutputStream {
        private final Thread caller;
        private final OutputStream capture;
        private final OutputStream others;

        CallerOnly(Thread caller, OutputStream capture, OutputStream others) {
            this.caller = caller;
            this.capture = capture;
            this.others = others;
        }

        private OutputStream target() {
            return Thread.currentThread() == caller ? capture : others;
        }

        @Override
        public void write(int b) throws IOException {
            target().write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            target().write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            capture.flush();
            others.flush();
        }
    }

    /** {@code args} with {@code --config FILE} after the command (and its subcommand, if it takes one). */
    public static String[] withConfig(Path config, String... args) {
        int split = WITH_SUBCOMMAND.contains(args[0]) ? 2 : 1;
        String[] full = new String[args.length + 2];
        System.arraycopy(args, 0, full, 0, split);
        full[split] = "--config";
        full[split + 1] = config.toString();
        System.arraycopy(args, split, full, split + 2, args.length - split);
        return full;
    }
}
