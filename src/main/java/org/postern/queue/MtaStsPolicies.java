package org.postern.queue;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The MTA-STS policy (RFC 8461) a recipient domain publishes, as far as delivery needs it. */
@FunctionalInterface
public interface MtaStsPolicies {

    /** A policy: {@code mx} patterns ("mail.example.org", "*.example.org") and its mode. */
    record Policy(Mode mode, List<String> mx, long maxAgeSeconds) {
        public Policy {
            mx = List.copyOf(mx);
        }

        /** RFC 8461 §4.1: a pattern matches the host, or "*." matches exactly one leftmost label. */
        public boolean allows(String mxHost) {
            String h = mxHost.toLowerCase(Locale.ROOT);
            if (h.endsWith(".")) h = h.substring(0, h.length() - 1);
            for (String p : mx) {
                String q = p.toLowerCase(Locale.ROOT);
                if (q.startsWith("*.")) {
                    int dot = h.indexOf('.');
                    if (dot > 0 && h.substring(dot + 1).equals(q.substring(2))) return true;
                } else if (q.equals(h)) {
                    return true;
                }
            }
            return false;
        }
    }

    enum Mode { ENFORCE, TESTING, NONE }

    /**
     * The domain's policy; empty when it publishes none (or it could not be fetched: RFC 8461 §5 says deliver
     * as without one, unless a cached policy is still valid).
     */
    Optional<Policy> policyFor(String domain);

    MtaStsPolicies NONE = domain -> Optional.empty();
}
