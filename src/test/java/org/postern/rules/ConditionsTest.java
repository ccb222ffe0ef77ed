package org.postern.rules;

import org.junit.jupiter.api.Test;
import org.postern.rules.RuleSubject.AuthResults;
import org.postern.rules.RuleSubject.Direction;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.postern.rules.Rules.NOW;
import static org.postern.rules.Rules.matches;
import static org.postern.rules.Rules.message;
import static org.postern.rules.Rules.when;

/** Each condition of INTERFACES §3: when it holds, when not, and what the hit says matched. */
class ConditionsTest {

    private static List<Match> why(RuleSet rules, RuleSubject subject) {
        return rules.evaluate(subject, NOW).hits().get(0).why();
    }

    @Test
    void senderIsComparesTheEnvelopeSenderCaseInsensitively() {
        RuleSet rules = when("{ sender-is: [Payroll@Payroll.TEST, other@x.test] }");
        assertThat(matches(rules, message().sender("payroll@payroll.test").build())).isTrue();
        assertThat(matches(rules, message().sender("PAYROLL@payroll.test").build())).isTrue();
        assertThat(matches(rules, message().sender("payroll@evil.test").build())).isFalse();
        assertThat(matches(rules, message().sender("").build())).isFalse();
        assertThat(why(rules, message().sender("payroll@payroll.test").build()))
                .containsExactly(new Match("sender-is", "payroll@payroll.test"));
    }

    @Test
    void senderDomainIsMatchesTheDomainAndItsSubdomains() {
        RuleSet rules = when("{ sender-domain-is: [Payroll.test] }");
        assertThat(matches(rules, message().sender("a@payroll.test").build())).isTrue();
        assertThat(matches(rules, message().sender("a@mail.PAYROLL.test").build())).isTrue();
        assertThat(matches(rules, message().sender("a@notpayroll.test").build())).isFalse();
        assertThat(matches(rules, message().sender("a@payroll.test.evil").build())).isFalse();
        assertThat(why(rules, message().sender("a@eu.payroll.test").build())).containsExactly(new Match("sender-domain-is", "payroll.test"));
    }

    @Test
    void internationalDomainsCompareAsALabels() {
        RuleSet rules = when("{ sender-domain-is: [bücher.test] }");
        assertThat(matches(rules, message().sender("info@xn--bcher-kva.test").build())).isTrue();
        assertThat(matches(rules, message().sender("info@BÜCHER.test").build())).isTrue();
    }

    @Test
    void recipientConditionsMatchWhenAnyRecipientMatches() {
        RuleSet byAddress = when("{ recipient-is: [ceo@contoso.test] }");
        assertThat(matches(byAddress, message().recipient("CEO@contoso.test").build())).isTrue();
        assertThat(matches(byAddress, message().build())).isFalse();
        RuleSet byDomain = when("{ recipient-domain-is: [contoso-corp.test] }");
        assertThat(matches(byDomain, message().recipient("bob@sales.contoso-corp.test").build())).isTrue();
        assertThat(matches(byDomain, message().build())).isFalse();
    }

    @Test
    void senderIpInMatchesIpv4AndIpv6Networks() {
        RuleSet rules = when("{ sender-ip-in: [192.0.2.0/25, \"2001:db8::/32\", 198.51.100.7] }");
        assertThat(matches(rules, message().senderIp(Rules.ip("192.0.2.10")).build())).isTrue();
        assertThat(matches(rules, message().senderIp(Rules.ip("192.0.2.200")).build())).isFalse();
        assertThat(matches(rules, message().senderIp(Rules.ip("2001:db8:1::5")).build())).isTrue();
        assertThat(matches(rules, message().senderIp(Rules.ip("198.51.100.7")).build())).isTrue();
        assertThat(matches(rules, message().senderIp(Rules.ip("198.51.100.8")).build())).isFalse();
        assertThat(matches(rules, RuleSubject.builder(Direction.INBOUND).build())).isFalse();
        assertThat(why(rules, message().build())).containsExactly(new Match("sender-ip-in", "192.0.2.0/25"));
    }

