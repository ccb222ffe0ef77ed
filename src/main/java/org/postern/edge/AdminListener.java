package org.postern.edge;

import org.postern.admin.AdminServer;
import org.postern.admin.AdminServices;
import org.postern.admin.QuarantineAccess;
import org.postern.config.OperatorConfig;
import org.postern.content.MessageView;
import org.postern.content.ModelFeedback;
import org.postern.content.ViewLimits;
import org.postern.queue.FileSpool;
import org.postern.smtp.SmtpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/** Starts the admin listener of a node with the node's own services (what {@code Gateway} hands it). */
final class AdminListener {

    private AdminListener() { }

    static AdminServer start(OperatorConfig config, NodeServices services, FileSpool spool, SmtpServer smtp, QuarantineAccess quarantine,
                             NodeMetrics metrics, Clock clock, OperatorConfig.Listener listener) {
        AdminServices s = new AdminServices(services.catalog(), services.trace(), quarantine,
                new org.postern.admin.AuditLog(services.dataSource(), clock), services.accounts(), services.tokens(),
                () -> services.explainer(config, clock), feedback(config), clock, spool::depth,
                () -> listening(smtp) && storeReachable(services), metrics.registry(),
                services.restrictions());
        return AdminServer.start(s, new InetSocketAddress(listener.address(), listener.port()));
    }

    /**
     * Feedback as {@code postern report} gives it: the message is learned into the model file ({@code content.model},
     * else {@code <data-dir>/model.bin}), written atomically; the running node's classifier follows that file and swaps the new model in.
     */
    private static AdminServices.Feedback feedback(OperatorConfig config) {
        Path model = config.modelFile();
        return (message, junk) -> ModelFeedback.learnInto(model, classifier -> {
            try (MessageView view = MessageView.parse(message, ViewLimits.forClassification())) {
                classifier.learn(view, junk);
            }
        });
    }

    /** The admin listener starts before SMTP does: not ready until SMTP listens. */
    private static boolean listening(SmtpServer smtp) {
        try {
            return smtp.port() > 0;
        } catch (IllegalStateException notStarted) {
            return false;
        }
    }

    private static boolean storeReachable(NodeServices services) {
        try (var c = services.dataSource().getConnection()) {
            return c.isValid(1);
        } catch (java.sql.SQLException e) {
            return false;
        }
    }
}
