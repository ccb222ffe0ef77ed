package org.postern.auth.dmarc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.postern.auth.dmarc.DmarcTesting.NEVER_DRAWN;
import static org.postern.auth.dmarc.DmarcTesting.dkimPass;
import static org.postern.auth.dmarc.DmarcTesting.from;
import static org.postern.auth.dmarc.DmarcTesting.spfPass;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.postern.auth.dmarc.AlignedIdentifier.Mechanism;
import org.postern.auth.dmarc.SpfIdentifier.Scope;
import org.postern.dns.DnsjavaResolver;
import org.postern.dns.InProcessDnsServer;
import org.xbill.DNS.Type;
/**
 * DMARC evaluation cases written from RFC 7489 (no public suite exists): identifier alignment (§3.1), policy
 * discovery (§6.6.3) and unusable records, with policy records served by an in-process DNS server and read through
 * the product's dnsjava resolver. Dispositions, sampling and failures are in {@link DmarcDispositionTest}.
 */
class DmarcEvaluatorTest {

    private final InProcessDnsServer dns = InProcessDnsServer.start();

    @AfterEach
    void stop() {
        dns.close();
    }

    private DmarcEvaluator evaluator(RandomGenerator random) {
        return new DmarcEvaluator(new DnsjavaResolver(List.of(dns.address()), Duration.ofMillis(300)),
                OrganizationalDomain.bundled(), random);
    }

    private DmarcResult evaluate(DmarcInput input) {
        return evaluator(NEVER_DRAWN).evaluate(input);
    }

    @Nested
    class Alignment {

        @Test
        void relaxedSpfAlignsASubdomainOfTheSameOrganization() {
            dns.addTxt("_dmarc.example.com", "v=DMARC1; p=reject");
            DmarcResult r = evaluate(from("example.com", spfPass("bounces.example.com")));
            assertThat(r.outcome()).isEqualTo(DmarcOutcome.PASS);
            assertThat(r.alignment().orElseThrow().aligned()).containsExactly(new AlignedIdentifier(
                    Mechanism.SPF, "bounces.example.com", AlignmentMode.RELAXED, Optional.empty()));
            assertThat(r.disposition()).isEqualTo(DmarcDisposition.NONE);
        }

        @Test
        void strictSpfNeedsTheExactFromDomain() {
            dns.addTxt("_dmarc.example.com", "v=DMARC1; p=reject; aspf=s");
            assertThat(evaluate(from("example.com", spfPass("bounces.example.com"))).outcome())
                    .isEqualTo(DmarcOutcome.FAIL);
            assertThat(evaluate(from("example.com", spfPass("EXAMPLE.com."))).outcome())
                    .isEqualTo(DmarcOutcome.PASS);
        }

        @Test
        void relaxedDkimAlignsAParentOrSiblingDomain() {
            dns.addTxt("_dmarc.example.com", "v=DMARC1; p=reject");
            dns.addTxt("_dmarc.news.example.com", "v=DMARC1; p=reject");
            assertThat(evaluate(from("example.com", Optional.empty(), dkimPass("mail.example.com"))).outcome())
                    .isEqualTo(DmarcOutcome.PASS);
            DmarcResult sibling = evaluate(from("news.example.com", Optional.empty(), dkimPass("mail.example.com")));
            assertThat(sibling.outcome()).isEqualTo(DmarcOutcome.PASS);
            assertThat(sibling.alignment().orElseThrow().aligned().getFirst().selector()).contains("sel");
        }

        @Test
        void strictDkimNeedsTheExactFromDomain() {
            dns.addTxt("_dmarc.example.com", "v=DMARC1; p=quarantine; adkim=s");
            DmarcResult sub = evaluate(from("example.com", Optional.empty(), dkimPass("mail.example.com")));
            assertThat(sub.outcome()).isEqualTo(DmarcOutcome.FAIL);
            assertThat(sub.disposition()).isEqualTo(DmarcDisposition.QUARANTINE);
            DmarcResult exact = evaluate(from("example.com", Optional.empty(), dkimPass("example.com")));
            assertThat(exact.outcome()).isEqualTo(DmarcOutcome.PASS);
            assertThat(exact.alignment().orElseThrow().aligned().getFirst().mode()).isEqualTo(AlignmentMode.STRICT);
        }

        @Test
        void strictDkimAndRelaxedSpfAreIndependent() {
            dns.addTxt("_dmarc.example.com", "v=DMARC1; p=reject; adkim=s; aspf=r");
            DmarcResult r = evaluate(from("example.com", spfPass("mx.example.com"), dkimPass("mail.example.com")));
            assertThat(r.outcome()).isEqualTo(DmarcOutcome.PASS);
            assertThat(r.alignment().orElseThrow().spfAligned()).isTrue();
            assertThat(r.alignment().orElseThrow().dkimAligned()).isFalse();
        }

