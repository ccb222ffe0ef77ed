package org.postern.rules;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Compiles a tenant's {@code transport-rules} (INTERFACES §3) into a {@link RuleSet}: every key checked against
 * the vocabulary (an unknown one is an error), every value validated, every pattern compiled — once per change of
 * the tenant, never per message. Errors name the rule and the field.
 */
public final class TransportRules {

    /** Most rules one tenant may have. */
    public static final int MAX_RULES = 1_000;
    /** Most estimated RE2 instructions all of a tenant's patterns may have together. */
    public static final long MAX_TOTAL_PROGRAM_SIZE = 50_000;

    private static final Set<String> RULE_KEYS =
            Set.of("name", "priority", "mode", "active-from", "active-until", "when", "except", "then", "stop");
    private static final com.google.re2j.Pattern NAME =
            com.google.re2j.Pattern.compile("[A-Za-z0-9]([A-Za-z0-9 ._()-]{0,98}[A-Za-z0-9._()-])?");

    private TransportRules() { }

    public static RuleSet compile(List<JsonNode> rules) {
        return compile(rules, Optional.empty());
    }

    /** As {@link #compile(List)}, and every {@code connector-is} must name one of {@code connectorNames}. */
    public static RuleSet compile(List<JsonNode> rules, Set<String> connectorNames) {
        return compile(rules, Optional.of(Set.copyOf(connectorNames)));
    }

    private static RuleSet compile(List<JsonNode> nodes, Optional<Set<String>> connectorNames) {
        if (nodes.size() > MAX_RULES) {
            throw new RuleValidationException(MAX_RULES, "", "", "too many rules (" + nodes.size() + ", limit " + MAX_RULES + ")");
        }
        List<Rule> rules = new ArrayList<>();
        Set<String> names = new HashSet<>();
        long programSize = 0;
        for (int i = 0; i < nodes.size(); i++) {
            RuleReader reader = new RuleReader(i, nodes.get(i), connectorNames);
            Rule rule = reader.read();
            if (!names.add(rule.name.toLowerCase(Locale.ROOT))) {
                throw new RuleValidationException(i, rule.name, "name", "another rule already has this name");
            }
            programSize += reader.programSize();
            if (programSize > MAX_TOTAL_PROGRAM_SIZE) {
                throw new RuleValidationException(i, rule.name, "", "the tenant's patterns together are too large (about "
                        + programSize + " instructions, limit " + MAX_TOTAL_PROGRAM_SIZE + ")");
            }
            rules.add(rule);
        }
        return new RuleSet(rules, nodes);
    }

    /** Reads one rule; every error names it and the field. */
    private static final class RuleReader implements RuleFields.ErrorSink {
        private final int index;
        private final JsonNode node;
        private final Optional<Set<String>> connectorNames;
        private String name = "";
        private long programSize;

        RuleReader(int index, JsonNode node, Optional<Set<String>> connectorNames) {
            this.index = index;
            this.node = node;
            this.connectorNames = connectorNames;
        }

        long programSize() {
            return programSize;
        }

        @Override
        public RuleValidationException error(String field, String problem) {
            return new RuleValidationException(index, name, field, problem);
        }

        Rule read() {
            if (node == null || !node.isObject()) throw error("", "a rule must be a map with name, priority, when, then, ...");
            JsonNode n = node.get("name");
            if (n == null || !n.isTextual() || n.asText().isBlank()) throw error("name", "required, a non-empty text");
            if (!NAME.matcher(n.asText()).matches()) {
                throw error("name", "'" + n.asText() + "' must be 1-100 letters, digits, spaces and . _ - ( ), starting with a letter or digit");
            }
            name = n.asText();
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                if (!RULE_KEYS.contains(e.getKey())) throw error(e.getKey(), "unknown key (a rule has " + String.join(", ", sorted(RULE_KEYS)) + ")");
            }
            JsonNode p = node.get("priority");
            if (p == null || !p.isInt()) throw error("priority", "required, an integer (lower runs first)");
            RuleMode mode = mode(node.get("mode"));
            Optional<Instant> from = instant("active-from", node.get("active-from"));
            Optional<Instant> until = instant("active-until", node.get("active-until"));
            if (from.isPresent() && until.isPresent() && !from.get().isBefore(until.get())) {
                throw error("active-until", "must be after active-from");
            }
            ConditionReader conditions = new ConditionReader(new RuleFields(this), connectorNames);
            List<Condition> when = conditions.read("when", node.get("when"));
            List<Condition> except = conditions.read("except", node.get("except"));
            programSize = conditions.programSize();
            List<Action> actions = new ActionReader(new RuleFields(this)).read(node.get("then"));
            JsonNode stop = node.get("stop");
            if (stop != null) {
                if (!stop.isBoolean()) throw error("stop", "must be true or false");
                if (stop.asBoolean() && actions.stream().noneMatch(a -> a instanceof Action.Stop)) {
                    actions = new ArrayList<>(actions);
                    actions.add(new Action.Stop());
                }
            }
            return new Rule(index, name, p.asInt(), mode, from, until, when, except, actions);
        }

        private RuleMode mode(JsonNode m) {
            if (m == null) return RuleMode.ENFORCE;
            if (m.isTextual()) {
                for (RuleMode candidate : RuleMode.values()) if (candidate.keyword().equals(m.asText())) return candidate;
            }
            throw error("mode", "must be enforce or audit, not '" + m.asText() + "'");
        }

        private Optional<Instant> instant(String field, JsonNode v) {
            if (v == null) return Optional.empty();
            try {
                return Optional.of(Instant.parse(v.asText()));
            } catch (DateTimeParseException e) {
                throw error(field, "'" + v.asText() + "' is not an ISO-8601 instant such as 2026-12-01T00:00:00Z");
            }
        }
    }

    static List<String> sorted(Set<String> keys) {
        return keys.stream().sorted().toList();
    }
}
