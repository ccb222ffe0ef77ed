package org.postern.auth.dmarc;

/** One DKIM signature's result as DMARC uses it: the signing domain {@code d=}, the selector and the outcome. */
public record DkimIdentifier(String domain, String selector, AuthOutcome outcome) {

    public DkimIdentifier {
        domain = DomainNames.normalise(domain);
    }
}
