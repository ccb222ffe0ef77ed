package org.postern.auth.spf;

import java.time.Duration;

/**
 * Processing limits of RFC 7208 §4.6.4.
 *
 * @param dnsTerms    terms that cause DNS queries (include, a, mx, ptr, exists, redirect) per check; over it: permerror
 * @param voidLookups lookups answering NXDOMAIN or no data per check; over it: permerror
 * @param mxNames     MX names whose addresses one {@code mx} term may look up; over it: permerror
 * @param ptrNames    PTR names one {@code ptr} term or {@code %{p}} may validate; the rest are ignored
 * @param maxElapsed  wall-clock budget for one check (§4.6.4 asks for at least 20 s); over it: temperror
 */
public record SpfLimits(int dnsTerms, int voidLookups, int mxNames, int ptrNames, Duration maxElapsed) {

    public static SpfLimits rfc7208() {
        return new SpfLimits(10, 2, 10, 10, Duration.ofSeconds(20));
    }
}
