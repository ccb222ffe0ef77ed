package org.postern.smtp;

/** The TLS material cannot be used (unreadable file, no key, key not matching the certificate, ...). */
public final class TlsConfigurationException extends Exception {

    public TlsConfigurationException(String message) {
        super(message);
    }

    public TlsConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
