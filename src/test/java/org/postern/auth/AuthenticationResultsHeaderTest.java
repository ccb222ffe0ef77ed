package org.postern.auth;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Values from the sender or from DNS can never break out of our Authentication-Results field. */
class AuthenticationResultsHeaderTest {

    @Test
    void senderControlledValuesAreReducedToTokenCharacters() {
        assertThat(AuthenticationResultsHeader.token("evil.example;\r\n\tdmarc=pass")).isEqualTo("evil.example????dmarc=pass");
        assertThat(AuthenticationResultsHeader.token("a b\"c(d)")).isEqualTo("a?b?c?d?");
        assertThat(AuthenticationResultsHeader.token("xn--bcher-kva.example")).isEqualTo("xn--bcher-kva.example");
        assertThat(AuthenticationResultsHeader.token("")).isEqualTo("?");
        assertThat(AuthenticationResultsHeader.token("ü.example")).isEqualTo("?.example");
        assertThat(AuthenticationResultsHeader.token("x".repeat(1000))).hasSize(255);
    }

    @Test
    void fromFieldsGiveTheirMailboxDomains() {
        assertThat(SenderAuthenticator.fromDomains(java.util.List.of("\"Bank, Inc\" <news@Bank.Example>")))
                .containsExactly("bank.example");
        assertThat(SenderAuthenticator.fromDomains(java.util.List.of("a@one.example, b@two.example")))
                .containsExactly("one.example", "two.example");
        assertThat(SenderAuthenticator.fromDomains(java.util.List.of("not an address"))).isEmpty();
    }
}
