package org.postern.smtp;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the listener's TLS material comes from: the {@code tls:} section of the operator configuration.
 *
 * @param certificate PEM file with the server certificate, optionally followed by its chain; empty: a self-signed
 *                    certificate for the hostname is made at startup
 * @param privateKey  PEM file with the unencrypted private key (PKCS#8, PKCS#1 RSA or SEC1 EC); may be the same
 *                    file as the certificate
 * @param clientCa    PEM file of trust anchors for client certificates; empty: certificates are still requested
 *                    and passed on, but never marked verified
 */
public record TlsSettings(Optional<Path> certificate, Optional<Path> privateKey, Optional<Path> clientCa) {

    public TlsSettings {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(clientCa, "clientCa");
        if (certificate.isPresent() != privateKey.isPresent()) {
            throw new IllegalArgumentException("tls: certificate and private-key go together");
        }
    }

    /** A self-signed certificate, no client CA. */
    public static TlsSettings selfSigned() {
        return new TlsSettings(Optional.empty(), Optional.empty(), Optional.empty());
    }

    public static TlsSettings pem(Path certificate, Path privateKey) {
        return new TlsSettings(Optional.of(certificate), Optional.of(privateKey), Optional.empty());
    }

    public TlsSettings withClientCa(Path caFile) {
        return new TlsSettings(certificate, privateKey, Optional.of(caFile));
    }
}
