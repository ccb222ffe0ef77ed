package org.postern.content;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelFileTest {

    @Test
    void aSavedModelLoadsBackAndSavesToTheSameBytes(@TempDir Path dir) throws IOException {
        SpamClassifier trained = SampleMail.trained(20);
        Path first = dir.resolve("model.bin");
        trained.save(first);
        SpamClassifier loaded = SpamClassifier.load(first);
        Path second = dir.resolve("again.bin");
        loaded.save(second);
        assertThat(Files.readAllBytes(second)).isEqualTo(Files.readAllBytes(first));
        assertThat(loaded.spamLearned()).isEqualTo(20);
        assertThat(loaded.hamLearned()).isEqualTo(20);
        assertThat(loaded.hashBits()).isEqualTo(TrainingSettings.defaults().hashBits());
        MessageView spam = SampleMail.view(SampleMail.spam(99));
        // Weights are stored as half-precision floats: the loaded model agrees closely, not bit for bit.
        assertThat(loaded.spamProbability(spam)).isCloseTo(trained.spamProbability(spam), org.assertj.core.data.Offset.offset(0.01));
        assertThat(loaded.spamProbability(spam)).isGreaterThan(SpamClassifierTest.pushedTo(1 - TrainingSettings.defaults().margin(), 20, 20) - 0.05);
    }

    @Test
    void theFileStartsWithMagicAndVersion() throws IOException {
        byte[] bytes = bytesOf(SampleMail.trained(2));
        assertThat(new String(bytes, 0, 8, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("PSTNSPAM");
        assertThat(ByteBuffer.wrap(bytes, 8, 4).getInt()).isEqualTo(ModelFile.FORMAT_VERSION);
        assertThat(ByteBuffer.wrap(bytes, 12, 4).getInt()).isEqualTo(FeatureExtractor.FEATURE_SET);
    }

    @Test
    void refusesAFileThatIsNoModel() {
        assertThatThrownBy(() -> ModelFile.read(new ByteArrayInputStream("hello, world, not a model".getBytes())))
                .isInstanceOf(ModelFile.ModelFormatException.class).hasMessageContaining("not a Postern spam model");
    }

    @Test
    void refusesANewerFormatVersion() throws IOException {
        byte[] bytes = bytesOf(SampleMail.trained(2));
        ByteBuffer.wrap(bytes).putInt(8, ModelFile.FORMAT_VERSION + 1);
        assertThatThrownBy(() -> ModelFile.read(new ByteArrayInputStream(bytes)))
                .isInstanceOf(ModelFile.ModelFormatException.class)
                .hasMessageContaining("format version " + (ModelFile.FORMAT_VERSION + 1) + " is newer than this Postern reads");
    }

    @Test
    void refusesAModelFromBeforeTheHeaderViewWithTheWayOut() throws IOException {
        byte[] bytes = bytesOf(SampleMail.trained(2));
        ByteBuffer.wrap(bytes).putInt(8, 1);
        assertThatThrownBy(() -> ModelFile.read(new ByteArrayInputStream(bytes)))
                .isInstanceOf(ModelFile.ModelFormatException.class)
                .hasMessageContaining("format version 1 is from an older Postern").hasMessageContaining("./postern train");
    }

    @Test
    void bothViewsSurviveSaveAndLoad(@TempDir Path dir) throws IOException {
        SpamClassifier trained = SampleMail.trained(20);
        trained.save(dir.resolve("model.bin"));
        SpamModel loaded = SpamClassifier.load(dir.resolve("model.bin")).model();
        SpamModel original = trained.model();
        for (SpamModel.View[] pair : new SpamModel.View[][] {{original.words, loaded.words}, {original.header, loaded.header}}) {
            assertThat(java.util.stream.IntStream.range(0, pair[0].weights.length).filter(i -> pair[0].weights[i] != 0).count())
                    .as("a trained view has weights").isPositive();
            assertThat(pair[1].bias).isEqualTo(pair[0].bias);
            for (int i = 0; i < pair[0].weights.length; i++) {
                assertThat((double) pair[1].weights[i]).isCloseTo(pair[0].weights[i], org.assertj.core.data.Offset.offset(
                        Math.max(ModelFile.SMALLEST_STORED, Math.abs(pair[0].weights[i]) / 500.0)));
            }
        }
    }

    @Test
    void refusesAnotherFeatureSet() throws IOException {
        byte[] bytes = bytesOf(SampleMail.trained(2));
        ByteBuffer.wrap(bytes).putInt(12, FeatureExtractor.FEATURE_SET + 7);
        assertThatThrownBy(() -> ModelFile.read(new ByteArrayInputStream(bytes)))
                .isInstanceOf(ModelFile.ModelFormatException.class).hasMessageContaining("retrain");
    }

    @Test
    void refusesADamagedOrTruncatedFile() throws IOException {
        byte[] bytes = bytesOf(SampleMail.trained(5));
        byte[] damaged = bytes.clone();
        damaged[damaged.length / 2] ^= 0x10;
        assertThatThrownBy(() -> ModelFile.read(new ByteArrayInputStream(damaged)))
                .isInstanceOf(ModelFile.ModelFormatException.class);
        byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 3);
        assertThatThrownBy(() -> ModelFile.read(new ByteArrayInputStream(truncated)))
                .isInstanceOf(ModelFile.ModelFormatException.class).hasMessageContaining("truncated");
    }

    @Test
    void theBundledModelLoads() {
        SpamClassifier bundled = SpamClassifier.bundled();
        assertThat(bundled.spamLearned()).isPositive();
        assertThat(bundled.hamLearned()).isPositive();
    }

    private static byte[] bytesOf(SpamClassifier c) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ModelFile.write(c.model(), out);
        return out.toByteArray();
    }

    /**
     * The copies' shift survives save and load; a file of format version 2 (before it) is still read, with the shift 0,
     * as it behaved: an operator's model learned from feedback need not be retrained.
     */
    @Test
    void theCopiesShiftIsSavedAndAVersionTwoFileReadsWithNone() throws IOException {
        SpamClassifier trained = SampleMail.trained(20);
        trained.model().copyShift = 1.25f;
        byte[] v3 = bytesOf(trained);
        assertThat(ModelFile.read(new ByteArrayInputStream(v3)).copyShift).isEqualTo(1.25f);

        // Version 2: the same bytes without the shift's 4 bytes, its own version and checksum.
        byte[] v2 = java.util.Arrays.copyOf(v3, v3.length - 8 + 4);
        ByteBuffer.wrap(v2).putInt(8, 2);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(v2, 0, v2.length - 4);
        ByteBuffer.wrap(v2).putInt(v2.length - 4, (int) crc.getValue());
        SpamModel old = ModelFile.read(new ByteArrayInputStream(v2));
        assertThat(old.copyShift).isZero();
        assertThat(old.words.bias).isEqualTo(trained.model().words.bias);
    }
}
