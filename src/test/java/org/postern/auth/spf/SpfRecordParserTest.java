package org.postern.auth.spf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The record grammar of RFC 7208 §4.5, §4.6, §5 and §6. */
class SpfRecordParserTest {

    @Test
    void parsesEveryMechanismWithQualifiersAndCidrs() throws SpfSyntaxException {
        SpfRecord record = SpfRecordParser.parse(
                "V=SPF1 +all -include:_spf.example.com ~a ?a:mail.example.com/24//64 mx//48 PTR ptr:example.org "
                        + "ip4:192.0.2.0/24 ip6:2001:db8::/32 exists:%{ir}.list.example.com");
        List<SpfRecord.Directive> d = record.directives();
        assertThat(d).extracting(SpfRecord.Directive::qualifier).containsExactly(Qualifier.PASS, Qualifier.FAIL,
                Qualifier.SOFTFAIL, Qualifier.NEUTRAL, Qualifier.PASS, Qualifier.PASS, Qualifier.PASS, Qualifier.PASS,
                Qualifier.PASS, Qualifier.PASS);
        assertThat(d.get(0).mechanism()).isInstanceOf(Mechanism.All.class);
        assertThat(((Mechanism.Include) d.get(1).mechanism()).target()).hasToString("_spf.example.com");
        assertThat(d.get(2).mechanism()).isEqualTo(new Mechanism.A(java.util.Optional.empty(), 32, 128));
        Mechanism.A a = (Mechanism.A) d.get(3).mechanism();
        assertThat(a.target()).hasValueSatisfying(t -> assertThat(t).hasToString("mail.example.com"));
        assertThat(a.cidr4()).isEqualTo(24);
        assertThat(a.cidr6()).isEqualTo(64);
        Mechanism.Mx mx = (Mechanism.Mx) d.get(4).mechanism();
        assertThat(mx.cidr4()).isEqualTo(32);
        assertThat(mx.cidr6()).isEqualTo(48);
        assertThat(((Mechanism.Ptr) d.get(5).mechanism()).target()).isEmpty();
        assertThat(((Mechanism.Ptr) d.get(6).mechanism()).target()).isPresent();
        Mechanism.Ip4 ip4 = (Mechanism.Ip4) d.get(7).mechanism();
        assertThat(ip4.network()).containsExactly(192, 0, 2, 0);
        assertThat(ip4.prefix()).isEqualTo(24);
        Mechanism.Ip6 ip6 = (Mechanism.Ip6) d.get(8).mechanism();
        assertThat(ip6.network()).hasSize(16);
        assertThat(ip6.prefix()).isEqualTo(32);
        assertThat(d.get(9).mechanism()).isInstanceOf(Mechanism.Exists.class);
        assertThat(d).extracting(x -> x.mechanism().queriesDns())
                .containsExactly(false, true, true, true, true, true, true, false, false, true);
    }

    @Test
    void keepsRedirectAndExpAndIgnoresUnknownModifiers() throws SpfSyntaxException {
        SpfRecord record = SpfRecordParser.parse("v=spf1  ip4:192.0.2.1 exp=explain.%{d} foo.bar=baz%{d} redirect=_spf.example.com ");
        assertThat(record.directives()).hasSize(1);
        assertThat(record.redirect()).hasValueSatisfying(r -> assertThat(r).hasToString("_spf.example.com"));
        assertThat(record.explanation()).hasValueSatisfying(e -> assertThat(e).hasToString("explain.%{d}"));
    }

    @Test
    void domainsMayContainSlashesAndColons() throws SpfSyntaxException {
        Mechanism.A a = (Mechanism.A) SpfRecordParser.parse("v=spf1 a:foo:bar/baz.example.com").directives().get(0).mechanism();
        assertThat(a.target()).hasValueSatisfying(t -> assertThat(t).hasToString("foo:bar/baz.example.com"));
        assertThat(a.cidr4()).isEqualTo(32);
    }

    @Test
    void recognisesTheVersionCaseInsensitivelyAndOnlyAsAWholeTerm() {
        assertThat(SpfRecord.isSpf("v=spf1")).isTrue();
        assertThat(SpfRecord.isSpf("V=SpF1 -all")).isTrue();
        assertThat(SpfRecord.isSpf("v=spf10")).isFalse();
        assertThat(SpfRecord.isSpf("v=spf1mx")).isFalse();
        assertThat(SpfRecord.isSpf("spf2.0/pra -all")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "v=spf1 moo", "v=spf1 -all.", "v=spf1 -all:foo", "v=spf1 all/8", "v=spf1 =all", "v=spf1 1up=foo",
            "v=spf1 redirect:x.example.com", "v=spf1 include", "v=spf1 include:", "v=spf1 include:x.example.com/24",
            "v=spf1 a:", "v=spf1 a/33", "v=spf1 a//129", "v=spf1 a/24/64", "v=spf1 a/024", "v=spf1 a:museum",
            "v=spf1 a:museum.", "v=spf1 a:abc.123", "v=spf1 a:example.-com", "v=spf1 a:example.com:8080",
            "v=spf1 mx:", "v=spf1 ptr/0", "v=spf1 ptr:", "v=spf1 exists", "v=spf1 exists:", "v=spf1 ip4",
            "v=spf1 ip4:1.2.3", "v=spf1 ip4:1.2.3.4/33", "v=spf1 ip4:1.2.3.4/032", "v=spf1 ip4:1.2.3.4//32",
            "v=spf1 ip4:01.2.3.4", "v=spf1 ip4:1.2.3.4:25", "v=spf1 ip6", "v=spf1 ip6::CAFE::BABE",
            "v=spf1 ip6:::1/129", "v=spf1 ip6:::1//64", "v=spf1 ip6:1.2.3.4", "v=spf1 exp=", "v=spf1 exp=-all",
            "v=spf1 exp=a.example.com exp=b.example.com", "v=spf1 redirect=", "v=spf1 redirect=a.example.com redirect=b.example.com",
            "v=spf1 foo=%abc", "v=spf1 a:%{c}.example.com", "v=spf1 a\tmx", "v=spf1 a\u00a0mx", "v=spf1 ip4:192.0.2.5\n -all",
    })
    void rejectsSyntaxErrorsAnywhereInTheRecord(String bad) {
        assertThatThrownBy(() -> SpfRecordParser.parse(bad)).isInstanceOf(SpfSyntaxException.class);
    }

    @Test
    void truncatesLongTargetsFromTheLeftAndRejectsUnqueryableNames() {
        String label = "a".repeat(60);
        String longName = String.join(".", label, label, label, label, label) + ".example.com";
        assertThat(DomainNames.queryName(longName)).hasValueSatisfying(n -> {
            assertThat(n.length()).isLessThanOrEqualTo(253);
            assertThat(n).endsWith(".example.com");
        });
        assertThat(DomainNames.queryName("mail.example.com.")).contains("mail.example.com");
        assertThat(DomainNames.queryName("mail.example...com")).isEmpty();
        assertThat(DomainNames.queryName("a".repeat(64) + ".example.com")).isEmpty();
        assertThat(DomainNames.checkable("example")).isFalse();
        assertThat(DomainNames.checkable("[192.0.2.1]")).isFalse();
        assertThat(DomainNames.checkable("example.com.")).isTrue();
    }
}