        @Test
        void organizationBoundaryFollowsThePublicSuffixList() {
            // co.uk is a public suffix: example.co.uk and other.co.uk are different organizations.
            dns.addTxt("_dmarc.example.co.uk", "v=DMARC1; p=reject");
            assertThat(evaluate(from("example.co.uk", spfPass("other.co.uk"))).outcome())
                    .isEqualTo(DmarcOutcome.FAIL);
            assertThat(evaluate(from("example.co.uk", spfPass("mta.example.co.uk"))).outcome())
                    .isEqualTo(DmarcOutcome.PASS);
        }

        @Test
        void onlyPassingIdentifiersAlign() {
            dns.addTxt("_dmarc.example.com", "v=DMARC1; p=reject");
            DmarcResult r = evaluate(from("example.com",
                    Optional.of(new SpfIdentifier("example.com", Scope.MFROM, AuthOutcome.SOFTFAIL)),
                    new DkimIdentifier("example.com", "s1", AuthOutcome.FAIL),
                    new DkimIdentifier("example.com", "s2", AuthOutcome.TEMPERROR),
                    dkimPass("unrelated.example.net")));
            assertThat(r.outcome()).isEqualTo(DmarcOutcome.FAIL);
            assertThat(r.rejectRequested()).isTrue();
            assertThat(r.alignment().orElseThrow().aligned()).isEmpty();
        }

        @Test
        void anAlignedDkimPassIsEnoughWhenSpfFails() {
            dns.addTxt("_dmarc.example.com", "v=DMARC1; p=reject");
            DmarcResult r = evaluate(from("example.com",
                    Optional.of(new SpfIdentifier("example.com", Scope.MFROM, AuthOutcome.FAIL)),
                    dkimPass("example.com")));
            assertThat(r.outcome()).isEqualTo(DmarcOutcome.PASS);
            assertThat(r.alignment().orElseThrow().aligned()).extracting(AlignedIdentifier::mechanism)
                    .containsExactly(Mechanism.DKIM);
        }
    }

    @Nested
    class Discovery {

        @Test
        void subdomainWithoutItsOwnRecordGetsTheOrganizationsSubdomainPolicy() {
            dns.addTxt("_dmarc.example.com", "v=DMARC1; p=reject; sp=quarantine");
            DmarcResult r = evaluate(from("a.b.example.com", Optional.empty()));
            AppliedPolicy policy = r.policy().orElseThrow();
            assertThat(policy.policyDomain()).isEqualTo("example.com");
            assertThat(policy.atOrganizationalDomain()).isTrue();
            assertThat(policy.subdomainPolicy()).isTrue();
            assertThat(policy.requested()).isEqualTo(DmarcPolicy.QUARANTINE);
            assertThat(r.disposition()).isEqualTo(DmarcDisposition.QUARANTINE);
            assertThat(dns.queryCount("_dmarc.a.b.example.com", Type.TXT)).isEqualTo(1);
            assertThat(dns.queryCount("_dmarc.example.com", Type.TXT)).isEqualTo(1);
        }

        @Test
        void subdomainPolicyDefaultsToThePolicy() {
            dns.addTxt("_dmarc.example.com", "v=DMARC1; p=reject");
            DmarcResult r = evaluate(from("news.example.com", Optional.empty()));
            assertThat(r.policy().orElseThrow().requested()).isEqualTo(DmarcPolicy.REJECT);
            assertThat(r.rejectRequested()).isTrue();
        }

        @Test
        void organizationalDomainItselfGetsThePolicyNotTheSubdomainPolicy() {
            dns.addTxt("_dmarc.example.com", "v=DMARC1; p=none; sp=reject");
            DmarcResult r = evaluate(from("example.com", Optional.empty()));
            assertThat(r.policy().orElseThrow().requested()).isEqualTo(DmarcPolicy.NONE);
            assertThat(r.policy().orElseThrow().subdomainPolicy()).isFalse();
            assertThat(r.outcome()).isEqualTo(DmarcOutcome.FAIL);
            assertThat(r.disposition()).isEqualTo(DmarcDisposition.NONE);
        }

        @Test
        void recordAtTheFromDomainWinsOverTheOrganizationsAndAppliesItsOwnPolicy() {
            dns.addTxt("_dmarc.example.com", "v=DMARC1; p=reject; sp=reject");
            dns.addTxt("_dmarc.news.example.com", "v=DMARC1; p=quarantine; sp=none");
            DmarcResult r = evaluate(from("news.example.com", Optional.empty()));
            AppliedPolicy policy = r.policy().orElseThrow();
            assertThat(policy.policyDomain()).isEqualTo("news.example.com");
            assertThat(policy.atOrganizationalDomain()).isFalse();
            assertThat(policy.requested()).isEqualTo(DmarcPolicy.QUARANTINE);
            assertThat(dns.queryCount("_dmarc.example.com", Type.TXT)).isZero();
        }

