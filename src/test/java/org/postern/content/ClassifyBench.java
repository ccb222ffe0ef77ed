package org.postern.content;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Classification cost per message on one thread, for bench/content/classify-cost.sh: the held-out corpus messages
 * are parsed once into views; then (a) classify + SCL on the parsed view, and (b) parse + classify + SCL from bytes,
 * are timed after a warm-up. Prints messages per second per core for both.
 */
public final class ClassifyBench {

    public static void main(String[] args) throws Exception {
        Path corpus = Corpus.locate().orElseThrow();
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        List<byte[]> raw = new ArrayList<>();
        List<MessageView> views = new ArrayList<>();
        for (String archive : Corpus.ARCHIVES) {
            Path file = corpus.resolve(archive);
            MailInputs.forEach(file, (name, in) -> {
                if (!Corpus.heldOut(name.substring(file.toString().length() + 1))) return;
                byte[] bytes = in.readAllBytes();
                raw.add(bytes);
                views.add(MessageView.parse(new java.io.ByteArrayInputStream(bytes), ViewLimits.forClassification()));
            });
        }
        SpamClassifier classifier = SpamClassifier.bundled();
        SclCalculator scl = SclCalculator.standard();
        long sink = 0;
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int r = 0; r < rounds; r++) {
            long c0 = cpu.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            for (MessageView v : views) sink += scl.calculate(classifier.classify(v), v, SclInputs.none()).scl();
            long t1 = System.nanoTime();
            long c1 = cpu.getCurrentThreadCpuTime();
            for (byte[] b : raw) {
                try (MessageView v = MessageView.parse(new java.io.ByteArrayInputStream(b), ViewLimits.defaults())) {
                    sink += scl.calculate(classifier.classify(v), v, SclInputs.none()).scl();
                }
            }
            long t2 = System.nanoTime();
            long c2 = cpu.getCurrentThreadCpuTime();
            // CPU time, not wall time: on a shared machine the wall clock also counts other people's work.
            System.out.printf(Locale.ROOT, "round %d: %d messages; classify+SCL on parsed view %.3f ms CPU (%.0f msg/s "
                            + "per core; wall %.3f ms); parse+classify+SCL %.3f ms CPU (%.0f msg/s per core; wall %.3f ms)%n",
                    r + 1, views.size(), (c1 - c0) / 1e6 / views.size(), views.size() / ((c1 - c0) / 1e9),
                    (t1 - t0) / 1e6 / views.size(), (c2 - c1) / 1e6 / raw.size(), raw.size() / ((c2 - c1) / 1e9),
                    (t2 - t1) / 1e6 / raw.size());
        }
        System.out.println("(checksum " + sink + ")");
    }
}
