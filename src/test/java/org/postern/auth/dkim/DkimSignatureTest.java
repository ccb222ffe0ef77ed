package org.postern.auth.dkim;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The tag checks of RFC 6376 §6.1.1, one rule per test. */
class DkimSignatureTest {

    private static final String GOOD = "v=1; a=rsa-sha256; d=example.com; s=sel; h=from:to; bh=AAAA; b=AAAA";

    private static DkimSignature parse(String tags) throws DkimProblem {
        HeaderField field = HeaderSection.parse(("DKIM-Signature: " + tags + "\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8)).fields().getFirst();
        return DkimSignature.parse(field, TagList.parse(field.value()));
    }

    private static DkimOutcome outcomeOf(String tags) {
        try {
            parse(tags);
            return DkimOutcome.PASS;
        } catch (DkimProblem p) {
            return p.outcome();
        }
    }

    @Test
    void defaultsAreSimpleSimpleAndIdentityAtDomain() throws Exception {
        DkimSignature s = parse(GOOD);
        assertThat(s.headerCanonicalization()).isEqualTo(Canonicalization.SIMPLE);
        assertThat(s.bodyCanonicalization()).isEqualTo(Canonicalization.SIMPLE);
        assertThat(s.identity()).isEqualTo("@example.com");
        assertThat(s.signedHeaders()).containsExactly("from", "to");
    }

    @Test
    void loneCanonicalizationMeansRelaxedHeaderSimpleBody() throws Exception {
        DkimSignature s = parse(GOOD + "; c=relaxed");
        assertThat(s.headerCanonicalization()).isEqualTo(Canonicalization.RELAXED);
        assertThat(s.bodyCanonicalization()).isEqualTo(Canonicalization.SIMPLE);
    }

    @Test
    void versionOtherThanOneIsPermerror() {
        assertThat(outcomeOf(GOOD.replace("v=1", "v=2"))).isEqualTo(DkimOutcome.PERMERROR);
    }

    @Test
    void everyRequiredTagIsRequired() {
        for (String tag : new String[] {"a=rsa-sha256; ", "d=example.com; ", "s=sel; ", "h=from:to; ", "bh=AAAA; "}) {
            assertThat(outcomeOf(GOOD.replace(tag, ""))).as(tag).isEqualTo(DkimOutcome.PERMERROR);
        }
        assertThat(outcomeOf(GOOD.replace("; b=AAAA", ""))).isEqualTo(DkimOutcome.PERMERROR);
    }

    @Test
    void unknownAlgorithmOrCanonicalizationIsNeutral() {
        assertThat(outcomeOf(GOOD.replace("rsa-sha256", "rsa-sha512"))).isEqualTo(DkimOutcome.NEUTRAL);
        assertThat(outcomeOf(GOOD + "; c=nofws/simple")).isEqualTo(DkimOutcome.NEUTRAL);
    }

    @Test
    void rsaSha1IsRefusedAsPolicy() {
        assertThat(outcomeOf(GOOD.replace("rsa-sha256", "rsa-sha1"))).isEqualTo(DkimOutcome.POLICY);
    }

    @Test
    void signatureThatDoesNotSignFromIsPermerror() {
        assertThat(outcomeOf(GOOD.replace("h=from:to", "h=to:subject"))).isEqualTo(DkimOutcome.PERMERROR);
    }

    @Test
    void identityMustBeWithinTheSigningDomain() throws Exception {
        assertThat(parse(GOOD + "; i=joe@mail.EXAMPLE.com").identity()).isEqualTo("joe@mail.example.com");
        assertThat(outcomeOf(GOOD + "; i=joe@example.net")).isEqualTo(DkimOutcome.PERMERROR);
        assertThat(outcomeOf(GOOD + "; i=joe@badexample.com")).isEqualTo(DkimOutcome.PERMERROR);
        assertThat(outcomeOf(GOOD + "; i=joe")).isEqualTo(DkimOutcome.PERMERROR);
    }

    @Test
    void identityIsQuotedPrintable() throws Exception {
        assertThat(parse(GOOD + "; i=j=3Boe@example.com").identity()).isEqualTo("j;oe@example.com");
    }

    @Test
    void numbersMustBeNumbersAndExpiryFollowTheTimestamp() {
        assertThat(outcomeOf(GOOD + "; l=12a")).isEqualTo(DkimOutcome.PERMERROR);
        assertThat(outcomeOf(GOOD + "; t=-5")).isEqualTo(DkimOutcome.PERMERROR);
        assertThat(outcomeOf(GOOD + "; t=1000; x=999")).isEqualTo(DkimOutcome.PERMERROR);
        assertThat(outcomeOf(GOOD + "; t=1000; x=2000")).isEqualTo(DkimOutcome.PASS);
    }

    @Test
    void queryMethodMustIncludeDnsTxt() {
        assertThat(outcomeOf(GOOD + "; q=dns/txt")).isEqualTo(DkimOutcome.PASS);
        assertThat(outcomeOf(GOOD + "; q=http/well-known")).isEqualTo(DkimOutcome.PERMERROR);
    }

    @Test
    void domainAndSelectorMustBeDomainNames() {
        assertThat(outcomeOf(GOOD.replace("d=example.com", "d=exa mple.com"))).isEqualTo(DkimOutcome.PERMERROR);
        assertThat(outcomeOf(GOOD.replace("s=sel", "s=a..b"))).isEqualTo(DkimOutcome.PERMERROR);
    }

    @Test
    void duplicatedTagIsPermerror() {
        assertThatThrownBy(() -> parse(GOOD + "; d=other.example")).isInstanceOf(DkimProblem.class);
    }
}
