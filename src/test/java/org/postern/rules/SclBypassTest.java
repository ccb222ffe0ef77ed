package org.postern.rules;

import org.junit.jupiter.api.Test;

import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.postern.rules.Rules.NOW;
import static org.postern.rules.Rules.message;

/** When the rules settle SCL −1 from envelope and headers, the classifier may be skipped. */
class SclBypassTest {

    private static RuleSubject beforeContent(RuleSubject.Builder b) {
        return b.body(() -> {
            throw new AssertionError("the body is not read to decide the bypass");
        }).build();
    }

    @Test
    void envelopeRuleSettingMinusOneAllowsTheBypassAndEvaluateAgrees() {
        RuleSet rules = Rules.compile("""
                - { name: trust-payroll, priority: 10, when: { sender-domain-is: [payroll.test], auth-result: { spf: pass } }, except: { subject-contains: ["[external]"] }, then: { set-scl: -1 } }
                - { name: tag, priority: 20, when: { body-contains: [invoice] }, then: { prepend-subject: "[INV] " } }
                """);
        RuleSubject.Builder payroll = message().sender("run@payroll.test").auth(new RuleSubject.AuthResults("pass", "none", "none"));
        var bypass = rules.envelopeOnlySclBypass(beforeContent(payroll), NOW);
        assertThat(bypass).isPresent();
        assertThat(bypass.get().describe()).isEqualTo("rule 'trust-payroll' set-scl -1 (sender-domain-is payroll.test, auth-result spf=pass)");
        RuleOutcome later = rules.evaluate(payroll.body(() -> "invoice attached").build(), NOW);
        assertThat(later.scl()).isEqualTo(OptionalInt.of(-1));

        assertThat(rules.envelopeOnlySclBypass(beforeContent(message().sender("run@payroll.test").subject("[External]")), NOW)).isEmpty();
        assertThat(rules.envelopeOnlySclBypass(beforeContent(message()), NOW)).isEmpty();
    }

    @Test
    void noBypassWhenARuleThatNeedsContentCouldChangeTheScl() {
        RuleSet earlierBody = Rules.compile("""
                - { name: body-spam, priority: 1, when: { body-contains: [viagra] }, then: { set-scl: 9 } }
                - { name: trust, priority: 2, when: { sender-domain-is: [payroll.test] }, then: { set-scl: -1 } }
                """);
        assertThat(earlierBody.envelopeOnlySclBypass(beforeContent(message().sender("a@payroll.test")), NOW))
                .as("harmless: the later -1 still wins").isPresent();

        RuleSet laterBody = Rules.compile("""
                - { name: trust, priority: 1, when: { sender-domain-is: [payroll.test] }, then: { set-scl: -1 } }
                - { name: body-spam, priority: 2, when: { body-contains: [viagra] }, then: { set-scl: 9 } }
                """);
        assertThat(laterBody.envelopeOnlySclBypass(beforeContent(message().sender("a@payroll.test")), NOW)).isEmpty();

        RuleSet sclDependent = Rules.compile("""
                - { name: high, priority: 1, when: { scl-at-least: 7 }, then: { stop: true } }
                - { name: trust, priority: 2, when: { sender-domain-is: [payroll.test] }, then: { set-scl: -1 } }
                """);
        assertThat(sclDependent.envelopeOnlySclBypass(beforeContent(message().sender("a@payroll.test")), NOW)).isEmpty();
    }

    @Test
    void anUndecidedStopIsHarmlessOnlyWhileMinusOneStands() {
        RuleSet stopAfterTrust = Rules.compile("""
                - { name: trust, priority: 1, when: { sender-domain-is: [payroll.test] }, then: { set-scl: -1 } }
                - { name: body-stop, priority: 2, when: { body-contains: [final notice] }, then: { prepend-subject: "[!] ", stop: true } }
                - { name: body-reject, priority: 3, when: { body-contains: [bitcoin] }, then: { reject: "No" } }
                """);
        assertThat(stopAfterTrust.envelopeOnlySclBypass(beforeContent(message().sender("a@payroll.test")), NOW)).isPresent();

        RuleSet stopBeforeTrust = Rules.compile("""
                - { name: body-stop, priority: 1, when: { body-contains: [final notice] }, then: { stop: true } }
                - { name: trust, priority: 2, when: { sender-domain-is: [payroll.test] }, then: { set-scl: -1 } }
                """);
        assertThat(stopBeforeTrust.envelopeOnlySclBypass(beforeContent(message().sender("a@payroll.test")), NOW))
                .as("if it stops, the classifier's SCL stands").isEmpty();

        RuleSet sclAfterTrust = Rules.compile("""
                - { name: trust, priority: 1, when: { sender-domain-is: [payroll.test] }, then: { set-scl: -1 } }
                - { name: high-after, priority: 2, when: { scl-at-least: 5 }, then: { quarantine: true } }
                """);
        assertThat(sclAfterTrust.envelopeOnlySclBypass(beforeContent(message().sender("a@payroll.test")), NOW))
                .as("after the -1, scl-at-least reads the rule's SCL, not the classifier's").isPresent();
    }

    @Test
    void aLaterEnvelopeRuleOverridingTheSclCancelsTheBypass() {
        RuleSet rules = Rules.compile("""
                - { name: trust, priority: 1, when: { sender-domain-is: [payroll.test] }, then: { set-scl: -1 } }
                - { name: distrust-ip, priority: 2, when: { sender-ip-in: [192.0.2.0/24] }, then: { set-scl: 6 } }
                """);
        assertThat(rules.envelopeOnlySclBypass(beforeContent(message().sender("a@payroll.test")), NOW)).isEmpty();
        assertThat(rules.envelopeOnlySclBypass(beforeContent(message().sender("a@payroll.test").senderIp(Rules.ip("198.51.100.1"))), NOW)).isPresent();
    }

    @Test
    void auditAndInactiveRulesNeverBypass() {
        RuleSet rules = Rules.compile("""
                - { name: audit-trust, priority: 1, mode: audit, when: { sender-domain-is: [payroll.test] }, then: { set-scl: -1 } }
                - { name: expired, priority: 2, active-until: 2020-01-01T00:00:00Z, when: { sender-domain-is: [payroll.test] }, then: { set-scl: -1 } }
                """);
        assertThat(rules.envelopeOnlySclBypass(beforeContent(message().sender("a@payroll.test")), NOW)).isEmpty();
    }

    @Test
    void headerRulesCount() {
        RuleSet rules = Rules.compile("""
                - { name: trusted-list, priority: 1, when: { header-matches: { List-Id: "<payroll\\\\.lists\\\\.example\\\\.org>" }, auth-result: { dmarc: pass } }, then: { set-scl: -1 } }
                """);
        RuleSubject s = beforeContent(message().header("List-Id", "Payroll <payroll.lists.example.org>").auth(new RuleSubject.AuthResults("none", "pass", "pass")));
        assertThat(rules.envelopeOnlySclBypass(s, NOW)).isPresent();
    }
}
