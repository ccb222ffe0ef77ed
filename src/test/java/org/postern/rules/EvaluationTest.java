package org.postern.rules;

import org.junit.jupiter.api.Test;
import org.postern.rules.RuleOutcome.HeaderField;

import java.time.Instant;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.postern.rules.Rules.NOW;
import static org.postern.rules.Rules.message;

/** Order, exceptions, audit, validity, stop and every action's effect on the outcome. */
class EvaluationTest {

    @Test
    void trustedSenderGetsSclMinusOneAndTheTraceSaysWhy() {
        RuleSet rules = Rules.compile("""
                - name: trust-payroll
                  priority: 10
                  when: { sender-domain-is: [payroll.test] }
                  except: { subject-contains: ["[external]"] }
                  then: { set-scl: -1 }
                """);
        RuleOutcome outcome = rules.evaluate(message().sender("run@payroll.test").scl(8).build(), NOW);
        assertThat(outcome.scl()).isEqualTo(OptionalInt.of(-1));
        assertThat(outcome.trace()).containsExactly("rule 'trust-payroll' set-scl -1 (sender-domain-is payroll.test)");
        assertThat(outcome.enforcedRules()).containsExactly("trust-payroll");
    }

    @Test
    void anyExceptionThatHoldsKeepsTheRuleFromApplying() {
        RuleSet rules = Rules.compile("""
                - name: trust-payroll
                  priority: 10
                  when: { sender-domain-is: [payroll.test] }
                  except: { subject-contains: ["[external]"], sender-ip-in: [203.0.113.0/24] }
                  then: { set-scl: -1 }
                """);
        assertThat(rules.evaluate(message().sender("a@payroll.test").subject("[External] pay").build(), NOW).hits()).isEmpty();
        assertThat(rules.evaluate(message().sender("a@payroll.test").senderIp(Rules.ip("203.0.113.9")).build(), NOW).hits()).isEmpty();
        assertThat(rules.evaluate(message().sender("a@payroll.test").build(), NOW).hits()).hasSize(1);
    }

    @Test
    void rulesRunByPriorityThenDocumentOrder() {
        RuleSet rules = Rules.compile("""
                - { name: c, priority: 20, then: { set-scl: 3 } }
                - { name: a, priority: 5, then: { set-scl: 1 } }
                - { name: b1, priority: 10, then: { set-scl: 2 } }
                - { name: b2, priority: 10, then: { set-scl: 4 } }
                """);
        RuleOutcome outcome = rules.evaluate(message().build(), NOW);
        assertThat(rules.names()).containsExactly("a", "b1", "b2", "c");
        assertThat(outcome.hits()).extracting(RuleHit::rule).containsExactly("a", "b1", "b2", "c");
        assertThat(outcome.scl()).as("the last set-scl wins").isEqualTo(OptionalInt.of(3));
    }

    @Test
    void stopOnTheRuleOrAsAnActionEndsProcessing() {
        RuleSet ruleKey = Rules.compile("""
                - { name: first, priority: 1, stop: true, when: { sender-domain-is: [example.org] }, then: { set-scl: -1 } }
                - { name: second, priority: 2, then: { set-scl: 9 } }
                """);
        RuleOutcome stopped = ruleKey.evaluate(message().build(), NOW);
        assertThat(stopped.hits()).extracting(RuleHit::rule).containsExactly("first");
        assertThat(stopped.scl()).isEqualTo(OptionalInt.of(-1));
        assertThat(stopped.trace()).containsExactly("rule 'first' set-scl -1, stop (sender-domain-is example.org)");
        assertThat(ruleKey.evaluate(message().sender("x@other.test").build(), NOW).hits()).extracting(RuleHit::rule)
                .as("stop only when the rule matched").containsExactly("second");

        RuleSet action = Rules.compile("""
                - { name: first, priority: 1, then: { prepend-subject: "[A] ", stop: true } }
                - { name: second, priority: 2, then: { prepend-subject: "[B] " } }
                """);
        assertThat(action.evaluate(message().build(), NOW).hits()).extracting(RuleHit::rule).containsExactly("first");
    }

