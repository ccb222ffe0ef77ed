package org.postern.auth.spf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Macro syntax and expansion, mostly the worked examples of RFC 7208 §7.4. */
class MacroStringTest {

    private static final MacroContext RFC_EXAMPLE = context(InetAddresses.forString("192.0.2.3"));

    private static MacroContext context(InetAddress ip) {
        return new MacroContext("strong-bad@email.example.com", "strong-bad", "email.example.com", "email.example.com",
                ip, "mx.example.org", "receiver.example.net", 1_700_000_000L, d -> "mx." + d);
    }

    private static String expand(String macro, MacroString.Context where, MacroContext context) throws SpfSyntaxException {
        return MacroString.parse(macro, where).expand(context);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "%{s}|strong-bad@email.example.com",
            "%{o}|email.example.com",
            "%{d}|email.example.com",
            "%{d4}|email.example.com",
            "%{d3}|email.example.com",
            "%{d2}|example.com",
            "%{d1}|com",
            "%{dr}|com.example.email",
            "%{d2r}|example.email",
            "%{l}|strong-bad",
            "%{l-}|strong.bad",
            "%{lr}|strong-bad",
            "%{lr-}|bad.strong",
            "%{l1r-}|strong",
            "%{ir}.%{v}._spf.%{d2}|3.2.0.192.in-addr._spf.example.com",
            "%{lr-}.lp._spf.%{d2}|bad.strong.lp._spf.example.com",
            "%{lr-}.lp.%{ir}.%{v}._spf.%{d2}|bad.strong.lp.3.2.0.192.in-addr._spf.example.com",
            "%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}|3.2.0.192.in-addr.strong.lp._spf.example.com",
            "%{d2}.trusted-domains.example.net|example.com.trusted-domains.example.net",
            "%{h}|mx.example.org",
            "%{p}|mx.email.example.com",
            "%{D200R}|com.example.email",
    })
    void expandsTheRfc7208Examples(String macro, String expected) throws SpfSyntaxException {
        assertThat(expand(macro, MacroString.Context.DOMAIN_SPEC, RFC_EXAMPLE)).isEqualTo(expected);
    }

    @Test
    void expandsIpv6AsDottedNibbles() throws SpfSyntaxException {
        MacroContext v6 = context(InetAddresses.forString("2001:db8::cb01"));
        assertThat(expand("%{ir}.%{v}._spf.%{d2}", MacroString.Context.DOMAIN_SPEC, v6))
                .isEqualToIgnoringCase("1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.example.com");
        assertThat(expand("%{c}", MacroString.Context.EXPLANATION, v6)).isEqualTo("2001:db8::cb01");
    }

    @Test
    void explanationOnlyLettersExpandInExplanations() throws SpfSyntaxException {
        assertThat(expand("%{c} via %{r} at %{t}", MacroString.Context.EXPLANATION, RFC_EXAMPLE))
                .isEqualTo("192.0.2.3 via receiver.example.net at 1700000000");
    }

    @Test
    void escapesPercentSpaceAndUrlSpace() throws SpfSyntaxException {
        assertThat(expand("a%%b%_c%-d", MacroString.Context.DOMAIN_SPEC, RFC_EXAMPLE)).isEqualTo("a%b c%20d");
    }

    @Test
    void upperCaseLettersAreUrlEscapedAfterTransformation() throws SpfSyntaxException {
        MacroContext odd = new MacroContext("~jack&jill=up-a_b3.c@e8.example.com", "~jack&jill=up-a_b3.c", "e8.example.com",
                "e8.example.com", RFC_EXAMPLE.ip(), "h", "r", 0, d -> "unknown");
        assertThat(expand("%{L}", MacroString.Context.DOMAIN_SPEC, odd)).isEqualTo("~jack%26jill%3Dup-a_b3.c");
        assertThat(expand("%{S}", MacroString.Context.DOMAIN_SPEC, RFC_EXAMPLE)).isEqualTo("strong-bad%40email.example.com");
    }

    @Test
    void splitsOnEveryGivenDelimiter() throws SpfSyntaxException {
        MacroContext plus = new MacroContext("foo-bar+zip+quux@x.example", "foo-bar+zip+quux", "x.example", "x.example",
                RFC_EXAMPLE.ip(), "h", "r", 0, d -> "unknown");
        assertThat(expand("%{l2r+-}", MacroString.Context.DOMAIN_SPEC, plus)).isEqualTo("bar.foo");
        assertThat(expand("%{l+-}", MacroString.Context.DOMAIN_SPEC, plus)).isEqualTo("foo.bar.zip.quux");
    }

    @Test
    void explanationsMayHoldSpacesDomainSpecsMayNot() throws SpfSyntaxException {
        assertThat(expand("Not from %{i}, sorry.", MacroString.Context.EXPLANATION, RFC_EXAMPLE))
                .isEqualTo("Not from 192.0.2.3, sorry.");
        assertThatThrownBy(() -> MacroString.parse("a b", MacroString.Context.DOMAIN_SPEC))
                .isInstanceOf(SpfSyntaxException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"%", "foo%", "%a", "%(ir)", "%{", "%{d", "%{}", "%{x}", "%{d0}", "%{dr!}", "%{c}", "%{r}",
            "%{t}", "é", "a\u0000b"})
    void rejectsBadMacroSyntaxInDomainSpecs(String bad) {
        assertThatThrownBy(() -> MacroString.parse(bad, MacroString.Context.DOMAIN_SPEC))
                .isInstanceOf(SpfSyntaxException.class);
    }

    @Test
    void tracksTheDomainEndForDomainSpecChecks() throws SpfSyntaxException {
        MacroString endsInMacro = MacroString.parse("foo.%{d}", MacroString.Context.DOMAIN_SPEC);
        assertThat(endsInMacro.endsWithExpand()).isTrue();
        MacroString endsInLabel = MacroString.parse("%{d}.example.com", MacroString.Context.DOMAIN_SPEC);
        assertThat(endsInLabel.endsWithExpand()).isFalse();
        assertThat(endsInLabel.trailingLiteral()).isEqualTo(".example.com");
    }
}
