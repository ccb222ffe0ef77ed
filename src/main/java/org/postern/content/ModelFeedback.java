package org.postern.content;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Feedback into a model file: load it (the bundled model when it does not exist yet), learn, save it atomically —
 * all under an exclusive lock on a sibling {@code <file>.lock}, so {@code ./postern report} and the admin API
 * giving feedback at the same moment (two processes) both land instead of the later rename dropping the earlier
 * report. The lock file is left in place (deleting it would race with a waiting writer). A gateway following the
 * file ({@link LiveClassifier}) needs no lock: it only ever sees whole files.
 */
public final class ModelFeedback {

    /** The action to run on the loaded model before it is saved. */
    @FunctionalInterface
    public interface Teaching {
        void teach(SpamClassifier classifier) throws IOException;
    }

    /** FileLock is per process: threads of one JVM queue here first. */
    private static final Object IN_PROCESS = new Object();

    private ModelFeedback() {
    }

    public static void learnInto(Path modelFile, Teaching teaching) throws IOException {
        Path dir = modelFile.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path lockFile = dir.resolve(modelFile.getFileName() + ".lock");
        synchronized (IN_PROCESS) {
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                SpamClassifier classifier = Files.isRegularFile(modelFile) ? SpamClassifier.load(modelFile) : SpamClassifier.bundled();
                teaching.teach(classifier);
                classifier.save(modelFile);
            }
        }
    }
}
