package org.postern.rules;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads a rule's {@code then} map into actions, in the order written; the keys are exactly INTERFACES §3's. */
final class ActionReader {

    static final Set<String> KEYS = Set.of("set-scl", "reject", "quarantine", "redirect", "add-recipient",
            "add-header", "remove-header", "prepend-subject", "delete", "stop");

    private final RuleFields f;

    ActionReader(RuleFields fields) {
        this.f = fields;
    }

    List<Action> read(JsonNode map) {
        if (map == null || map.isNull()) throw f.error("then", "required: what the rule does (set-scl, reject, ...)");
        if (!map.isObject() || map.isEmpty()) throw f.error("then", "must be a map with at least one action");
        List<Action> out = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : map.properties()) {
            String field = "then." + e.getKey();
            if (!KEYS.contains(e.getKey())) {
                throw f.error(field, "unknown action (known: " + String.join(", ", TransportRules.sorted(KEYS)) + ")");
            }
            read(field, e.getKey(), e.getValue(), out);
        }
        return out;
    }

    private void read(String field, String key, JsonNode v, List<Action> out) {
        switch (key) {
            case "set-scl" -> {
                if (!v.isInt() || v.asInt() < -1 || v.asInt() > 9) throw f.error(field, "must be an SCL from -1 to 9");
                out.add(new Action.SetScl(v.asInt()));
            }
            case "reject" -> {
                String text = f.scalar(field, v);
                out.add(new Action.Reject(f.oneLine(field, text, RuleFields.MAX_REJECT_TEXT, true)));
            }
            case "quarantine" -> {
                f.requireTrue(field, v);
                out.add(new Action.Quarantine());
            }
            case "redirect" -> out.add(new Action.Redirect(f.address(field, f.scalar(field, v))));
            case "add-recipient" -> {
                for (String a : f.strings(field, v)) out.add(new Action.AddRecipient(f.address(field, a)));
            }
            case "add-header" -> {
                if (!v.isObject() || v.isEmpty()) throw f.error(field, "must be a map such as {X-External: \"yes\"}");
                for (Map.Entry<String, JsonNode> h : v.properties()) {
                    String name = f.headerName(field, h.getKey(), true);
                    JsonNode value = h.getValue();
                    if (value == null || !value.isValueNode() || value.isNull()) throw f.error(field + "." + name, "must be a text");
                    out.add(new Action.AddHeader(name, f.headerValue(field + "." + name, name, value.asText())));
                }
            }
            case "remove-header" -> {
                for (String name : f.strings(field, v)) out.add(new Action.RemoveHeader(f.headerName(field, name, true)));
            }
            case "prepend-subject" -> {
                String text = f.scalar(field, v);
                out.add(new Action.PrependSubject(f.oneLine(field, text, RuleFields.MAX_PREFIX, false)));
            }
            case "delete" -> {
                f.requireTrue(field, v);
                out.add(new Action.Delete());
            }
            case "stop" -> {
                f.requireTrue(field, v);
                out.add(new Action.Stop());
            }
            default -> throw new IllegalStateException("action key without a reader: " + key);
        }
    }
}
