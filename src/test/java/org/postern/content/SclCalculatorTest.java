package org.postern.content;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SclCalculatorTest {

    private static final SclCalculator SCL = SclCalculator.standard();
    private static final MessageView PLAIN = SampleMail.view("""
            From: Alice <alice@fabrikam.test>
            Subject: hello
            Date: Mon, 3 Feb 2025 10:00:00 +0100
            Message-ID: <1@fabrikam.test>

            hello
            """);

    private static ContentVerdict p(double probability) {
        return new ContentVerdict(probability, List.of());
    }

    @Test
    void theClassifierAloneSpansNotSpamToHighConfidenceButNeverCertain() {
        assertThat(SCL.calculate(p(0.001), PLAIN, SclInputs.none()).scl()).isZero();
        assertThat(SCL.calculate(p(0.5), PLAIN, SclInputs.none()).scl()).isBetween(2, 4);
        assertThat(SCL.calculate(p(0.95), PLAIN, SclInputs.none()).scl()).isBetween(5, 6);
        assertThat(SCL.calculate(p(1.0), PLAIN, SclInputs.none()).scl()).isEqualTo(8);
    }

    @Test
    void aConfidentClassifierAndAFailedDmarcAreCertain() {
        SclResult r = SCL.calculate(p(1.0), PLAIN, SclInputs.builder().dmarc(AuthResult.FAIL).build());
        assertThat(r.scl()).isEqualTo(9);
        assertThat(r.reasonIds()).containsExactly("classifier.score", "auth.dmarc-fail");
    }

    @Test
    void trustedMailIsMinusOneWhateverItSays() {
        SclResult r = SCL.calculate(p(1.0), PLAIN, SclInputs.builder().trusted(true).dmarc(AuthResult.FAIL).build());
        assertThat(r.scl()).isEqualTo(-1);
        assertThat(r.reasonIds()).containsExactly("policy.trusted");
    }

    @Test
    void blocklistWeightGrowsWithTheScore() {
        double one = SCL.calculate(p(0.5), PLAIN, SclInputs.builder().blocklistScore(5).build()).score();
        double two = SCL.calculate(p(0.5), PLAIN, SclInputs.builder().blocklistScore(10).build()).score();
        assertThat(two).isGreaterThan(one).isGreaterThan(0);
    }

    @Test
    void alignedAuthenticationWeighsTowardsHam() {
        SclResult r = SCL.calculate(p(0.5), PLAIN, SclInputs.builder().dmarc(AuthResult.PASS).spf(AuthResult.PASS).build());
        assertThat(r.score()).isNegative();
        assertThat(r.reasonIds()).contains("auth.aligned-pass");
    }

    /** Forwarded mail fails SPF; an aligned DKIM pass still vouches for the From domain, so the failure is no sign. */
    @Test
    void anSpfFailureCountsOnlyWhereNoAlignedPassAuthenticatesTheFromDomain() {
        SclResult forwarded = SCL.calculate(p(0.5), PLAIN, SclInputs.builder().spf(AuthResult.FAIL).dkim(AuthResult.PASS).dmarc(AuthResult.PASS).build());
        assertThat(forwarded.reasonIds()).contains("auth.aligned-pass").doesNotContain("auth.spf-fail");
        assertThat(forwarded.score()).isNegative();
        SclResult unaligned = SCL.calculate(p(0.5), PLAIN, SclInputs.builder().spf(AuthResult.FAIL).dkim(AuthResult.PASS).build());
        assertThat(unaligned.reasonIds()).contains("auth.spf-fail");
        SclResult soft = SCL.calculate(p(0.5), PLAIN, SclInputs.builder().spf(AuthResult.SOFTFAIL).build());
        assertThat(soft.reasonIds()).contains("auth.spf-softfail");
    }

    @Test
    void heloChecksUseTheSessionFacts() throws Exception {
        SclInputs literal = SclInputs.builder().helo("[192.0.2.1]").clientIp(InetAddress.getByName("198.51.100.7")).build();
        assertThat(SCL.calculate(p(0.5), PLAIN, literal).reasonIds()).contains("header.helo-ip-mismatch");
        SclInputs honest = SclInputs.builder().helo("[198.51.100.7]").clientIp(InetAddress.getByName("198.51.100.7")).build();
        assertThat(SCL.calculate(p(0.5), PLAIN, honest).reasonIds()).containsExactly("classifier.score");
        SclInputs bare = SclInputs.builder().helo("localhost").build();
        assertThat(SCL.calculate(p(0.5), PLAIN, bare).reasonIds()).contains("header.helo-not-fqdn");
        SclInputs ptr = SclInputs.builder().helo("mail.fabrikam.test").clientName("host7.cheap-hosting.example").build();
        assertThat(SCL.calculate(p(0.5), PLAIN, ptr).reasonIds()).contains("header.helo-ptr-mismatch");
    }

    @Test
    void datesAreCheckedAgainstTheReceptionTime() {
        SclInputs later = SclInputs.builder().receivedAt(Instant.parse("2025-06-01T00:00:00Z")).build();
        assertThat(SCL.calculate(p(0.5), PLAIN, later).reasonIds()).contains("header.date-long-ago");
        SclInputs earlier = SclInputs.builder().receivedAt(Instant.parse("2025-01-01T00:00:00Z")).build();
        assertThat(SCL.calculate(p(0.5), PLAIN, earlier).reasonIds()).contains("header.date-in-future");
        SclInputs same = SclInputs.builder().receivedAt(Instant.parse("2025-02-03T09:05:00Z")).build();
        assertThat(SCL.calculate(p(0.5), PLAIN, same).reasonIds()).containsExactly("classifier.score");
    }

    @Test
    void displayNameOfATenantUserFromOutsideIsPhishing() {
        MessageView v = SampleMail.view("From: \"Bob Boss\" <bob.boss@freemail.example>\nSubject: x\n\nx\n");
        SclInputs in = SclInputs.builder().tenantDomains(Set.of("contoso.test")).tenantUserNames(Set.of("Bob Boss")).build();
        assertThat(SCL.calculate(p(0.5), v, in).reasonIds()).contains("phish.display-name");
        MessageView inside = SampleMail.view("From: \"Bob Boss\" <bob@contoso.test>\nSubject: x\n\nx\n");
        assertThat(SCL.calculate(p(0.5), inside, in).reasonIds()).doesNotContain("phish.display-name");
    }

    @Test
    void bulkCountsOnlyAtTheTenantsThreshold() {
        MessageView list = SampleMail.view("""
                From: list@lists.example
                Subject: digest
                Date: Mon, 3 Feb 2025 10:00:00 +0100
                Message-ID: <d@lists.example>
                List-Unsubscribe: <mailto:leave@lists.example>
                Precedence: bulk

                To unsubscribe, write to leave@lists.example.
                """);
        SclResult r = SCL.calculate(p(0.5), list, SclInputs.none());
        assertThat(r.bcl()).isEqualTo(4);
        assertThat(r.reasonIds()).doesNotContain("bulk.level");
        assertThat(SCL.calculate(p(0.5), list, SclInputs.builder().bulkThreshold(4).build()).reasonIds()).contains("bulk.level");
    }

    @Test
    void weightsMustNameEveryReasonAndNothingElse() {
        Properties p = new Properties();
        p.setProperty("classifier.limit", "10");
        for (int i = 1; i <= 9; i++) p.setProperty("scl." + i, String.valueOf(i));
        assertThatThrownBy(() -> SclWeights.parse(p)).hasMessageContaining("no weight for");
        for (ContentReasonCode c : ContentReasonCode.values()) p.setProperty(c.id(), "1");
        p.remove("classifier.score");
        p.remove("policy.trusted");
        assertThat(SclWeights.parse(p).sclFor(4.5)).isEqualTo(4);
        p.setProperty("header.no-such-thing", "1");
        assertThatThrownBy(() -> SclWeights.parse(p)).hasMessageContaining("unknown reason header.no-such-thing");
    }

    /**
     * A file with only a Subject and text (as Enron-Spam and some exports keep mail) lost its Date, Message-ID and From
     * when it was stored: {@code classify} names those signs but does not count them, nor the header's missing end.
     * The same message received in a session, or a stored copy that kept a From or a Received line, is held to them.
     */
    @Test
    void aCopyKeptWithoutItsHeaderBlockIsNotHeldToTheFieldsItLost() {
        MessageView copy = SampleMail.view("Subject: weekly notes\nthe figures are in the shared folder\n\nbye\n");
        SclResult stored = SCL.calculate(p(0.5), copy, SclInputs.none());
        assertThat(stored.reasonIds()).contains("header.missing-date", "header.missing-message-id", "header.missing-from",
                "mime.malformed");
        assertThat(stored.reasons()).filteredOn(r -> !r.code().equals(ContentReasonCode.CLASSIFIER))
                .allSatisfy(r -> {
                    assertThat(r.weight()).isZero();
                    assertThat(r.detail()).contains("not counted: a copy kept without its header block");
                });

        SclResult received = SCL.calculate(p(0.5), copy, SclInputs.builder().receivedAt(Instant.parse("2026-11-29T10:00:00Z")).build());
        assertThat(received.reasons()).filteredOn(r -> !r.code().equals(ContentReasonCode.CLASSIFIER))
                .extracting(ContentReason::weight).allSatisfy(w -> assertThat(w).isPositive());
        assertThat(received.score() - stored.score()).isEqualTo(3.5, org.assertj.core.api.Assertions.within(1e-9));

        // Broken MIME in such a copy is the sender's and still counts; only the header's end is left out of it.
        MessageView brokenCopy = SampleMail.view("Subject: weekly notes\nContent-Transfer-Encoding: base64\n"
                + "the figures are in\nthe shared folder\n");
        assertThat(SCL.calculate(p(0.5), brokenCopy, SclInputs.none()).reasons())
                .filteredOn(r -> r.code().equals(ContentReasonCode.MALFORMED_MIME)).singleElement()
                .satisfies(r -> {
                    assertThat(r.weight()).isEqualTo(1.0);
                    assertThat(r.detail()).startsWith("mime.broken-encoding")
                            .endsWith("mime.malformed-header not counted: a copy kept without its header block");
                });

        MessageView keptItsFrom = SampleMail.view("From: bob@example.test\nSubject: weekly notes\n\nthe figures\n");
        assertThat(SCL.calculate(p(0.5), keptItsFrom, SclInputs.none()).reasons())
                .filteredOn(r -> r.code().equals(ContentReasonCode.MISSING_DATE)).singleElement()
                .extracting(ContentReason::weight).isEqualTo(0.5);
    }
}
