package org.postern.auth.dmarc;

/**
 * The Organizational Domain of RFC 7489 §3.2: the registrable domain by the Public Suffix List. Relaxed alignment
 * (§3.1) compares these.
 */
public final class OrganizationalDomain {

    private final PublicSuffixList suffixes;

    public OrganizationalDomain(PublicSuffixList suffixes) {
        this.suffixes = suffixes;
    }

    /** With the list bundled in Guava. */
    public static OrganizationalDomain bundled() {
        return new OrganizationalDomain(PublicSuffixList.bundled());
    }

    /**
     * The organizational domain of a (normalised or not) domain name, in lower-case A-labels. A name that is itself
     * a public suffix has no "suffix + 1" label; §3.2 then leaves the name as it is, so it is its own organizational
     * domain (as OpenDMARC does).
     */
    public String of(String domain) {
        String name = DomainNames.normalise(domain);
        return suffixes.registrableDomain(name).map(DomainNames::normalise).orElse(name);
    }

    /** Whether two names share an organizational domain: relaxed alignment, RFC 7489 §3.1.1 and §3.1.2. */
    public boolean sameOrganization(String a, String b) {
        return of(a).equals(of(b));
    }
}
