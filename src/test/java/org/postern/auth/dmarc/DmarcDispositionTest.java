package org.postern.auth.dmarc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.postern.auth.dmarc.DmarcTesting.NEVER_DRAWN;
import static org.postern.auth.dmarc.DmarcTesting.draws;
import static org.postern.auth.dmarc.DmarcTesting.from;
import static org.postern.auth.dmarc.DmarcTesting.spfPass;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.postern.auth.dmarc.SpfIdentifier.Scope;
import org.postern.dns.DnsjavaResolver;
import org.postern.dns.InProcessDnsServer;
import org.xbill.DNS.Type;
/**
 * RFC 7489 cases about what DMARC asks for: {@code pct} sampling (§6.6.4), From-field edge cases (§6.6.1), DNS
 * failures, and the aggregate-report row (§7.2), over an in-process DNS server and the product's resolver.
 */
class DmarcDispositionTest {

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
    class Percentage {

        @Test
        void pctHundredAlwaysAppliesWithoutSampling() {
            dns.addTxt("_dmarc.example.com", "v=DMARC1; p=reject; pct=100");
            DmarcResult r = evaluator(NEVER_DRAWN).evaluate(from("example.com", Optional.empty()));
            assertThat(r.disposition()).isEqualTo(DmarcDisposition.REJECT);
            assertThat(r.overrides()).isEmpty();
        }

        @Test
        void pctZeroTreatsRejectAsQuarantine() {
            dns.addTxt("_dmarc.example.com", "v=DMARC1; p=reject; pct=0");
            DmarcResult r = evaluator(NEVER_DRAWN).evaluate(from("example.com", Optional.empty()));
            assertThat(r.outcome()).isEqualTo(DmarcOutcome.FAIL);
            assertThat(r.policy().orElseThrow().requested()).isEqualTo(DmarcPolicy.REJECT);
            assertThat(r.disposition()).isEqualTo(DmarcDisposition.QUARANTINE);
            assertThat(r.overrides()).extracting(PolicyOverride::type)
                    .containsExactly(PolicyOverride.Type.SAMPLED_OUT);
        }

        @Test
        void pctZeroTreatsQuarantineAsNone() {
            dns.addTxt("_dmarc.example.com", "v=DMARC1; p=quarantine; pct=0");
            DmarcResult r = evaluator(NEVER_DRAWN).evaluate(from("example.com", Optional.empty()));
            assertThat(r.disposition()).isEqualTo(DmarcDisposition.NONE);
            assertThat(r.quarantineRequested()).isFalse();
        }

        @Test
        void pctFiftyAppliesToDrawsBelowFifty() {
            dns.addTxt("_dmarc.example.com", "v=DMARC1; p=reject; pct=50");
            DmarcResult in = evaluator(draws(49)).evaluate(from("example.com", Optional.empty()));
            assertThat(in.disposition()).isEqualTo(DmarcDisposition.REJECT);
            DmarcResult out = evaluator(draws(50)).evaluate(from("example.com", Optional.empty()));
            assertThat(out.disposition()).isEqualTo(DmarcDisposition.QUARANTINE);
            assertThat(out.reportRow().orElseThrow().overrides()).extracting(PolicyOverride::type)
                    .containsExactly(PolicyOverride.Type.SAMPLED_OUT);
        }

        @Test
        void passingMessagesAndPolicyNoneAreNeverSampled() {
            dns.addTxt("_dmarc.example.com", "v=DMARC1; p=reject; pct=50");
            dns.addTxt("_dmarc.example.net", "v=DMARC1; p=none; pct=50");
            assertThat(evaluator(NEVER_DRAWN).evaluate(from("example.com", spfPass("example.com"))).outcome())
                    .isEqualTo(DmarcOutcome.PASS);
            assertThat(evaluator(NEVER_DRAWN).evaluate(from("example.net", Optional.empty())).disposition())
                    .isEqualTo(DmarcDisposition.NONE);
        }
    }

    @Nested
    class FromField {

        @Test
        void missingFromIsPermerrorWithoutAnyLookup() {
            DmarcResult r = evaluate(new DmarcInput(List.of(), spfPass("example.com"), List.of(), Optional.empty()));
            assertThat(r.outcome()).isEqualTo(DmarcOutcome.PERMERROR);
            assertThat(r.headerFromDomain()).isEmpty();
            assertThat(dns.queryCount()).isZero();
        }

        @Test
        void mailboxesInSeveralDomainsArePermerror() {
            dns.addTxt("_dmarc.example.com", "v=DMARC1; p=none");
            DmarcResult r = evaluate(new DmarcInput(List.of("example.com", "example.net"), spfPass("example.com"),
                    List.of(), Optional.empty()));
            assertThat(r.outcome()).isEqualTo(DmarcOutcome.PERMERROR);
            assertThat(r.detail()).contains("several domains");
            assertThat(dns.queryCount()).isZero();
        }

