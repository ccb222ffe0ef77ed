package org.postern.auth.dmarc;

import com.google.common.net.InternetDomainName;

import java.util.List;
import java.util.Optional;

/**
 * The Public Suffix List's one question: the registrable domain of a name ("public suffix + 1 label"), empty when the
 * name is itself a public suffix or not a domain name. Names under a TLD the list does not know fall under the
 * list's implicit "*" rule, so {@code b.example.example} gives {@code example.example}.
 */
@FunctionalInterface
public interface PublicSuffixList {

    Optional<String> registrableDomain(String domain);

    /**
     * The list bundled with Guava (ICANN and private sections, as DMARC implementations use it). Guava 33.8 bundles
     * a newer snapshot than the Debian 2023-02-09 list kept in the conformance data: all 78 {@code checkPublicSuffix}
     * vectors give the same answer with both, but 987 of the 9,506 rules of the 2023 snapshot (665 ICANN, 322
     * private) no longer hold in Guava's list, mostly rules withdrawn upstream since (for example the
     * {@code *.museum} second-level names and {@code schools.nsw.edu.au}); see {@code PublicSuffixListVectorsTest}.
     * The newer list is the better one to run with; a Guava upgrade moves it forward.
     */
    static PublicSuffixList bundled() {
        return domain -> {
            InternetDomainName name;
            try {
                name = InternetDomainName.from(domain);
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
            if (name.isPublicSuffix()) return Optional.empty();
            if (name.isUnderPublicSuffix()) return Optional.of(name.topPrivateDomain().toString());
            List<String> parts = name.parts();
            int n = parts.size();
            return n < 2 ? Optional.empty() : Optional.of(parts.get(n - 2) + "." + parts.get(n - 1));
        };
    }
}
