package org.postern.content;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Feedback into a model file: concurrent reports all land (none lost to a later rename), a bad file is refused. */
class ModelFeedbackTest {

    @Test
    void concurrentReportsAllLand(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("model.bin");
        long before = SpamClassifier.bundled().spamLearned();
        int reports = 12;
        List<Future<?>> done = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            for (int i = 0; i < reports; i++) {
                int n = i;
                done.add(pool.submit(() -> {
                    ModelFeedback.learnInto(model, c -> c.learn(SampleMail.view(SampleMail.spam(n)), true));
                    return null;
                }));
            }
            for (Future<?> f : done) f.get();
        }
        // Each report loads what the previous one saved: every one is counted in the file.
        assertThat(SpamClassifier.load(model).spamLearned()).isEqualTo(before + reports);
        assertThat(dir.resolve("model.bin.lock")).exists();
    }

    @Test
    void aDamagedModelFileIsRefusedAndLeftAlone(@TempDir Path dir) throws IOException {
        Path model = dir.resolve("model.bin");
        Files.writeString(model, "not a model");
        assertThatThrownBy(() -> ModelFeedback.learnInto(model, c -> c.learn(SampleMail.view(SampleMail.spam(1)), true)))
                .isInstanceOf(ModelFile.ModelFormatException.class).hasMessageContaining("wrong magic");
        assertThat(Files.readString(model)).isEqualTo("not a model");
    }
}
