package org.postern.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.net.InetAddresses;
import org.postern.Postern;
import org.postern.config.OperatorConfig;
import org.postern.edge.Explainer;
import org.postern.edge.IncomingHeaderFilter;
import org.postern.edge.NodeServices;
import org.postern.policy.Verdict;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** What the gateway would decide, stage by stage, without sending mail. */
@Command(name = "explain", description = "Show what the gateway would decide for a client and message, stage by stage")
public final class ExplainCommand implements Runnable {

    @Mixin ConfigOption config;
    @Option(names = "--ip", required = true) String ip;
    @Option(names = "--helo") String helo;
    @Option(names = "--tls-cert-name", description = "a verified client certificate name (implies --tls)") String tlsCertName;
    @Option(names = "--tls", description = "the client used STARTTLS") boolean tls;
    @Option(names = "--auth") String auth;
    @Option(names = "--from", required = true, description = "envelope sender; \"\" for the null sender") String from;
    @Option(names = "--to", required = true, split = ",", description = "recipient(s)") List<String> to;
    @Option(names = "--message", paramLabel = "FILE.eml") Path message;
    @Option(names = "--json") boolean json;

    @Override
    public void run() {
        if (!InetAddresses.isInetAddress(ip)) throw new Postern.CliFailure("--ip: not an IP address: " + ip);
        if (message != null && !Files.isReadable(message)) throw new Postern.CliFailure("--message: cannot read " + message);
        OperatorConfig cfg = config.load();
        try (NodeServices services = NodeServices.open(cfg)) {
            Explainer explainer = services.explainer(cfg);
            var answer = explainer.explain(new Explainer.Question(InetAddresses.forString(ip), Optional.ofNullable(helo),
                    Optional.ofNullable(tlsCertName), Optional.ofNullable(auth), from, to, Optional.ofNullable(message), tls));
            ObjectNode out = render(answer);
            if (message != null) out.set("message", describe(message, cfg.node().hostname()));
            if (json) {
                System.out.println(out);
            } else {
                printHuman(answer);
            }
        }
    }

    /** The explanation as JSON (also the admin API's answer to explain). */
    public static ObjectNode render(Explainer.Explanation answer) {
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.put("outcome", answer.outcome());
        o.put("reply", answer.finalReply().map(Object::toString).orElse(null));
        ArrayNode steps = o.putArray("steps");
        for (var step : answer.steps()) {
            ObjectNode s = steps.addObject();
            s.put("phase", step.phase().name());
            s.put("recipient", step.recipient().orElse(null));
            s.put("outcome", step.verdict().decision().outcome());
            s.put("reply", step.reply().map(Object::toString).orElse(null));
            ArrayNode chain = s.putArray("decisions");
            for (Verdict.Step st : step.verdict().chain()) {
                for (var reason : st.decision().reasons()) {
                    ObjectNode d = chain.addObject();
                    d.put("stage", st.stage());
                    d.put("outcome", st.decision().outcome());
                    d.put("reason", reason.code().id() + ": " + reason.evidence());
                    d.put("setting", reason.setting());
                }
            }
        }
        return o;
    }

    private static void printHuman(Explainer.Explanation answer) {
        for (var step : answer.steps()) {
            System.out.println(step.phase() + step.recipient().map(r -> " " + r).orElse("") + ": " + step.verdict().decision().outcome()
                    + step.reply().map(r -> "  -> " + r).orElse(""));
            for (Verdict.Step st : step.verdict().chain()) {
                for (var reason : st.decision().reasons()) {
                    System.out.println("    " + st.stage() + " -> " + st.decision().outcome() + ": " + reason.code().id()
                            + ": " + reason.evidence() + (reason.setting().isEmpty() ? "" : " [" + reason.setting() + "]"));
                }
            }
        }
        System.out.println("outcome: " + answer.outcome() + answer.finalReply().map(r -> " (" + r + ")").orElse(""));
    }

    private static ObjectNode describe(Path file, String hostname) {
        ObjectNode m = new ObjectMapper().createObjectNode();
        try (IncomingHeaderFilter filter = new IncomingHeaderFilter(OutputStream.nullOutputStream(), hostname)) {
            Files.copy(file, filter);
            filter.finish();
            m.put("size", Files.size(file));
            m.put("messageId", filter.messageId().orElse(null));
            m.put("subject", filter.subject().orElse(null));
            m.put("strippedHeaderFields", filter.strippedFields());
        } catch (IOException e) {
            throw new Postern.CliFailure("cannot read " + file + ": " + e.getMessage());
        }
        return m;
    }
}
