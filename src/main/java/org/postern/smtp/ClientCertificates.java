package org.postern.smtp;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Client certificates as evidence, never as a gate. The server asks for one (want, not need: an MTA without a
 * certificate must still deliver), the handshake accepts whatever the client presents, and afterwards the chain
 * is checked against the configured client CAs with the JDK's PKIX validator. The outcome is a fact —
 * {@code verified} true or false — that policy weighs, e.g. a partner connector matching a verified name.
 *
 * <p>Verification runs after the handshake instead of inside it so a failed check can never abort TLS, and so
 * the result is tied to the session it belongs to (resumed sessions included) without shared mutable state.</p>
 */
final class ClientCertificates {

    private static final Logger LOG = LoggerFactory.getLogger(ClientCertificates.class);
    private static final int SAN_DNS_NAME = 2;

    private final X509Certificate[] anchors;
    private final Optional<X509TrustManager> verifier;

    private ClientCertificates(List<X509Certificate> anchors, Optional<X509TrustManager> verifier) {
        this.anchors = anchors.toArray(new X509Certificate[0]);
        this.verifier = verifier;
    }

    static ClientCertificates trusting(List<X509Certificate> anchors) throws TlsConfigurationException {
        if (anchors.isEmpty()) return new ClientCertificates(anchors, Optional.empty());
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < anchors.size(); i++) store.setCertificateEntry("client-ca-" + i, anchors.get(i));
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            factory.init(store);
            for (TrustManager tm : factory.getTrustManagers()) {
                if (tm instanceof X509TrustManager x509) return new ClientCertificates(anchors, Optional.of(x509));
            }
            throw new TlsConfigurationException("no X509 trust manager for the client CAs");
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new TlsConfigurationException("cannot use the client CA certificates: " + e.getMessage(), e);
        }
    }

    /** The trust manager the handshake uses: it accepts any client certificate and names our CAs as hints. */
    X509ExtendedTrustManager handshakeTrustManager() {
        return new AcceptingTrustManager(anchors.clone());
    }

    /** What the client presented in this session, if anything, with the verdict of our client CAs. */
    Optional<TlsInfo.ClientCertificate> inspect(SSLSession session) {
        X509Certificate[] chain;
        try {
            Certificate[] peer = session.getPeerCertificates();
            chain = new X509Certificate[peer.length];
            for (int i = 0; i < peer.length; i++) chain[i] = (X509Certificate) peer[i];
        } catch (SSLPeerUnverifiedException | ClassCastException e) {
            return Optional.empty(); // no certificate sent
        }
        if (chain.length == 0) return Optional.empty();
        X509Certificate leaf = chain[0];
        return Optional.of(new TlsInfo.ClientCertificate(
                leaf.getSubjectX500Principal().getName(X500Principal.RFC2253),
                commonName(leaf), dnsNames(leaf), verified(chain)));
    }

    private boolean verified(X509Certificate[] chain) {
        if (verifier.isEmpty()) return false;
        try {
            verifier.get().checkClientTrusted(chain, chain[0].getPublicKey().getAlgorithm());
            return true;
        } catch (CertificateException | IllegalArgumentException e) {
            LOG.debug("client certificate {} not verified: {}", chain[0].getSubjectX500Principal(), e.getMessage());
            return false;
        }
    }

    private static Optional<String> commonName(X509Certificate cert) {
        RDN[] cns = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded()).getRDNs(BCStyle.CN);
        if (cns.length == 0) return Optional.empty();
        return Optional.of(IETFUtils.valueToString(cns[0].getFirst().getValue()));
    }

    private static List<String> dnsNames(X509Certificate cert) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            if (sans == null) return names;
            for (List<?> san : sans) {
                if (san.size() >= 2 && Integer.valueOf(SAN_DNS_NAME).equals(san.get(0)) && san.get(1) instanceof String s) {
                    names.add(s);
                }
            }
        } catch (CertificateParsingException e) {
            LOG.debug("unreadable subjectAltName in client certificate: {}", e.getMessage());
        }
        return names;
    }

    /**
     * Never fails a client's chain (verification happens later, see the class comment) and never acts as a
     * client. Extending X509ExtendedTrustManager keeps JSSE from wrapping it with checks of its own.
     */
    private static final class AcceptingTrustManager extends X509ExtendedTrustManager {
        private final X509Certificate[] issuers;

        AcceptingTrustManager(X509Certificate[] issuers) {
            this.issuers = issuers;
        }

        @Override public void checkClientTrusted(X509Certificate[] chain, String authType) { }
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) { }
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) { }

        @Override public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("this trust manager only serves the server side");
        }

        @Override public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            checkServerTrusted(chain, authType);
        }

        @Override public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            checkServerTrusted(chain, authType);
        }

        /** The CA names sent in the CertificateRequest help a client pick the right certificate. */
        @Override public X509Certificate[] getAcceptedIssuers() {
            return issuers.clone();
        }
    }
}
