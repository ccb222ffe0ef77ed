package org.postern.cli;

import org.postern.config.Units;
import org.postern.edge.NodeServices;
import org.postern.trace.TraceJson;
import org.postern.trace.TraceQuery;
import org.postern.trace.TraceRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Instant;
import java.util.List;

/** Message trace search: one JSON object per line with --json, else one readable line per message. */
@Command(name = "trace", description = "Search the message trace")
public final class TraceCommand implements Runnable {

    @Mixin
    ConfigOption config;

    @Option(names = "--tenant") String tenant;
    @Option(names = "--ref") String ref;
    @Option(names = "--sender") String sender;
    @Option(names = "--recipient") String recipient;
    @Option(names = "--since", paramLabel = "DURATION", description = "e.g. 30m, 2h, 7d") String since;
    @Option(names = "--limit", defaultValue = "1000") int limit;
    @Option(names = "--json", description = "one JSON object per line") boolean json;

    @Override
    public void run() {
        TraceQuery q = TraceQuery.all();
        if (tenant != null) q = q.withTenant(tenant);
        if (ref != null) q = q.withRef(ref);
        if (sender != null) q = q.withSender(sender);
        if (recipient != null) q = q.withRecipient(recipient);
        if (since != null) q = q.withSince(Instant.now().minus(Units.duration(since)));
        q = new TraceQuery(q.tenant(), q.ref(), q.sender(), q.recipient(), q.since(), q.status(), limit, 0);
        try (NodeServices services = NodeServices.open(config.load())) {
            List<TraceRecord> records = services.trace().search(q);
            for (TraceRecord r : records) {
                var deliveries = services.trace().deliveries(r.ref());
                if (json) {
                    System.out.println(TraceJson.line(r, deliveries));
                } else {
                    System.out.println(TraceJson.human(r, deliveries));
                }
            }
        }
    }
}
