package org.postern.trace;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * The trace record as users and scripts see it (INTERFACES §4 field names), for the CLI and the API alike.
 * Absent values are JSON null, so every line has every field.
 */
public final class TraceJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TraceJson() { }

    public static ObjectNode object(TraceRecord r, List<DeliveryEvent> deliveries) {
        ObjectNode o = JSON.createObjectNode();
        o.put("ref", r.ref());
        o.put("tenant", r.tenant().orElse(null));
        o.put("receivedAt", r.receivedAt().toString());
        o.put("clientIp", r.clientIp());
        o.put("helo", r.helo().orElse(null));
        o.put("tls", r.tls().orElse(null));
        o.put("mailFrom", r.mailFrom().orElse(null));
        ArrayNode rcpts = o.putArray("recipients");
        r.recipients().forEach(rcpts::add);
        o.put("messageId", r.messageId().orElse(null));
        o.put("subject", r.subject().orElse(null));
        o.put("size", r.size());
        if (r.scl().isPresent()) o.put("scl", r.scl().getAsInt()); else o.putNull("scl");
        o.put("status", r.status().name());
        o.put("phase", r.phase());
        o.put("smtpReply", r.smtpReply());
        ArrayNode decisions = o.putArray("decisions");
        for (DecisionEntry d : r.decisions()) {
            ObjectNode e = decisions.addObject();
            e.put("stage", d.stage());
            e.put("outcome", d.outcome());
            e.put("reason", d.reason());
            e.put("setting", d.setting());
        }
        ArrayNode del = o.putArray("deliveries");
        for (DeliveryEvent d : deliveries) {
            ObjectNode e = del.addObject();
            e.put("recipient", d.recipient());
            e.put("at", d.at().toString());
            e.put("outcome", d.outcome().name());
            e.put("attempt", d.attempt());
            e.put("target", d.target());
            e.put("detail", d.detail());
            e.put("node", d.node());
        }
        o.put("node", r.node());
        o.put("receivedBy", r.node());
        o.put("deliveredBy", deliveredBy(deliveries).orElse(null));
        return o;
    }

    /**
     * The node(s) that delivered the message (node.name; several when recipients or a release were delivered from
     * different nodes), from its delivery events; empty before any delivery.
     */
    public static java.util.Optional<String> deliveredBy(List<DeliveryEvent> deliveries) {
        var nodes = deliveries.stream().filter(d -> d.outcome() == TraceStatus.Delivered).map(DeliveryEvent::node).distinct().toList();
        return nodes.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(String.join(", ", nodes));
    }

    public static String line(TraceRecord r, List<DeliveryEvent> deliveries) {
        return object(r, deliveries).toString();
    }

    /** One readable line, then the decision chain and deliveries indented beneath it. */
    public static String human(TraceRecord r, List<DeliveryEvent> deliveries) {
        StringBuilder sb = new StringBuilder();
        sb.append(r.receivedAt()).append("  ").append(r.ref()).append("  ").append(r.status())
                .append("  tenant=").append(r.tenant().orElse("-"))
                .append("  from=").append(r.mailFrom().map(s -> s.isEmpty() ? "<>" : s).orElse("-"))
                .append("  to=").append(String.join(",", r.recipients()))
                .append("  client=").append(r.clientIp())
                .append(r.subject().map(s -> "  subject=\"" + s + "\"").orElse(""))
                .append('\n').append("    reply: ").append(r.smtpReply()).append(" (").append(r.phase()).append(")\n")
                .append("    received by ").append(r.node()).append(deliveredBy(deliveries).map(n -> ", delivered by " + n).orElse("")).append('\n');
        for (DecisionEntry d : r.decisions()) {
            sb.append("    ").append(d.stage()).append(" -> ").append(d.outcome()).append(": ").append(d.reason());
            if (!d.setting().isEmpty()) sb.append(" [").append(d.setting()).append(']');
            sb.append('\n');
        }
        for (DeliveryEvent d : deliveries) {
            sb.append("    delivery #").append(d.attempt()).append(' ').append(d.recipient()).append(" -> ")
                    .append(d.outcome()).append(" via ").append(d.target()).append(": ").append(d.detail()).append('\n');
        }
        return sb.toString().stripTrailing();
    }
}
