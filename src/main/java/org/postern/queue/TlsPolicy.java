package org.postern.queue;

import java.util.Objects;
import javax.net.ssl.SSLContext;

/** What TLS a delivery insists on. */
sealed interface TlsPolicy {

    String describe();

    /** STARTTLS when offered, any certificate, plain text when TLS breaks (RFC 3207 §4.1; Postfix "may"). */
    record Opportunistic() implements TlsPolicy {
        @Override public String describe() { return "may"; }
    }

    /**
     * STARTTLS required and the certificate must chain to {@code context}'s trust anchors and name the server;
     * otherwise the attempt is deferred (Postfix "verify"/"secure").
     *
     * @param why       who asks for it, for the delivery detail ("MTA-STS policy of example.org", "REQUIRETLS")
     * @param checkName the certificate must name the server (MTA-STS); DANE's trust manager decides that itself
     */
    record Verified(SSLContext context, String why, boolean checkName) implements TlsPolicy {
        public Verified {
            Objects.requireNonNull(context, "context");
            Objects.requireNonNull(why, "why");
        }

        @Override public String describe() { return "verify:" + why; }
    }
}
