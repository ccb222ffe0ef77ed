package org.postern.auth.dmarc;

/**
 * The record discovery found and the policy it requests for this message.
 *
 * @param policyDomain           where the record was published (the From domain or its organizational domain)
 * @param atOrganizationalDomain the record came from the organizational-domain fallback
 * @param requested              {@code p}, or {@code sp} (defaulting to {@code p}) when the record was found at the
 *                               organizational domain and the From domain is a subdomain of it (RFC 7489 §6.3)
 * @param subdomainPolicy        whether {@code requested} came from the {@code sp} rule
 */
public record AppliedPolicy(String policyDomain, DmarcRecord record, boolean atOrganizationalDomain,
                            DmarcPolicy requested, boolean subdomainPolicy) {

    static AppliedPolicy of(PolicyDiscovery.Discovery.Found found) {
        DmarcRecord record = found.record();
        return found.atOrganizationalDomain()
                ? new AppliedPolicy(found.policyDomain(), record, true, record.effectiveSubdomainPolicy(), true)
                : new AppliedPolicy(found.policyDomain(), record, false, record.policy(), false);
    }
}