        @Test
        void fallbackSkipsIntermediateNamesAndGoesStraightToTheOrganizationalDomain() {
            dns.addTxt("_dmarc.b.example.co.uk", "v=DMARC1; p=none");
            dns.addTxt("_dmarc.example.co.uk", "v=DMARC1; p=reject");
            DmarcResult r = evaluate(from("a.b.example.co.uk", Optional.empty()));
            assertThat(r.organizationalDomain()).contains("example.co.uk");
            assertThat(r.policy().orElseThrow().policyDomain()).isEqualTo("example.co.uk");
            assertThat(dns.queryCount("_dmarc.b.example.co.uk", Type.TXT)).isZero();
        }

        @Test
        void noRecordAnywhereIsNone() {
            DmarcResult r = evaluate(from("news.example.com", Optional.empty()));
            assertThat(r.outcome()).isEqualTo(DmarcOutcome.NONE);
            assertThat(r.policy()).isEmpty();
            assertThat(r.reportRow()).isEmpty();
            assertThat(dns.queries()).hasSize(2);
        }

        @Test
        void nonDmarcTxtRecordsAreDiscardedBeforeCounting() {
            dns.addTxt("_dmarc.example.com", "google-site-verification=abc");
            dns.addTxt("_dmarc.example.com", "v=DMARC1; p=reject");
            dns.addTxt("_dmarc.example.com", "p=none; v=DMARC1");
            assertThat(evaluate(from("example.com", Optional.empty())).rejectRequested()).isTrue();
        }

        @Test
        void onlyNonDmarcTxtAtTheFromDomainFallsBackToTheOrganization() {
            dns.addTxt("_dmarc.news.example.com", "v=spf1 -all");
            dns.addTxt("_dmarc.example.com", "v=DMARC1; p=reject");
            assertThat(evaluate(from("news.example.com", Optional.empty())).policy().orElseThrow().policyDomain())
                    .isEqualTo("example.com");
        }

        @Test
        void multipleRecordsMeanNoDmarcAndNoFallback() {
            dns.addTxt("_dmarc.news.example.com", "v=DMARC1; p=reject");
            dns.addTxt("_dmarc.news.example.com", "v=DMARC1; p=none");
            dns.addTxt("_dmarc.example.com", "v=DMARC1; p=reject");
            DmarcResult r = evaluate(from("news.example.com", Optional.empty()));
            assertThat(r.outcome()).isEqualTo(DmarcOutcome.NONE);
            assertThat(r.detail()).contains("2 DMARC records");
            assertThat(dns.queryCount("_dmarc.example.com", Type.TXT)).isZero();
        }

        @Test
        void recordSplitIntoSeveralStringsIsConcatenated() {
            dns.addTxt("_dmarc.example.com", "v=DMARC1; p=re", "ject; rua=mailto:d@example.com");
            assertThat(evaluate(from("example.com", Optional.empty())).rejectRequested()).isTrue();
        }

        @Test
        void internationalizedFromDomainIsQueriedAsALabels() {
            dns.addTxt("_dmarc.xn--bcher-kva.example", "v=DMARC1; p=reject");
            DmarcResult r = evaluate(from("Bücher.example", spfPass("xn--bcher-kva.example")));
            assertThat(r.outcome()).isEqualTo(DmarcOutcome.PASS);
            assertThat(r.headerFromDomain()).contains("xn--bcher-kva.example");
        }
    }

    @Nested
    class InvalidRecords {

        @Test
        void recordWithoutPolicyOrRuaIsPermerrorWithoutDisposition() {
            dns.addTxt("_dmarc.example.com", "v=DMARC1; p=bounce");
            DmarcResult r = evaluate(from("example.com", Optional.empty()));
            assertThat(r.outcome()).isEqualTo(DmarcOutcome.PERMERROR);
            assertThat(r.outcome().keyword()).isEqualTo("permerror");
            assertThat(r.disposition()).isEqualTo(DmarcDisposition.NONE);
            assertThat(r.detail()).contains("invalid p=bounce");
        }

        @Test
        void recordWithoutPolicyButWithRuaIsReadAsPolicyNone() {
            dns.addTxt("_dmarc.example.com", "v=DMARC1; rua=mailto:dmarc@example.com");
            DmarcResult r = evaluate(from("example.com", Optional.empty()));
            assertThat(r.outcome()).isEqualTo(DmarcOutcome.FAIL);
            assertThat(r.policy().orElseThrow().record().policyImpliedByRua()).isTrue();
            assertThat(r.disposition()).isEqualTo(DmarcDisposition.NONE);
            assertThat(r.reportRow()).isPresent();
        }

        @Test
        void unusableRecordAtTheFromDomainDoesNotFallBack() {
            dns.addTxt("_dmarc.news.example.com", "v=DMARC1; p=");
            dns.addTxt("_dmarc.example.com", "v=DMARC1; p=reject");
            assertThat(evaluate(from("news.example.com", Optional.empty())).outcome())
                    .isEqualTo(DmarcOutcome.PERMERROR);
            assertThat(dns.queryCount("_dmarc.example.com", Type.TXT)).isZero();
        }
    }
}
