package org.postern.cli;

import org.postern.Postern;
import org.postern.content.SpamClassifier;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The {@code --model FILE} option of classify and report; without a file, the model shipped with Postern. */
public final class ModelOption {

    @Option(names = "--model", paramLabel = "FILE", description = "classifier model file; default: the bundled model")
    Path file;

    /** The model in the file, the bundled one when no file was named, or the bundled one when the file is new. */
    SpamClassifier load(boolean bundledWhenMissing) {
        if (file == null) return SpamClassifier.bundled();
        if (!Files.exists(file)) {
            if (bundledWhenMissing) return SpamClassifier.bundled();
            throw new Postern.CliFailure("model file not found: " + file);
        }
        try {
            return SpamClassifier.load(file);
        } catch (IOException e) {
            throw new Postern.CliFailure("cannot read model: " + e.getMessage());
        }
    }
}
