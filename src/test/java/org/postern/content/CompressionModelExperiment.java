package org.postern.content;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Development tool, not a test: does a compression model (TREC's DMC/PPM idea) beside the logistic regression help
 * the false-positive tail? Per class, a hashed byte model of orders 0..5 over the first {@code maxlen} bytes of the
 * raw message, each order blended with the one below it (PPM-like); the score is the spam model's minus the ham
 * model's log-likelihood per byte, added to the shipped SCL total with a weight. Same folds as {@link CrossValidation}.
 * Usage: java [-Dmaxlen=3000] [-Dalpha=2] [-Dppm.orders=6] [-Dppm.bits=21] ... CompressionModelExperiment [weight]...
 * Findings (2026-11-29) are in README's accuracy section; the model is not shipped.
 */
public final class CompressionModelExperiment {

    private static final int BITS = Integer.getInteger("ppm.bits", 21);
    private static final int MASK = (1 << BITS) - 1;
    private static final int ORDERS = Integer.getInteger("ppm.orders", 6);
    private static final int MAX_LEN = Integer.getInteger("maxlen", 3000);
    private static final double ALPHA = Double.parseDouble(System.getProperty("alpha", "2"));

    /** Counts of (context, next byte) and of contexts, hashed, per order. */
    private static final class ByteModel {
        private final int[][] symbol = new int[ORDERS][1 << BITS];
        private final int[][] context = new int[ORDERS][1 << BITS];

        private static int slot(int order, long context, int next) {
            long x = (context * 0x9E3779B97F4A7C15L) ^ (order * 0x632BE59BD9B4E019L) ^ (next * 0xD6E8FEB86659FD93L);
            x ^= x >>> 29;
            x *= 0xBF58476D1CE4E5B9L;
            x ^= x >>> 32;
            return (int) x & MASK;
        }

        private static long context(long history, int order) {
            return order == 0 ? 0 : history & ((1L << (8 * order)) - 1);
        }

        void learn(byte[] message) {
            long history = 0;
            for (byte value : message) {
                int b = value & 0xff;
                for (int k = 0; k < ORDERS; k++) {
                    long c = context(history, k);
                    symbol[k][slot(k, c, b)]++;
                    context[k][slot(k, c, 256)]++;
                }
                history = history << 8 | b;
            }
        }

        double logLikelihood(byte[] message) {
            long history = 0;
            double total = 0;
            for (byte value : message) {
                int b = value & 0xff;
                double p = 1.0 / 256;
                for (int k = 0; k < ORDERS; k++) {
                    long c = context(history, k);
                    p = (symbol[k][slot(k, c, b)] + ALPHA * p) / (context[k][slot(k, c, 256)] + ALPHA);
                }
                total += Math.log(p);
                history = history << 8 | b;
            }
            return total;
        }
    }

    public static void main(String[] args) throws IOException {
        Path corpus = Corpus.locate().orElseThrow();
        TrainingSettings settings = TrainingSettings.defaults();
        List<CorpusRun.Item> items = CorpusRun.read(corpus, settings);
        Map<String, byte[]> raw = rawStarts(corpus);
        SclWeights weights = SclWeights.bundled();
        double[] shipped = new double[items.size()];
        double[] compression = new double[items.size()];
        for (int k = 0; k < CrossValidation.FOLDS; k++) {
            Trainer trainer = new Trainer(settings);
            ByteModel spam = new ByteModel();
            ByteModel ham = new ByteModel();
            for (CorpusRun.Item i : items) {
                if (CrossValidation.fold(i.entry()) == k) continue;
                trainer.add(i.example());
                (i.spam() ? spam : ham).learn(ON_HEADER ? keptHeader(raw.get(i.entry())).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1) : raw.get(i.entry()));
            }
            SpamClassifier classifier = trainer.train();
            for (int n = 0; n < items.size(); n++) {
                CorpusRun.Item i = items.get(n);
                if (CrossValidation.fold(i.entry()) != k) continue;
                double limit = weights.classifierLimit();
                shipped[n] = Math.max(-limit, Math.min(limit, classifier.model().score(i.example().slots()))) + i.heuristics();
                byte[] text = ON_HEADER ? keptHeader(raw.get(i.entry())).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1) : raw.get(i.entry());
                compression[n] = (spam.logLikelihood(text) - ham.logLikelihood(text)) / Math.max(1, text.length);
            }
        }
        List<Double> weightsToTry = new ArrayList<>();
        for (String a : args) weightsToTry.add(Double.parseDouble(a));
        if (weightsToTry.isEmpty()) weightsToTry = List.of(0.0, 5.0, 7.5, 10.0, 15.0);
        for (double w : weightsToTry) {
            List<CrossValidation.Scored> scored = new ArrayList<>();
            for (int n = 0; n < items.size(); n++) {
                double total = shipped[n] + w * compression[n];
                scored.add(new CrossValidation.Scored(items.get(n).entry(), items.get(n).spam(), weights.sclFor(total), total));
            }
            System.out.printf("maxlen=%d alpha=%s orders=%d weight=%s | %s%n", MAX_LEN, ALPHA, ORDERS, w,
                    CrossValidation.describe(settings, scored));
            if (System.getenv("DUMP") != null) {
                scored.stream().filter(x -> !x.spam()).sorted(java.util.Comparator.comparingDouble(CrossValidation.Scored::total).reversed()).limit(12)
                        .forEach(x -> System.out.printf(java.util.Locale.ROOT, "  ham  %7.2f SCL %d %s%n", x.total(), x.scl(), x.entry()));
                scored.stream().filter(CrossValidation.Scored::spam).sorted(java.util.Comparator.comparingDouble(CrossValidation.Scored::total)).limit(22)
                        .forEach(x -> System.out.printf(java.util.Locale.ROOT, "  spam %7.2f SCL %d %s%n", x.total(), x.scl(), x.entry()));
            }
        }
    }

    private static final boolean ON_HEADER = Boolean.getBoolean("ppm.honest");
    private static final int ORIGIN_HOPS = 3;

    /**
     * With -Dppm.honest=true: the message as the gateway would see it, Received hops but the 3 nearest the sender and
     * archive fields left out (the receiving side's hops otherwise teach the model which mailbox got what).
     */
    static String keptHeader(byte[] raw) {
        String text = new String(raw, java.nio.charset.StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\n\n");
        String body = end > 0 ? text.substring(end) : "";
        if (end > 0) text = text.substring(0, end);
        List<String> fields = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isEmpty() && Character.isWhitespace(line.charAt(0)) && !fields.isEmpty()) {
                fields.set(fields.size() - 1, fields.get(fields.size() - 1) + " " + line.strip());
            } else fields.add(line.strip());
        }
        long receivedTotal = fields.stream().filter(x -> x.toLowerCase(java.util.Locale.ROOT).startsWith("received:")).count();
        StringBuilder kept = new StringBuilder();
        int receivedSeen = 0;
        for (String field : fields) {
            String name = field.indexOf(':') < 0 ? "" : field.substring(0, field.indexOf(':')).toLowerCase(java.util.Locale.ROOT);
            if (name.equals("received") && receivedSeen++ < receivedTotal - ORIGIN_HOPS) continue;
            if (java.util.Set.of("x-keywords", "x-status", "delivered-to", "status", "x-uid", "return-path", "x-original-to").contains(name)) continue;
            kept.append(field).append('\n');
        }
        String all = kept + body;
        return all.substring(0, Math.min(all.length(), MAX_LEN));
    }

    /** The first {@code maxlen} bytes of every message, by entry name as {@link CorpusRun} names them. */
    private static Map<String, byte[]> rawStarts(Path corpus) throws IOException {
        Map<String, byte[]> out = new HashMap<>();
        for (String archive : Corpus.ARCHIVES) {
            try (InputStream file = Files.newInputStream(corpus.resolve(archive));
                 TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(file))) {
                for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                    if (e.isFile()) out.put(e.getName(), tar.readNBytes(ON_HEADER ? 20_000 : MAX_LEN));
                }
            }
        }
        return out;
    }
}