    @Test
    void auditRulesAreReportedAndHaveNoEffect() {
        RuleSet rules = Rules.compile("""
                - { name: try-reject, priority: 1, mode: audit, stop: true, when: { subject-contains: [hello] }, then: { reject: "No hellos" } }
                - { name: tag, priority: 2, then: { add-header: { X-Tag: "t" } } }
                """);
        RuleOutcome outcome = rules.evaluate(message().build(), NOW);
        assertThat(outcome.reject()).isEmpty();
        assertThat(outcome.hits()).extracting(RuleHit::rule).containsExactly("try-reject", "tag");
        assertThat(outcome.hits().get(0).audit()).isTrue();
        assertThat(outcome.trace().get(0)).isEqualTo("rule 'try-reject' (audit) would reject \"No hellos\", stop (subject-contains hello)");
        assertThat(outcome.enforcedRules()).containsExactly("tag");
        assertThat(outcome.headersToAdd()).containsExactly(new HeaderField("X-Tag", "t"));
    }

    @Test
    void rulesOutsideTheirValidityWindowAreSkipped() {
        RuleSet rules = Rules.compile("""
                - { name: holiday, priority: 1, active-from: 2026-12-20T00:00:00Z, active-until: 2027-01-06T00:00:00Z, then: { add-header: { X-Holiday: "yes" } } }
                """);
        assertThat(rules.evaluate(message().build(), Instant.parse("2026-12-19T23:59:59Z")).hits()).isEmpty();
        assertThat(rules.evaluate(message().build(), Instant.parse("2026-12-20T00:00:00Z")).hits()).hasSize(1);
        assertThat(rules.evaluate(message().build(), Instant.parse("2027-01-05T23:59:59Z")).hits()).hasSize(1);
        assertThat(rules.evaluate(message().build(), Instant.parse("2027-01-06T00:00:00Z")).hits()).isEmpty();
    }

    @Test
    void firstRejectEndsProcessingWithTheTenantsText() {
        RuleSet rules = Rules.compile("""
                - { name: wire-fraud, priority: 1, when: { subject-matches: "wire\\\\s+transfer" }, then: { reject: "Wire transfer requests by mail are refused" } }
                - { name: other, priority: 2, then: { reject: "second" } }
                """);
        RuleOutcome outcome = rules.evaluate(message().subject("URGENT wire  transfer").build(), NOW);
        assertThat(outcome.reject()).contains("Wire transfer requests by mail are refused");
        assertThat(outcome.hits()).extracting(RuleHit::rule).containsExactly("wire-fraud");
    }

    @Test
    void deliveryActions() {
        RuleSet rules = Rules.compile("""
                - { name: hold, priority: 1, when: { attachment-type-is: [iso] }, then: { quarantine: true } }
                - { name: copy, priority: 2, then: { add-recipient: [audit@contoso.test, audit@contoso.test, legal@contoso.test] } }
                - { name: away, priority: 3, then: { redirect: first@contoso.test } }
                - { name: away2, priority: 4, then: { redirect: desk@contoso.test } }
                """);
        RuleOutcome outcome = rules.evaluate(message().attachment("x.iso", "application/octet-stream").build(), NOW);
        assertThat(outcome.quarantine()).isTrue();
        assertThat(outcome.addedRecipients()).containsExactly("audit@contoso.test", "legal@contoso.test");
        assertThat(outcome.redirect()).as("the last redirect wins").contains("desk@contoso.test");
        assertThat(outcome.delete()).isFalse();
    }

