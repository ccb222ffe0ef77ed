package org.postern.cli;

import org.postern.Postern;
import org.postern.content.MessageBatch;
import org.postern.content.MessageView;
import org.postern.content.ModelFeedback;
import org.postern.content.ModelFile;
import org.postern.content.SpamClassifier;
import org.postern.content.ViewLimits;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Feedback: {@code report junk|not-junk [--model FILE | --config FILE] PATH...} teaches the classifier the given
 * messages and saves the model (atomically, so a gateway following the file sees the old or the new model, and swaps
 * the new one in without a restart). Without {@code --model} the file is the one the gateway of {@code --config}
 * follows. A model file that does not exist yet starts from the bundled model.
 */
@Command(name = "report", description = "Teach the classifier from feedback: report junk|not-junk [--model FILE | --config FILE] PATH...")
public final class ReportCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "junk|not-junk")
    String kind;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "PATH", description = "the reported messages")
    List<Path> paths;

    @Option(names = "--model", paramLabel = "FILE", description = "model file to update; default: the one the gateway of --config follows")
    Path model;

    @CommandLine.Mixin
    ConfigOption config;

    @Override
    public void run() {
        boolean junk = switch (kind) {
            case "junk", "spam" -> true;
            case "not-junk", "ham" -> false;
            default -> throw new CommandLine.ParameterException(spec.commandLine(),
                    "report what? expected junk or not-junk, got '" + kind + "'");
        };
        // Without --model: content.model, else <data-dir>/model.bin, the file a running gateway follows.
        Path model = this.model != null ? this.model : config.load().modelFile();
        int[] learned = {0};
        try {
            // Learning is sequential (order matters for an online model); parsing may run ahead in parallel. The
            // file is locked against feedback the admin API gives meanwhile (ModelFeedback).
            ModelFeedback.learnInto(model, classifier -> MessageBatch.run(Inputs.existing(paths), ViewLimits.forClassification(), 1,
                    (name, view) -> learn(classifier, view, junk), (name, done) -> learned[0]++));
        } catch (ModelFile.ModelFormatException e) {
            throw new Postern.CliFailure("cannot read model: " + e.getMessage());
        } catch (IOException e) {
            throw new Postern.CliFailure(e.getMessage());
        }
        System.out.println("learned " + learned[0] + " message(s) as " + (junk ? "junk" : "not junk") + "; wrote " + model);
    }

    private static boolean learn(SpamClassifier classifier, MessageView view, boolean junk) {
        classifier.learn(view, junk);
        return true;
    }
}
