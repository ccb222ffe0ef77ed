package org.postern.rules;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Every refusal names the rule (position and name) and the field. */
class RuleValidationTest {

    /** Compiles a good first rule and {@code rule} as the second (index 1), expecting a refusal. */
    private static RuleValidationException refused(String rule) {
        return catchThrowableOfType(RuleValidationException.class, () -> Rules.compile("""
                - { name: fine, priority: 1, when: { sender-domain-is: [ok.test] }, then: { set-scl: -1 } }
                - %s
                """.formatted(rule)));
    }

    private static void assertRefused(String rule, String field, String problem) {
        RuleValidationException e = refused(rule);
        assertThat(e).as(rule).isNotNull();
        assertThat(e.index()).isEqualTo(1);
        assertThat(e.field()).isEqualTo(field);
        assertThat(e.getMessage()).as(rule).startsWith("transport-rules[1]").contains(field + ": ").contains(problem);
    }

    @Test
    void namesTheRuleAndTheFieldOfAnOversizedPattern() {
        RuleValidationException e = refused("{ name: wire-fraud, priority: 5, when: { subject-matches: \"((a{100}){100}){100}\" }, then: { reject: no } }");
        assertThat(e.getMessage()).startsWith("transport-rules[1] 'wire-fraud': when.subject-matches: pattern too large");
        assertThat(e.rule()).isEqualTo("wire-fraud");
    }

    @Test
    void refusesBadRuleFields() {
        assertRefused("{ priority: 2, then: { set-scl: 1 } }", "name", "required");
        assertRefused("{ name: \"\", priority: 2, then: { set-scl: 1 } }", "name", "required");
        assertRefused("{ name: \"bad\\nname\", priority: 2, then: { set-scl: 1 } }", "name", "letters, digits");
        assertRefused("{ name: FINE, priority: 2, then: { set-scl: 1 } }", "name", "another rule already has this name");
        assertRefused("{ name: r, then: { set-scl: 1 } }", "priority", "integer");
        assertRefused("{ name: r, priority: high, then: { set-scl: 1 } }", "priority", "integer");
        assertRefused("{ name: r, priority: 2, mode: dry-run, then: { set-scl: 1 } }", "mode", "enforce or audit");
        assertRefused("{ name: r, priority: 2, active-from: tomorrow, then: { set-scl: 1 } }", "active-from", "ISO-8601");
        assertRefused("{ name: r, priority: 2, active-from: 2026-12-01T00:00:00Z, active-until: 2026-11-01T00:00:00Z, then: { set-scl: 1 } }",
                "active-until", "after active-from");
        assertRefused("{ name: r, priority: 2, stop: maybe, then: { set-scl: 1 } }", "stop", "true or false");
        assertRefused("{ name: r, priority: 2, description: x, then: { set-scl: 1 } }", "description", "unknown key");
        assertRefused("{ name: r, priority: 2 }", "then", "required");
        assertRefused("{ name: r, priority: 2, then: {} }", "then", "at least one action");
        assertRefused("{ name: r, priority: 2, when: [sender-is], then: { set-scl: 1 } }", "when", "map of conditions");
    }

    @Test
    void refusesUnknownConditionsAndActions() {
        assertRefused("{ name: r, priority: 2, when: { sender-domain: [x.test] }, then: { set-scl: 1 } }", "when.sender-domain", "unknown condition");
        assertRefused("{ name: r, priority: 2, except: { from-scope: x }, then: { set-scl: 1 } }", "except.from-scope", "unknown condition");
        assertRefused("{ name: r, priority: 2, then: { bcc: a@b.test } }", "then.bcc", "unknown action");
    }