    @Test
    void deleteEndsProcessing() {
        RuleSet rules = Rules.compile("""
                - { name: drop, priority: 1, when: { sender-is: [noise@example.org] }, then: { delete: true } }
                - { name: after, priority: 2, then: { set-scl: 1 } }
                """);
        RuleOutcome outcome = rules.evaluate(message().sender("noise@example.org").build(), NOW);
        assertThat(outcome.delete()).isTrue();
        assertThat(outcome.hits()).extracting(RuleHit::rule).containsExactly("drop");
    }

    @Test
    void headerAndSubjectActions() {
        RuleSet rules = Rules.compile("""
                - { name: tag-external, priority: 1, when: { direction: inbound }, then: { prepend-subject: "[EXT] ", add-header: { X-External: "yes", X-Campaign: "c" } } }
                - { name: strip, priority: 2, then: { remove-header: [X-Campaign, X-Mailer] } }
                - { name: spam-tag, priority: 3, when: { scl-at-least: 5 }, then: { prepend-subject: "[SPAM] " } }
                """);
        RuleOutcome outcome = rules.evaluate(message().scl(6).build(), NOW);
        assertThat(outcome.subjectPrefix()).as("a later rule's text goes first").contains("[SPAM] [EXT] ");
        assertThat(outcome.headersToAdd()).as("a removal also drops what earlier rules added").containsExactly(new HeaderField("X-External", "yes"));
        assertThat(outcome.headersToRemove()).containsExactly("x-campaign", "x-mailer");
    }

    @Test
    void laterRulesSeeTheEffectsOfEarlierOnes() {
        RuleSet rules = Rules.compile("""
                - { name: mark, priority: 1, when: { sender-domain-is: [partner.test] }, then: { add-header: { X-Partner: "fabrikam" }, set-scl: 6 } }
                - { name: by-header, priority: 2, when: { header-contains: { X-Partner: [fabrikam] } }, then: { add-recipient: partners@contoso.test } }
                - { name: by-scl, priority: 3, when: { scl-at-least: 6 }, then: { quarantine: true } }
                - { name: unmark, priority: 4, then: { remove-header: X-Partner } }
                - { name: after-removal, priority: 5, when: { header-contains: { X-Partner: [fabrikam] } }, then: { set-scl: 9 } }
                """);
        RuleOutcome outcome = rules.evaluate(message().sender("a@partner.test").scl(1).build(), NOW);
        assertThat(outcome.hits()).extracting(RuleHit::rule).containsExactly("mark", "by-header", "by-scl", "unmark");
        assertThat(outcome.scl()).isEqualTo(OptionalInt.of(6));
    }

    @Test
    void noMatchIsTheEmptyOutcome() {
        assertThat(RuleSet.EMPTY.evaluate(message().build(), NOW)).isEqualTo(RuleOutcome.NONE);
        RuleSet rules = Rules.when("{ sender-domain-is: [other.test] }");
        RuleOutcome outcome = rules.evaluate(message().build(), NOW);
        assertThat(outcome).isEqualTo(RuleOutcome.NONE);
        assertThat(outcome.scl()).isEmpty();
    }

    @Test
    void aRuleSetIsSharedSafelyBetweenThreads() throws Exception {
        RuleSet rules = Rules.compile("""
                - { name: t, priority: 1, when: { subject-matches: "invoice\\\\s+\\\\d+", sender-domain-is: [example.org] }, then: { set-scl: 7, add-header: { X-T: "1" } } }
                """);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            var futures = new java.util.ArrayList<java.util.concurrent.Future<Boolean>>();
            for (int i = 0; i < 200; i++) {
                int n = i;
                futures.add(pool.submit(() -> {
                    RuleOutcome o = rules.evaluate(message().subject(n % 2 == 0 ? "Invoice " + n : "Hello " + n).build(), NOW);
                    return (n % 2 == 0) == (o.hits().size() == 1 && o.headersToAdd().size() == 1);
                }));
            }
            for (var f : futures) assertThat(f.get()).isTrue();
        } finally {
            pool.shutdownNow();
        }
    }
}
