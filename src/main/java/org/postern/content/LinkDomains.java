package org.postern.content;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The registrable domains ("public suffix + 1", Guava's copy of the Public Suffix List) that a message's links lead
 * to, in the order they first appear: what URI blocklists (DBL-style zones) are asked about. URI lists list
 * registrable domains, so asking for {@code www.shop.example} would miss a listing of {@code shop.example}.
 */
public final class LinkDomains {

    /** RFC 1035 §2.3.4: a query name has at most 253 characters; the zone must still fit after the domain. */
    private static final int MAX_DOMAIN_LENGTH = 200;

    private LinkDomains() {
    }

    /** At most {@code max} distinct domains; IP-literal hosts are left out (domain lists do not list addresses). */
    public static List<String> of(MessageView view, int max) {
        Set<String> domains = new LinkedHashSet<>();
        for (Link link : view.links()) {
            if (domains.size() >= max) break;
            if (link.ipLiteral() || link.host().isEmpty()) continue;
            String domain = LinkAnalysis.organisationOf(link.host().get());
            if (domain.indexOf('.') > 0 && domain.length() <= MAX_DOMAIN_LENGTH && !LinkAnalysis.isIpLiteral(domain)) {
                domains.add(domain);
            }
        }
        return List.copyOf(domains);
    }
}