        @Test
        void severalMailboxesInOneDomainAreEvaluatedAsThatDomain() {
            dns.addTxt("_dmarc.example.com", "v=DMARC1; p=reject");
            DmarcResult r = evaluate(new DmarcInput(List.of("example.com", "Example.COM"), spfPass("example.com"),
                    List.of(), Optional.empty()));
            assertThat(r.outcome()).isEqualTo(DmarcOutcome.PASS);
        }
    }

    @Nested
    class DnsFailures {

        @Test
        void servfailAtTheFromDomainIsTemperror() {
            dns.servfail("_dmarc.example.com");
            DmarcResult r = evaluate(from("example.com", Optional.empty()));
            assertThat(r.outcome()).isEqualTo(DmarcOutcome.TEMPERROR);
            assertThat(r.disposition()).isEqualTo(DmarcDisposition.NONE);
            assertThat(r.detail()).contains("_dmarc.example.com");
        }

        @Test
        void timeoutAtTheOrganizationalDomainIsTemperror() {
            dns.timeout("_dmarc.example.com");
            DmarcResult r = evaluate(from("news.example.com", Optional.empty()));
            assertThat(r.outcome()).isEqualTo(DmarcOutcome.TEMPERROR);
        }

        @Test
        void temporaryFailureAtTheFromDomainDoesNotFallBack() {
            dns.servfail("_dmarc.news.example.com");
            dns.addTxt("_dmarc.example.com", "v=DMARC1; p=none");
            assertThat(evaluate(from("news.example.com", Optional.empty())).outcome())
                    .isEqualTo(DmarcOutcome.TEMPERROR);
            assertThat(dns.queryCount("_dmarc.example.com", Type.TXT)).isZero();
        }
    }

    @Nested
    class Reporting {

        @Test
        void reportRowCarriesWhatTheAggregateReportNeeds() throws Exception {
            dns.addTxt("_dmarc.example.com", "v=DMARC1; p=reject; sp=quarantine; adkim=s; pct=100; fo=1;"
                    + " rua=mailto:agg@example.com");
            InetAddress client = InetAddress.getByName("192.0.2.7");
            SpfIdentifier spf = new SpfIdentifier("bounce.example.com", Scope.MFROM, AuthOutcome.PASS);
            DkimIdentifier dkim = new DkimIdentifier("example.net", "s1", AuthOutcome.PASS);
            DmarcResult r = evaluator(NEVER_DRAWN).evaluate(
                    DmarcInput.of("news.example.com", Optional.of(spf), List.of(dkim), Optional.of(client)));
            DmarcReportRow row = r.reportRow().orElseThrow();
            assertThat(row.sourceIp()).contains(client);
            assertThat(row.headerFrom()).isEqualTo("news.example.com");
            assertThat(row.policyDomain()).isEqualTo("example.com");
            assertThat(row.policyPublished()).isEqualTo(new DmarcReportRow.PolicyPublished("example.com",
                    AlignmentMode.STRICT, AlignmentMode.RELAXED, DmarcPolicy.REJECT, DmarcPolicy.QUARANTINE, 100,
                    java.util.Set.of(FailureOption.ANY_FAIL)));
            assertThat(row.disposition()).isEqualTo(DmarcDisposition.NONE);
            assertThat(row.spfAligned()).isTrue();
            assertThat(row.dkimAligned()).isFalse();
            assertThat(row.dkim()).containsExactly(dkim);
            assertThat(row.spf()).contains(spf);
        }

        @Test
        void trustedForwarderOverrideLowersTheDispositionButKeepsTheFailure() {
            dns.addTxt("_dmarc.example.com", "v=DMARC1; p=reject");
            DmarcResult failed = evaluate(from("example.com", Optional.empty()));
            DmarcResult rescued = failed.withOverride(new PolicyOverride(PolicyOverride.Type.TRUSTED_FORWARDER,
                    "arc=pass sealed by lists.example.org"));
            assertThat(rescued.outcome()).isEqualTo(DmarcOutcome.FAIL);
            assertThat(rescued.disposition()).isEqualTo(DmarcDisposition.NONE);
            assertThat(rescued.rejectRequested()).isFalse();
            assertThat(rescued.policy().orElseThrow().requested()).isEqualTo(DmarcPolicy.REJECT);
            assertThat(rescued.reportRow().orElseThrow().overrides()).extracting(PolicyOverride::type)
                    .containsExactly(PolicyOverride.Type.TRUSTED_FORWARDER);
            assertThat(rescued.detail()).contains("trusted_forwarder");
        }
    }
}
