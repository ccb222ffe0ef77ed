package org.postern.content;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Content classification per message on one core (issue target: at least 1,000 messages per second on the parsed
 * view). One operation is one held-out corpus message (the 1,195 the bundled model never saw, in turn): the
 * classifier's two views and the SCL with its named reasons on the parsed view; the same from the raw bytes, parse
 * included; and, as the baseline run in the same process, the parse alone (Mime4j, decoding, HTML to text), which
 * every message costs before any stage looks at it. Run with {@code bench/content/classify-cost.sh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:ActiveProcessorCount=1", "-XX:+UseSerialGC"})
public class ClassificationBenchmark {

    private final List<byte[]> raw = new ArrayList<>();
    private final List<MessageView> views = new ArrayList<>();
    private SpamClassifier classifier;
    private SclCalculator scl;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        Path corpus = Corpus.locate().orElseThrow(() -> new IllegalStateException("corpus shared/corpus/spamassassin not found"));
        for (String archive : Corpus.ARCHIVES) {
            Path file = corpus.resolve(archive);
            MailInputs.forEach(file, (name, in) -> {
                if (!Corpus.heldOut(name.substring(file.toString().length() + 1))) return;
                byte[] bytes = in.readAllBytes();
                raw.add(bytes);
                views.add(MessageView.parse(new ByteArrayInputStream(bytes), ViewLimits.forClassification()));
            });
        }
        if (views.size() < 1000) throw new IllegalStateException("setup broken: " + views.size() + " held-out messages");
        classifier = SpamClassifier.bundled();
        scl = SclCalculator.standard();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        views.forEach(MessageView::close);
    }

    private int nextIndex() {
        int i = next;
        next = i + 1 == raw.size() ? 0 : i + 1;
        return i;
    }

    @Benchmark
    public int classifyParsedView() {
        MessageView v = views.get(nextIndex());
        return scl.calculate(classifier.classify(v), v, SclInputs.none()).scl();
    }

    @Benchmark
    public int parseAndClassify() throws IOException {
        try (MessageView v = MessageView.parse(new ByteArrayInputStream(raw.get(nextIndex())), ViewLimits.defaults())) {
            return scl.calculate(classifier.classify(v), v, SclInputs.none()).scl();
        }
    }

    @Benchmark
    public int parseOnlyBaseline() throws IOException {
        try (MessageView v = MessageView.parse(new ByteArrayInputStream(raw.get(nextIndex())), ViewLimits.defaults())) {
            return v.text().length();
        }
    }
}
