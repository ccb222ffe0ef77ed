package org.postern.auth.arc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The ARC-Authentication-Results payload, RFC 8601 §2.2. */
class AuthenticationResultsTest {

    @Test
    void readsAuthservIdMethodsAndProperties() {
        AuthenticationResults r = AuthenticationResults.parse("mx.google.com;\r\n       dkim=pass header.i=@ietf.org"
                + " header.s=ietf1 header.b=Kq7q0dxw;\r\n       spf=pass (google.com: domain of x@ietf.org designates"
                + " 50.223.129.194 as permitted sender) smtp.mailfrom=x@ietf.org;\r\n       dmarc=pass (p=NONE sp=NONE"
                + " dis=NONE) header.from=ietf.org");
        assertThat(r.authservId()).isEqualTo("mx.google.com");
        assertThat(r.results()).extracting(AuthenticationResults.MethodResult::method)
                .containsExactly("dkim", "spf", "dmarc");
        assertThat(r.resultOf("dmarc")).contains("pass");
        assertThat(r.results().get(1).properties())
                .containsExactly(new AuthenticationResults.Property("smtp.mailfrom", "x@ietf.org"));
        assertThat(r.results().get(2).properties())
                .containsExactly(new AuthenticationResults.Property("header.from", "ietf.org"));
    }

    @Test
    void noResultAndQuotedSemicolons() {
        assertThat(AuthenticationResults.parse("example.org 1; none").results()).isEmpty();
        AuthenticationResults r = AuthenticationResults.parse("example.org; dkim=fail reason=\"bad; sig\" header.d=a.example");
        assertThat(r.resultOf("dkim")).contains("fail");
        assertThat(r.results().getFirst().properties()).containsExactly(
                new AuthenticationResults.Property("reason", "bad; sig"),
                new AuthenticationResults.Property("header.d", "a.example"));
    }
}
