package org.postern.queue;

import java.util.HexFormat;
import java.util.List;

/**
 * DANE for SMTP (RFC 7672): the TLSA records of an MX host, and whether they may be used — only when both the
 * domain's MX RRset and the TLSA RRset are DNSSEC-secure (§2.2.1).
 */
@FunctionalInterface
public interface DanePolicies {

    /** One TLSA record (RFC 6698 §2.1). */
    record Tlsa(int usage, int selector, int matchingType, byte[] data) {
        public Tlsa {
            data = data.clone();
        }

        @Override public byte[] data() { return data.clone(); }

        @Override public String toString() {
            return usage + " " + selector + " " + matchingType + " " + HexFormat.of().formatHex(data);
        }
    }

    /** What DNS said about one MX host's TLSA records. */
    sealed interface Answer {
        /** Secure TLSA records: TLS is mandatory and the certificate must match one of them. */
        record Secure(List<Tlsa> records) implements Answer {
            public Secure { records = List.copyOf(records); }
        }
        /** No usable DANE: the MX or TLSA answer is insecure, or there is securely no TLSA record. */
        record None(String why) implements Answer { }
        /** The lookup failed where a secure answer was possible: defer rather than send without DANE (§2.2). */
        record TempFail(String why) implements Answer { }
    }

    Answer tlsaFor(String domain, String mxHost, int port);

    DanePolicies NONE = (domain, host, port) -> new Answer.None("DANE not enabled (outbound.dane)");
}