    @Test
    void refusesBadConditionValues() {
        assertRefused("{ name: r, priority: 2, when: { sender-is: [not-an-address] }, then: { set-scl: 1 } }", "when.sender-is", "not an address");
        assertRefused("{ name: r, priority: 2, when: { recipient-is: [] }, then: { set-scl: 1 } }", "when.recipient-is", "at least one value");
        assertRefused("{ name: r, priority: 2, when: { sender-domain-is: [\"bad domain\"] }, then: { set-scl: 1 } }", "when.sender-domain-is", "domain");
        assertRefused("{ name: r, priority: 2, when: { recipient-domain-is: [\"-x.test\"] }, then: { set-scl: 1 } }", "when.recipient-domain-is", "domain");
        assertRefused("{ name: r, priority: 2, when: { sender-ip-in: [300.1.1.1/8] }, then: { set-scl: 1 } }", "when.sender-ip-in", "CIDR");
        assertRefused("{ name: r, priority: 2, when: { subject-contains: [\"\"] }, then: { set-scl: 1 } }", "when.subject-contains", "empty");
        assertRefused("{ name: r, priority: 2, when: { body-contains: [\"" + "x".repeat(300) + "\"] }, then: { set-scl: 1 } }", "when.body-contains", "longer than 256");
        assertRefused("{ name: r, priority: 2, when: { subject-matches: \"(unclosed\" }, then: { set-scl: 1 } }", "when.subject-matches", "not a valid RE2 pattern");
        assertRefused("{ name: r, priority: 2, when: { attachment-name-matches: \"(a)\\\\1\" }, then: { set-scl: 1 } }", "when.attachment-name-matches", "not a valid RE2 pattern");
        assertRefused("{ name: r, priority: 2, when: { header-contains: [X-Mailer] }, then: { set-scl: 1 } }", "when.header-contains", "map of header names");
        assertRefused("{ name: r, priority: 2, when: { header-contains: { \"X Mailer\": [bulk] } }, then: { set-scl: 1 } }", "when.header-contains", "header field name");
        assertRefused("{ name: r, priority: 2, when: { header-matches: { X-Mailer: \"a{2000}\" } }, then: { set-scl: 1 } }", "when.header-matches.X-Mailer", "pattern");
        assertRefused("{ name: r, priority: 2, when: { attachment-type-is: [\"exe files\"] }, then: { set-scl: 1 } }", "when.attachment-type-is", "file extension");
        assertRefused("{ name: r, priority: 2, when: { size-over: 10 parsecs }, then: { set-scl: 1 } }", "when.size-over", "not a size");
        assertRefused("{ name: r, priority: 2, when: { scl-at-least: 10 }, then: { set-scl: 1 } }", "when.scl-at-least", "-1 to 9");
        assertRefused("{ name: r, priority: 2, when: { auth-result: { spf: maybe } }, then: { set-scl: 1 } }", "when.auth-result.spf", "result word");
        assertRefused("{ name: r, priority: 2, when: { auth-result: { arc: pass } }, then: { set-scl: 1 } }", "when.auth-result.arc", "unknown method");
        assertRefused("{ name: r, priority: 2, when: { direction: sideways }, then: { set-scl: 1 } }", "when.direction", "inbound or outbound");
    }

    @Test
    void refusesBadActionValues() {
        assertRefused("{ name: r, priority: 2, then: { set-scl: 10 } }", "then.set-scl", "-1 to 9");
        assertRefused("{ name: r, priority: 2, then: { set-scl: -2 } }", "then.set-scl", "-1 to 9");
        assertRefused("{ name: r, priority: 2, then: { set-scl: \"5\" } }", "then.set-scl", "-1 to 9");
        assertRefused("{ name: r, priority: 2, then: { reject: \"no\\r\\n250 ok\" } }", "then.reject", "line break");
        assertRefused("{ name: r, priority: 2, then: { reject: \"Zahlung abgelehnt – Betrug\" } }", "then.reject", "printable ASCII");
        assertRefused("{ name: r, priority: 2, then: { quarantine: false } }", "then.quarantine", "must be true");
        assertRefused("{ name: r, priority: 2, then: { delete: \"yes\" } }", "then.delete", "must be true");
        assertRefused("{ name: r, priority: 2, then: { redirect: nobody } }", "then.redirect", "not an address");
        assertRefused("{ name: r, priority: 2, then: { add-recipient: [\"a b@c.test\"] } }", "then.add-recipient", "not an address");
        assertRefused("{ name: r, priority: 2, then: { prepend-subject: \"[EXT]\\u0007 \" } }", "then.prepend-subject", "control character");
        assertRefused("{ name: r, priority: 2, then: { remove-header: \"X:Y\" } }", "then.remove-header", "header field name");
    }

    @Test
    void refusesHeaderInjection() {
        assertRefused("{ name: r, priority: 2, then: { add-header: { X-Tag: \"ok\\r\\nBcc: victim@example.org\" } } }",
                "then.add-header.X-Tag", "line break (header injection)");
        assertRefused("{ name: r, priority: 2, then: { add-header: { X-Tag: \"ok\\nX-Postern-SCL: -1\" } } }",
                "then.add-header.X-Tag", "line break");
        assertRefused("{ name: r, priority: 2, then: { add-header: { \"X-Tag\\r\\nX-Evil\": yes } } }", "then.add-header", "header field name");
        assertRefused("{ name: r, priority: 2, then: { add-header: { X-Tag: \"" + "v".repeat(1000) + "\" } } }", "then.add-header.X-Tag", "longer than 998");
    }

