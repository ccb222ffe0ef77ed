package org.postern.smtp;

import java.util.List;
import java.util.Optional;

/**
 * Facts of a completed TLS handshake. The client certificate is present when the client sent one; its
 * {@code verified} flag is true only when its chain validated against the configured client CA (never when no
 * client CA is configured). Subject and SANs are evidence for connectors; trust only verified ones.
 */
public record TlsInfo(String protocol, String cipherSuite, Optional<ClientCertificate> clientCertificate) {

    /**
     * @param subject    the subject DN in RFC 2253 form
     * @param commonName the first CN of the subject, if any
     * @param dnsNames   the dNSName entries of subjectAltName
     * @param verified   the chain validated against the configured client CA
     */
    public record ClientCertificate(String subject, Optional<String> commonName, List<String> dnsNames, boolean verified) {
        public ClientCertificate { dnsNames = List.copyOf(dnsNames); }
    }
}
