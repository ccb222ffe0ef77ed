package org.postern.content;

import java.util.Objects;

/**
 * A link domain a URI blocklist listed: the caller asked the zone (the content package asks no DNS).
 *
 * @param domain the registrable domain found in a link of the body
 * @param zone   the URI blocklist zone that listed it
 * @param weight the operator's weight of the zone, 1–10; 10 adds the full {@code blocklist.uri} weight
 */
public record UriListing(String domain, String zone, int weight) {
    public UriListing {
        Objects.requireNonNull(domain);
        Objects.requireNonNull(zone);
        if (weight < 1 || weight > 10) throw new IllegalArgumentException("URI blocklist weight must be 1..10");
    }
}
