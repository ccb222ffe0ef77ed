package org.postern.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.postern.Postern;
import org.postern.content.ContentReason;
import org.postern.content.MessageBatch;
import org.postern.content.SclCalculator;
import org.postern.content.SclInputs;
import org.postern.content.SclResult;
import org.postern.content.SpamClassifier;
import org.postern.content.ViewLimits;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Classifies messages: one line per message, {@code {"file":..,"scl":..,"spamProbability":..,"bcl":..,"score":..,"reasons":[..]}} with
 * --json. Only the message is known here (no session, no tenant), so the SCL rests on the classifier and the
 * message's own signs.
 */
@Command(name = "classify", description = "Classify messages (mbox, Maildir, directories of .eml, .tar(.gz/.bz2/.xz), .zip)")
public final class ClassifyCommand implements Runnable {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    ModelOption model;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "messages to classify")
    List<Path> paths;

    @Option(names = "--json", description = "one JSON object per line")
    boolean json;

    @Override
    public void run() {
        SpamClassifier classifier = model.load(false);
        SclCalculator scl = SclCalculator.standard();
        try {
            MessageBatch.run(Inputs.existing(paths), ViewLimits.forClassification(), Inputs.threads(),
                    (name, view) -> scl.calculate(classifier.classify(view), view, SclInputs.none()),
                    (name, result) -> System.out.println(json ? jsonLine(name, result) : humanLine(name, result)));
        } catch (IOException e) {
            throw new Postern.CliFailure(e.getMessage());
        }
        System.out.flush();
    }

    static String jsonLine(String name, SclResult r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("file", name);
        o.put("scl", r.scl());
        o.put("spamProbability", Math.round(r.spamProbability() * 1e6) / 1e6);
        o.put("bcl", r.bcl());
        o.put("score", Math.round(r.score() * 1000) / 1000.0); // the SCL's unrounded total (log-odds), for ROC curves
        var reasons = o.putArray("reasons");
        r.reasonIds().forEach(reasons::add);
        var details = o.putArray("details");
        for (ContentReason reason : r.reasons()) {
            details.addObject().put("reason", reason.code().id()).put("detail", reason.detail())
                    .put("weight", Math.round(reason.weight() * 100) / 100.0);
        }
        return o.toString();
    }

    private static String humanLine(String name, SclResult r) {
        return String.format(Locale.ROOT, "%s  SCL %d  BCL %d  p=%.4f  %s", name, r.scl(), r.bcl(), r.spamProbability(),
                r.reasons().stream().map(ContentReason::toString).collect(Collectors.joining("; ")));
    }
}