    @Test
    void refusesWritingPosternAndTraceFields() {
        for (String name : new String[] {"X-Postern-SCL", "x-postern-report", "Received", "Authentication-Results"}) {
            assertRefused("{ name: r, priority: 2, then: { add-header: { \"" + name + "\": \"-1\" } } }", "then.add-header", "written by Postern");
            assertRefused("{ name: r, priority: 2, then: { remove-header: \"" + name + "\" } }", "then.remove-header", "written by Postern");
        }
    }

    @Test
    void connectorNamesMustExistWhenTheTenantsConnectorsAreKnown() {
        var nodes = Rules.nodes("- { name: r, priority: 1, when: { connector-is: [partner-fabrikam] }, then: { set-scl: -1 } }");
        assertThat(TransportRules.compile(nodes, Set.of("partner-fabrikam")).size()).isEqualTo(1);
        assertThatThrownBy(() -> TransportRules.compile(nodes, Set.of("other")))
                .hasMessage("transport-rules[0] 'r': when.connector-is: the tenant has no connector 'partner-fabrikam'");
    }

    @Test
    void refusesTooManyPatternsTogether() {
        StringBuilder yaml = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            yaml.append("- { name: r").append(i).append(", priority: ").append(i)
                    .append(", when: { subject-matches: \"[a-z]{1000}x\" }, then: { set-scl: 5 } }\n");
        }
        assertThatThrownBy(() -> Rules.compile(yaml.toString())).hasMessageContaining("patterns together are too large");
    }

    @Test
    void theReadmeExampleCompilesAndBehavesAsDescribed() {
        RuleSet rules = Rules.compile("""
                - name: trust-payroll
                  priority: 10
                  when: { sender-domain-is: [payroll.test], auth-result: { dmarc: pass } }
                  except: { subject-contains: ["[external]"] }
                  then: { set-scl: -1 }
                - name: wire-fraud
                  priority: 20
                  mode: audit
                  active-until: 2027-01-01T00:00:00Z
                  when: { subject-matches: "wire\\\\s+transfer", direction: inbound }
                  then: { reject: "Payment requests by mail are refused; call the finance desk", stop: true }
                """);
        RuleOutcome outcome = rules.evaluate(Rules.message().subject("Wire  Transfer today").build(), Rules.NOW);
        assertThat(outcome.trace()).containsExactly("rule 'wire-fraud' (audit) would reject "
                + "\"Payment requests by mail are refused; call the finance desk\", stop (subject-matches wire\\s+transfer, direction inbound)");
        assertThat(outcome.reject()).isEmpty();
    }

    @Test
    void acceptsTheWholeVocabulary() {
        RuleSet rules = Rules.compile("""
                - name: everything
                  priority: 3
                  mode: audit
                  active-from: 2026-01-01T00:00:00Z
                  active-until: 2027-01-01T00:00:00Z
                  stop: true
                  when:
                    sender-is: [a@example.org]
                    sender-domain-is: example.org
                    recipient-is: [b@contoso.test]
                    recipient-domain-is: [contoso.test]
                    sender-ip-in: [192.0.2.0/24, "2001:db8::/32"]
                    subject-contains: [invoice]
                    subject-matches: "inv(oice)?\\\\s+\\\\d+"
                    header-contains: { X-Mailer: [bulk], List-Id: newsletter }
                    header-matches: { X-Campaign: "^c-\\\\d+$" }
                    body-contains: [wire transfer]
                    attachment-name-matches: ["\\\\.(exe|scr)$"]
                    attachment-type-is: [exe, application/pdf, image/*]
                    size-over: 10MB
                    scl-at-least: 5
                    auth-result: { spf: pass, dkim: [pass, neutral], dmarc: fail }
                    connector-is: partner-fabrikam
                    direction: inbound
                  except: { subject-contains: ["[external]"] }
                  then:
                    set-scl: -1
                    reject: "Payments by mail are not accepted"
                    quarantine: true
                    redirect: review@contoso.test
                    add-recipient: [audit@contoso.test, legal@contoso.test]
                    add-header: { X-Reviewed: "yes", X-Priority: 1 }
                    remove-header: [X-Campaign]
                    prepend-subject: "[EXT] "
                    delete: true
                    stop: true
                """);
        assertThat(rules.names()).containsExactly("everything");
        assertThat(ConditionReader.KEYS).hasSize(17);
        assertThat(ActionReader.KEYS).hasSize(10);
    }
}
