package org.postern.smtp;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * Builds a {@link ServerTls} from {@link TlsSettings}: the configured PEM certificate and key, or a self-signed
 * certificate for the hostname when none is configured, plus the optional client CA. Called once at startup (and
 * again if the glue reloads certificates); every problem is a {@link TlsConfigurationException} naming the file.
 */
public final class TlsContextFactory {

    /** Only guards the in-memory key store; it never leaves this process. */
    private static final char[] KEY_STORE_PASSWORD = "postern".toCharArray();

    private TlsContextFactory() {
    }

    public static ServerTls create(TlsSettings settings, String hostname) throws TlsConfigurationException {
        PrivateKey key;
        List<X509Certificate> chain;
        if (settings.certificate().isPresent()) {
            Path certFile = settings.certificate().get();
            Path keyFile = settings.privateKey().orElseThrow();
            PemMaterial material = certFile.equals(keyFile) ? PemMaterial.read(certFile)
                    : PemMaterial.read(certFile, keyFile);
            chain = material.certificates();
            if (chain.isEmpty()) throw new TlsConfigurationException("no certificate in " + certFile);
            key = material.privateKey().orElseThrow(
                    () -> new TlsConfigurationException("no private key in " + keyFile));
            PemMaterial.checkKeyMatches(key, chain.get(0));
        } else {
            SelfSignedCertificate selfSigned = SelfSignedCertificate.generate(hostname);
            key = selfSigned.privateKey();
            chain = List.of(selfSigned.certificate());
        }
        List<X509Certificate> anchors = List.of();
        if (settings.clientCa().isPresent()) {
            anchors = PemMaterial.read(settings.clientCa().get()).certificates();
            if (anchors.isEmpty()) {
                throw new TlsConfigurationException("no certificate in " + settings.clientCa().get());
            }
        }
        ClientCertificates clientCertificates = ClientCertificates.trusting(anchors);
        return new ServerTls(context(key, chain, clientCertificates), clientCertificates, chain.get(0));
    }

    private static SSLContext context(PrivateKey key, List<X509Certificate> chain, ClientCertificates clients)
            throws TlsConfigurationException {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", key, KEY_STORE_PASSWORD, chain.toArray(new X509Certificate[0]));
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, KEY_STORE_PASSWORD);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), new TrustManager[] {clients.handshakeTrustManager()}, null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new TlsConfigurationException("cannot set up TLS: " + e.getMessage(), e);
        }
    }
}
