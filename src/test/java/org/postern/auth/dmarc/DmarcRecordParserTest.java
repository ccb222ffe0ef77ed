package org.postern.auth.dmarc;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** RFC 7489 §6.3 and §6.4 record syntax; §6.6.3 step 6 for records without a usable policy. */
class DmarcRecordParserTest {

    private static DmarcRecord valid(String txt) {
        DmarcRecordParser.Parsed parsed = DmarcRecord.parse(txt);
        assertThat(parsed).isInstanceOf(DmarcRecordParser.Parsed.Valid.class);
        return ((DmarcRecordParser.Parsed.Valid) parsed).record();
    }

    @Test
    void minimalRecordTakesTheDefaultsOfSection63() {
        DmarcRecord r = valid("v=DMARC1; p=none");
        assertThat(r.policy()).isEqualTo(DmarcPolicy.NONE);
        assertThat(r.subdomainPolicy()).isEmpty();
        assertThat(r.effectiveSubdomainPolicy()).isEqualTo(DmarcPolicy.NONE);
        assertThat(r.percent()).isEqualTo(100);
        assertThat(r.dkimAlignment()).isEqualTo(AlignmentMode.RELAXED);
        assertThat(r.spfAlignment()).isEqualTo(AlignmentMode.RELAXED);
        assertThat(r.failureOptions()).containsExactly(FailureOption.ALL_FAIL);
        assertThat(r.reportFormats()).containsExactly("afrf");
        assertThat(r.reportIntervalSeconds()).isEqualTo(86_400);
        assertThat(r.aggregateReportUris()).isEmpty();
        assertThat(r.warnings()).isEmpty();
    }

    @Test
    void readsEveryTagOfSection63() {
        DmarcRecord r = valid(" v = DMARC1 ;P=Reject; sp=quarantine; pct=25; adkim=s; aspf=S;"
                + " rua=mailto:agg@example.com!10m, mailto:other@example.net; ruf=mailto:forensic@example.com;"
                + " fo=1:d:s; rf=afrf:iodef; ri=3600; ");
        assertThat(r.policy()).isEqualTo(DmarcPolicy.REJECT);
        assertThat(r.subdomainPolicy()).contains(DmarcPolicy.QUARANTINE);
        assertThat(r.percent()).isEqualTo(25);
        assertThat(r.dkimAlignment()).isEqualTo(AlignmentMode.STRICT);
        assertThat(r.spfAlignment()).isEqualTo(AlignmentMode.STRICT);
        assertThat(r.aggregateReportUris()).containsExactly(
                new ReportUri(URI.create("mailto:agg@example.com"), OptionalLong.of(10L << 20)),
                new ReportUri(URI.create("mailto:other@example.net"), OptionalLong.empty()));
        assertThat(r.failureReportUris()).extracting(ReportUri::uri)
                .containsExactly(URI.create("mailto:forensic@example.com"));
        assertThat(r.failureOptions()).containsExactlyInAnyOrder(FailureOption.ANY_FAIL, FailureOption.DKIM_FAIL,
                FailureOption.SPF_FAIL);
        assertThat(r.reportFormats()).containsExactly("afrf", "iodef");
        assertThat(r.reportIntervalSeconds()).isEqualTo(3600);
        assertThat(r.warnings()).isEmpty();
    }

    @Test
    void recordNotStartingWithTheVersionTagIsNotADmarcRecord() {
        assertThat(DmarcRecord.parse("p=reject; v=DMARC1")).isInstanceOf(DmarcRecordParser.Parsed.NotDmarc.class);
        assertThat(DmarcRecord.parse("v=spf1 -all")).isInstanceOf(DmarcRecordParser.Parsed.NotDmarc.class);
        assertThat(DmarcRecord.parse("v=DMARC2; p=reject")).isInstanceOf(DmarcRecordParser.Parsed.NotDmarc.class);
        // %x44 %x4d %x41 %x52 %x43 %x31: the version value is case-sensitive in the ABNF.
        assertThat(DmarcRecord.parse("v=dmarc1; p=reject")).isInstanceOf(DmarcRecordParser.Parsed.NotDmarc.class);
        assertThat(DmarcRecord.parse("")).isInstanceOf(DmarcRecordParser.Parsed.NotDmarc.class);
    }

