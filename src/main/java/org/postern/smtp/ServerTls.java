package org.postern.smtp;

import java.io.IOException;
import java.net.Socket;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A listener's ready-to-use TLS: the server certificate in an {@link SSLContext}, the protocol versions we allow,
 * and the client certificate checks. Made by {@link TlsContextFactory}; immutable and shared by all sessions.
 */
public final class ServerTls {

    /** TLS 1.2 and 1.3 only: older versions are deprecated by RFC 8996. */
    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final SSLContext context;
    private final ClientCertificates clientCertificates;
    private final X509Certificate certificate;

    ServerTls(SSLContext context, ClientCertificates clientCertificates, X509Certificate certificate) {
        this.context = context;
        this.clientCertificates = clientCertificates;
        this.certificate = certificate;
    }

    /** The server certificate presented to clients (for logging its subject and expiry at startup). */
    public X509Certificate certificate() {
        return certificate;
    }

    public SSLContext context() {
        return context;
    }

    /**
     * Runs the server side of the handshake over an accepted plain socket (RFC 3207 §4, after our 220).
     * Closing the returned socket closes the plain one too.
     */
    SSLSocket handshake(Socket plain, Duration timeout) throws IOException {
        SSLSocket tls = (SSLSocket) context.getSocketFactory()
                .createSocket(plain, plain.getInetAddress().getHostAddress(), plain.getPort(), true);
        tls.setUseClientMode(false);
        SSLParameters parameters = tls.getSSLParameters();
        parameters.setProtocols(PROTOCOLS);
        parameters.setWantClientAuth(true);
        tls.setSSLParameters(parameters);
        tls.setSoTimeout((int) timeout.toMillis());
        tls.startHandshake();
        return tls;
    }

    /** The facts of a finished handshake, for the handler. */
    TlsInfo describe(SSLSocket socket) {
        var session = socket.getSession();
        return new TlsInfo(session.getProtocol(), session.getCipherSuite(), clientCertificates.inspect(session));
    }
}
