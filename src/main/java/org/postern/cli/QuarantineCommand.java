package org.postern.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.postern.Postern;
import org.postern.config.OperatorConfig;
import org.postern.edge.NodeServices;
import org.postern.quarantine.Quarantine;
import org.postern.quarantine.QuarantinedMessage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code postern quarantine list|release|delete}: what a tenant's admin does with held mail. Release hands the
 * message to the node's spool (a running node delivers it within seconds; a stopped one when it starts).
 */
@Command(name = "quarantine", description = "List, release or delete a tenant's quarantined messages",
        subcommands = {QuarantineCommand.List.class, QuarantineCommand.Release.class, QuarantineCommand.Delete.class})
public final class QuarantineCommand implements Runnable {

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "name a subcommand: list, release or delete");
    }

    static class Common {
        @Mixin ConfigOption config;
        @Option(names = "--tenant", required = true) String tenant;

        /** Runs {@code action} on the quarantine the gateway uses (the store's when it is PostgreSQL). */
        <T> T withQuarantine(QuarantineCall<T> action) {
            OperatorConfig cfg = config.load();
            try (NodeServices services = NodeServices.open(cfg)) {
                return call(() -> action.call(services.quarantine(cfg, "", java.time.Clock.systemUTC())));
            }
        }
    }

    @Command(name = "list", description = "The tenant's quarantined messages, newest first")
    static final class List extends Common implements Runnable {
        @Option(names = "--json", description = "one JSON object per line") boolean json;

        @Override
        public void run() {
            java.util.List<QuarantinedMessage> held = withQuarantine(q -> q.list(tenant));
            ObjectMapper mapper = new ObjectMapper().registerModule(new JavaTimeModule()).registerModule(new com.fasterxml.jackson.datatype.jdk8.Jdk8Module()).disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
            for (QuarantinedMessage m : held) {
                if (json) {
                    System.out.println(call(() -> mapper.writeValueAsString(m)));
                } else {
                    System.out.println(m.heldAt() + "  " + m.id() + "  from=" + (m.mailFrom().isEmpty() ? "<>" : m.mailFrom())
                            + "  to=" + String.join(",", m.recipients()) + "  subject=" + m.subject() + "\n    why: " + m.reason());
                }
            }
            if (!json && held.isEmpty()) System.out.println("no quarantined messages for tenant " + tenant);
        }
    }

    @Command(name = "release", description = "Deliver a quarantined message to its recipients")
    static final class Release extends Common implements Runnable {
        @Option(names = "--id", required = true) String id;

        @Override
        public void run() {
            String by = "cli:" + System.getProperty("user.name", "unknown");
            if (!withQuarantine(q -> q.release(tenant, id, by, java.time.Instant.now()))) throw new Postern.CliFailure("no quarantined message " + id + " for tenant " + tenant);
            System.out.println("released " + id + "; the gateway delivers it within seconds (trace --ref " + id + ")");
        }
    }

    @Command(name = "delete", description = "Delete a quarantined message for good")
    static final class Delete extends Common implements Runnable {
        @Option(names = "--id", required = true) String id;

        @Override
        public void run() {
            if (!withQuarantine(q -> q.delete(tenant, id))) throw new Postern.CliFailure("no quarantined message " + id + " for tenant " + tenant);
            System.out.println("deleted " + id);
        }
    }

    interface QuarantineCall<T> {
        T call(Quarantine quarantine) throws IOException;
    }

    private interface IoCall<T> {
        T call() throws IOException;
    }

    private static <T> T call(IoCall<T> action) {
        try {
            return action.call();
        } catch (IOException e) {
            throw new Postern.CliFailure("quarantine: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new Postern.CliFailure(e.getMessage());
        }
    }
}
