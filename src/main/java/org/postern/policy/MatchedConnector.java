package org.postern.policy;

/**
 * The tenant connector that identified a transaction's client. Later stages use it: an on-premises connector marks
 * the mail as the tenant's own (not a spoof of its domains; it may relay outbound), and the report header names it.
 *
 * @param identifiedBy how the client proved itself, e.g. "verified certificate name mail.fabrikam.test"
 */
public record MatchedConnector(String tenant, String name, String kind, String identifiedBy, boolean bypassesIpFiltering) {

    public static final String PARTNER = "partner";
    public static final String ON_PREMISES = "on-premises";

    /** Mail from the tenant's own servers. */
    public boolean onPremises() {
        return ON_PREMISES.equals(kind);
    }

    public String setting() {
        return "tenants." + tenant + ".connectors." + name;
    }
}