    @Test
    void subjectConditionsSeeTheDecodedSubject() {
        RuleSet contains = when("{ subject-contains: [grüße, \"[external]\"] }");
        assertThat(matches(contains, message().subject("=?UTF-8?Q?Gr=C3=BC=C3=9Fe?= aus Berlin").build())).isTrue();
        assertThat(matches(contains, message().subject("=?ISO-8859-1?B?R1L830U=?=").build())).isTrue(); // "GRüßE"
        assertThat(matches(contains, message().subject("Re: [EXTERNAL] hello").build())).isTrue();
        assertThat(matches(contains, message().subject("Hello").build())).isFalse();

        RuleSet regex = when("{ subject-matches: \"^invoice\\\\s+\\\\d{4}$\" }");
        assertThat(matches(regex, message().subject("=?UTF-8?B?SW52b2ljZSAyMDI2?=").build())).isTrue(); // "Invoice 2026"
        assertThat(matches(regex, message().subject("Invoice 2026 (copy)").build())).isFalse();
    }

    @Test
    void subjectIsUnfoldedBeforeMatching() {
        RuleSet rules = when("{ subject-contains: [\"urgent wire\"] }");
        assertThat(matches(rules, message().subject("Urgent\r\n wire transfer").build())).isTrue();
    }

    @Test
    void subjectComesFromTheHeadersWhenNotGivenApart() {
        RuleSubject s = RuleSubject.builder(Direction.INBOUND).header("Subject", "=?UTF-8?Q?Rechnung?=").build();
        assertThat(matches(when("{ subject-contains: [rechnung] }"), s)).isTrue();
    }

    @Test
    void headerConditionsSeeEveryValueOfTheNamedFieldDecoded() {
        RuleSet contains = when("{ header-contains: { x-mailer: [BulkMailer] } }");
        RuleSubject s = message().header("X-Mailer", "Outlook").header("X-MAILER", "=?UTF-8?Q?bulkmailer_5?=").build();
        assertThat(matches(contains, s)).isTrue();
        assertThat(why(contains, s)).containsExactly(new Match("header-contains x-mailer", "bulkmailer"));
        assertThat(matches(contains, message().header("X-Other", "bulkmailer").build())).isFalse();

        RuleSet regex = when("{ header-matches: { List-Id: \"<[a-z]+\\\\.news\\\\.example\\\\.org>\" } }");
        assertThat(matches(regex, message().header("List-Id", "Weekly <weekly.news.example.org>").build())).isTrue();
        assertThat(matches(regex, message().header("List-Id", "<weekly.example.org>").build())).isFalse();
    }

    @Test
    void eachHeaderNamedIsAConditionOfItsOwn() {
        RuleSet rules = when("{ header-contains: { X-A: [one], X-B: [two] } }");
        assertThat(matches(rules, message().header("X-A", "one").header("X-B", "two").build())).isTrue();
        assertThat(matches(rules, message().header("X-A", "one").build())).isFalse();
    }

    @Test
    void bodyIsReadOnlyWhenABodyConditionIsReached() {
        int[] reads = {0};
        RuleSubject s = message().body(() -> {
            reads[0]++;
            return "Please make the WIRE TRANSFER today.";
        }).build();
        RuleSet scopedAway = when("{ sender-domain-is: [other.test], body-contains: [wire transfer] }");
        assertThat(matches(scopedAway, s)).isFalse();
        assertThat(reads[0]).isZero();
        RuleSet reached = Rules.compile("""
                - { name: a, priority: 1, when: { body-contains: [wire transfer] }, then: { set-scl: 9 } }
                - { name: b, priority: 2, when: { body-contains: [gift card] }, then: { set-scl: 9 } }
                """);
        assertThat(reached.evaluate(s, NOW).hits()).extracting(RuleHit::rule).containsExactly("a");
        assertThat(reads[0]).as("read once per evaluation").isEqualTo(1);
    }

    @Test
    void attachmentConditions() {
        RuleSubject s = message().attachment("Invoice.PDF.exe", "application/octet-stream").attachment("photo.jpg", "image/jpeg; name=photo.jpg").build();
        assertThat(matches(when("{ attachment-name-matches: [\"\\\\.(exe|scr)$\"] }"), s)).isTrue();
        assertThat(matches(when("{ attachment-name-matches: [\"\\\\.zip$\"] }"), s)).isFalse();
        assertThat(matches(when("{ attachment-type-is: [exe] }"), s)).isTrue();
        assertThat(matches(when("{ attachment-type-is: [pdf] }"), s)).isFalse();
        assertThat(matches(when("{ attachment-type-is: [image/jpeg] }"), s)).isTrue();
        assertThat(matches(when("{ attachment-type-is: [\"image/*\"] }"), s)).isTrue();
        assertThat(matches(when("{ attachment-type-is: [\"video/*\"] }"), s)).isFalse();
        assertThat(matches(when("{ attachment-type-is: [exe] }"), message().build())).isFalse();
    }

