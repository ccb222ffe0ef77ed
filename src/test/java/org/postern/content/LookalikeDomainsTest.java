package org.postern.content;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class LookalikeDomainsTest {

    private static final Set<String> OWN = Set.of("contoso.test", "northwindtraders.com");

    @Test
    void catchesTheUsualImitations() {
        assertThat(LookalikeDomains.imitates("cоntoso.test", OWN)).as("Cyrillic o").isPresent();
        assertThat(LookalikeDomains.imitates("xn--cntoso-wqf.test", OWN)).as("same, as A-label").isPresent();
        assertThat(LookalikeDomains.imitates("c0nt0so.test", OWN)).as("digits for letters").isPresent();
        assertThat(LookalikeDomains.imitates("contsoo.test", OWN)).as("swapped letters").isPresent();
        assertThat(LookalikeDomains.imitates("contoso.example", OWN)).as("other suffix").isPresent();
        assertThat(LookalikeDomains.imitates("contoso-secure.example", OWN)).as("dressed up").isPresent();
        assertThat(LookalikeDomains.imitates("northwlndtradres.com", OWN)).as("two slips in a long name").isPresent();
        assertThat(LookalikeDomains.imitates("nortwindtraders.com", OWN)).isPresent();
    }

    @Test
    void leavesTheTenantsOwnAndUnrelatedDomainsAlone() {
        assertThat(LookalikeDomains.imitates("contoso.test", OWN)).isEmpty();
        assertThat(LookalikeDomains.imitates("mail.contoso.test", OWN)).isEmpty();
        assertThat(LookalikeDomains.imitates("fabrikam.test", OWN)).isEmpty();
        assertThat(LookalikeDomains.imitates("example.com", OWN)).isEmpty();
        assertThat(LookalikeDomains.imitates("costco.test", OWN)).isEmpty();
    }

    @Test
    void skeletonsReadLikeAPerson() {
        assertThat(LookalikeDomains.skeleton("rnicrosoft")).isEqualTo(LookalikeDomains.skeleton("microsoft"));
        assertThat(LookalikeDomains.distance("contoso", "contsoo")).isEqualTo(1);
    }
}
