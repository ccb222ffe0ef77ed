package org.postern.rules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import org.postern.config.ConfigLoader;
import org.postern.rules.RuleSubject.Direction;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Test helpers: rule sets from YAML, a plain inbound message, the instant tests evaluate at. */
final class Rules {

    static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

    private Rules() { }

    static List<JsonNode> nodes(String yaml) {
        try {
            JsonNode tree = ConfigLoader.yamlMapper().readTree(yaml);
            List<JsonNode> out = new ArrayList<>();
            tree.forEach(out::add);
            return out;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static RuleSet compile(String yaml) {
        return TransportRules.compile(nodes(yaml));
    }

    /** A message from sender@example.org (192.0.2.10) to alice@contoso.test, subject "Hello". */
    static RuleSubject.Builder message() {
        return RuleSubject.builder(Direction.INBOUND)
                .sender("sender@example.org")
                .recipient("alice@contoso.test")
                .senderIp(ip("192.0.2.10"))
                .subject("Hello")
                .header("From", "Sender <sender@example.org>")
                .size(4_096);
    }

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A one-rule set: {@code when} (YAML flow map), action {@code set-scl: 9}. */
    static RuleSet when(String when) {
        return compile("- { name: r, priority: 1, when: " + when + ", then: { set-scl: 9 } }");
    }

    static boolean matches(RuleSet rules, RuleSubject subject) {
        return !rules.evaluate(subject, NOW).hits().isEmpty();
    }
}