    @Test
    void sizeOverAcceptsUnits() {
        RuleSet rules = when("{ size-over: 10MB }");
        assertThat(matches(rules, message().size(10L * 1024 * 1024 + 1).build())).isTrue();
        assertThat(matches(rules, message().size(10L * 1024 * 1024).build())).isFalse();
        assertThat(matches(when("{ size-over: 2000 }"), message().size(2001).build())).isTrue();
        assertThat(why(rules, message().size(20_000_000).build())).containsExactly(new Match("size-over", "10MB"));
    }

    @Test
    void sclAtLeastNeedsAKnownScl() {
        RuleSet rules = when("{ scl-at-least: 5 }");
        assertThat(matches(rules, message().scl(5).build())).isTrue();
        assertThat(matches(rules, message().scl(4).build())).isFalse();
        assertThat(matches(rules, message().build())).isFalse();
    }

    @Test
    void authResultComparesResultWords() {
        RuleSet rules = when("{ auth-result: { dmarc: fail, spf: [fail, softfail] } }");
        assertThat(matches(rules, message().auth(new AuthResults("softfail", "none", "fail")).build())).isTrue();
        assertThat(matches(rules, message().auth(new AuthResults("pass", "none", "fail")).build())).isFalse();
        assertThat(matches(rules, message().auth(new AuthResults("FAIL", "none", "pass")).build())).isFalse();
        assertThat(why(rules, message().auth(new AuthResults("fail", "none", "fail")).build()))
                .containsExactly(new Match("auth-result", "dmarc=fail"), new Match("auth-result", "spf=fail"));
    }

    @Test
    void connectorAndDirection() {
        RuleSet connector = when("{ connector-is: [partner-fabrikam] }");
        assertThat(matches(connector, message().connector("partner-fabrikam").build())).isTrue();
        assertThat(matches(connector, message().connector("other").build())).isFalse();
        assertThat(matches(connector, message().build())).isFalse();
        RuleSet outbound = when("{ direction: outbound }");
        assertThat(matches(outbound, RuleSubject.builder(Direction.OUTBOUND).build())).isTrue();
        assertThat(matches(outbound, message().build())).isFalse();
    }

    @Test
    void allWhenConditionsMustHoldAndTheHitListsEachInTheOrderWritten() {
        RuleSet rules = when("{ subject-matches: \"hello\", sender-domain-is: [example.org], direction: inbound }");
        assertThat(why(rules, message().build())).containsExactly(new Match("subject-matches", "hello"),
                new Match("sender-domain-is", "example.org"), new Match("direction", "inbound"));
        assertThat(matches(rules, message().sender("x@other.test").build())).isFalse();
    }

    @Test
    void aRuleWithoutConditionsMatchesEveryMessage() {
        RuleSet rules = Rules.compile("- { name: tag-all, priority: 1, then: { add-header: { X-Scanned: \"yes\" } } }");
        RuleOutcome outcome = rules.evaluate(message().build(), NOW);
        assertThat(outcome.trace()).containsExactly("rule 'tag-all' add-header X-Scanned: yes (every message)");
    }

    @Test
    void matchedTextsAreCapped() {
        RuleSet rules = when("{ subject-contains: [needle] }");
        String longSubject = "x".repeat(MessageView.MAX_HEADER_TEXT) + "needle";
        assertThat(matches(rules, message().subject(longSubject).build())).isFalse();
        assertThat(matches(rules, message().subject("x".repeat(MessageView.MAX_HEADER_TEXT - 6) + "needle").build())).isTrue();
        RuleSet body = when("{ body-contains: [needle] }");
        assertThat(matches(body, message().body(() -> "x".repeat(MessageView.MAX_BODY_TEXT) + "needle").build())).isFalse();
    }

    @Test
    void containsIsLinearEvenForSelfOverlappingTexts() {
        String needle = "a".repeat(255) + "b";
        RuleSet rules = when("{ body-contains: [\"" + needle + "\"] }");
        RuleSubject s = message().body(() -> "a".repeat(MessageView.MAX_BODY_TEXT)).build();
        rules.evaluate(s, NOW);
        long start = System.nanoTime();
        assertThat(matches(rules, s)).isFalse();
        assertThat((System.nanoTime() - start) / 1_000_000).as("ms").isLessThan(500);
        assertThat(new Needle("abab").foundIn("aabaabababx")).isTrue();
        assertThat(new Needle("aab").foundIn("aaaaaaab")).isTrue();
        assertThat(new Needle("aab").foundIn("abaabaa")).isTrue();
        assertThat(new Needle("aabx").foundIn("aabaabaab")).isFalse();
    }
}