    @Test
    void missingOrInvalidPolicyWithoutRuaIsUnusable() {
        assertThat(DmarcRecord.parse("v=DMARC1")).isInstanceOf(DmarcRecordParser.Parsed.Invalid.class);
        assertThat(DmarcRecord.parse("v=DMARC1; p=bounce")).isInstanceOf(DmarcRecordParser.Parsed.Invalid.class);
        assertThat(DmarcRecord.parse("v=DMARC1; p=reject; sp=maybe"))
                .isInstanceOf(DmarcRecordParser.Parsed.Invalid.class);
        assertThat(DmarcRecord.parse("v=DMARC1; p=bounce; rua=not a uri"))
                .isInstanceOf(DmarcRecordParser.Parsed.Invalid.class);
    }

    @Test
    void missingOrInvalidPolicyWithAValidRuaReadsAsPolicyNone() {
        DmarcRecord r = valid("v=DMARC1; rua=mailto:dmarc@example.com");
        assertThat(r.policy()).isEqualTo(DmarcPolicy.NONE);
        assertThat(r.policyImpliedByRua()).isTrue();
        assertThat(r.aggregateReportUris()).hasSize(1);

        DmarcRecord badSp = valid("v=DMARC1; p=reject; sp=maybe; rua=mailto:dmarc@example.com");
        assertThat(badSp.policy()).isEqualTo(DmarcPolicy.NONE);
        assertThat(badSp.effectiveSubdomainPolicy()).isEqualTo(DmarcPolicy.NONE);
        assertThat(badSp.warnings()).anyMatch(w -> w.contains("sp=maybe"));
    }

    @Test
    void unknownTagsAreIgnoredAndBadValuesFallBackToDefaults() {
        DmarcRecord r = valid("v=DMARC1; p=quarantine; pct=150; adkim=x; aspf=; ri=-1; fo=9; future=1; junk");
        assertThat(r.policy()).isEqualTo(DmarcPolicy.QUARANTINE);
        assertThat(r.percent()).isEqualTo(100);
        assertThat(r.dkimAlignment()).isEqualTo(AlignmentMode.RELAXED);
        assertThat(r.spfAlignment()).isEqualTo(AlignmentMode.RELAXED);
        assertThat(r.reportIntervalSeconds()).isEqualTo(86_400);
        assertThat(r.failureOptions()).containsExactly(FailureOption.ALL_FAIL);
        assertThat(r.warnings()).hasSize(6);
    }

    @Test
    void firstOfARepeatedTagWins() {
        DmarcRecord r = valid("v=DMARC1; p=reject; p=none");
        assertThat(r.policy()).isEqualTo(DmarcPolicy.REJECT);
        assertThat(r.warnings()).containsExactly("ignored repeated tag 'p'");
    }

    @Test
    void invalidReportUrisAreDroppedOneByOne() {
        DmarcRecord r = valid("v=DMARC1; p=none; rua=mailto:a@example.com!x, nothing, mailto:b@example.com!1k");
        assertThat(r.aggregateReportUris()).containsExactly(
                new ReportUri(URI.create("mailto:b@example.com"), OptionalLong.of(1024)));
        assertThat(r.warnings()).hasSize(2);
    }

    @Test
    void percentBoundsAreInclusive() {
        assertThat(valid("v=DMARC1; p=reject; pct=0").percent()).isZero();
        assertThat(valid("v=DMARC1; p=reject; pct=100").percent()).isEqualTo(100);
        assertThat(Optional.of(valid("v=DMARC1; p=reject; pct=007").percent())).contains(7);
    }
}
