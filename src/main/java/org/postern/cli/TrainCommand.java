package org.postern.cli;

import org.postern.Postern;
import org.postern.content.MessageBatch;
import org.postern.content.SpamClassifier;
import org.postern.content.Trainer;
import org.postern.content.TrainingSettings;
import org.postern.content.ViewLimits;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Trains the content classifier from labelled mail and writes the model file. */
@Command(name = "train", description = "Train the content classifier from mbox files, Maildirs, directories of .eml "
        + "files, or .tar(.gz/.bz2/.xz), .tgz or .zip archives of those")
public final class TrainCommand implements Runnable {

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "model file to write")
    Path model;

    @Option(names = "--spam", arity = "1..*", paramLabel = "PATH", description = "spam messages")
    List<Path> spam;

    @Option(names = "--ham", arity = "1..*", paramLabel = "PATH", description = "legitimate messages")
    List<Path> ham;

    @Option(names = "--update", description = "continue training the existing model file instead of starting afresh "
            + "(then --spam or --ham alone will do)")
    boolean update;

    @Option(names = "--epochs", paramLabel = "N", description = "passes over the messages (default: ${DEFAULT-VALUE})")
    int epochs = TrainingSettings.defaults().epochs();

    @Override
    public void run() {
        TrainingSettings d = TrainingSettings.defaults();
        if (epochs < 1) throw usage("--epochs must be at least 1");
        List<Path> spamPaths = spam == null ? List.of() : spam;
        List<Path> hamPaths = ham == null ? List.of() : ham;
        // A new model needs both kinds; an update may bring one (a new campaign of spam, say).
        if (!update && spamPaths.isEmpty()) throw usage("Missing required option: '--spam=PATH' (only --update may do without it)");
        if (!update && hamPaths.isEmpty()) throw usage("Missing required option: '--ham=PATH' (only --update may do without it)");
        if (spamPaths.isEmpty() && hamPaths.isEmpty()) throw usage("--update needs --spam or --ham");
        TrainingSettings settings = new TrainingSettings(d.hashBits(), d.learningRate(), epochs, d.margin(), d.seed(), d.orders());
        long start = System.nanoTime();
        Trainer trainer = new Trainer(settings);
        try {
            add(trainer, Inputs.existing(spamPaths), true);
            add(trainer, Inputs.existing(hamPaths), false);
            if (trainer.size() == 0) throw new Postern.CliFailure("no messages found to train on");
            long spamFound = trainer.spamCount();
            boolean updating = update && Files.exists(model);
            if (!updating && (spamFound == 0 || spamFound == trainer.size())) {
                // A new model from one class only calls everything spam (or nothing): a wrong path, not a model.
                // Updating an existing model with new spam alone is fine.
                throw new Postern.CliFailure(String.format(Locale.ROOT, "found %d spam and %d ham messages: training "
                        + "needs some of each (check the --spam and --ham paths)", spamFound, trainer.size() - spamFound));
            }
            SpamClassifier classifier;
            if (updating) {
                classifier = SpamClassifier.load(model);
                trainer.trainOnto(classifier);
            } else {
                classifier = trainer.train();
            }
            classifier.save(model);
            System.out.printf(Locale.ROOT, "trained on %d spam and %d ham messages in %.1f s; wrote %s (%d bytes)%n",
                    trainer.spamCount(), trainer.size() - trainer.spamCount(), (System.nanoTime() - start) / 1e9,
                    model, Files.size(model));
            if (!updating) {
                System.out.println(trainer.calibration().describe());
                if (trainer.calibration().measured()) System.out.println(trainer.calibration().estimate().describe());
                if (trainer.calibration().copies().measured()) System.out.println(trainer.calibration().copies().describe());
            }
        } catch (IOException e) {
            throw new Postern.CliFailure(e.getMessage());
        } catch (OutOfMemoryError e) {
            // Training itself (the messages' features, the model copies) may be what does not fit.
            throw new Postern.CliFailure(MessageBatch.outOfMemory("training"));
        }
    }

    private picocli.CommandLine.ParameterException usage(String message) {
        return new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), message);
    }

    private static void add(Trainer trainer, List<Path> inputs, boolean isSpam) throws IOException {
        try {
            MessageBatch.run(inputs, ViewLimits.forClassification(), Inputs.threads(),
                    (name, view) -> trainer.prepare(view, isSpam), (name, example) -> trainer.add(example));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
