package org.postern.smtp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigInteger;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A throw-away PKI for TLS tests, made with BouncyCastle: CAs, server and client certificates, PEM files. */
public final class TestPki {

    private static final AtomicLong SERIAL = new AtomicLong(1000);

    /** A key pair and its certificate. */
    public record Issued(KeyPair keys, X509Certificate certificate) {
    }

    private TestPki() {
    }

    public static KeyPair ecKeys() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair rsaKeys() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Issued ca(String cn) {
        KeyPair keys = ecKeys();
        X500Name name = new X500Name("O=Postern Test,CN=" + cn);
        return new Issued(keys, sign(name, keys, name, keys, true, null, new String[0]));
    }

    /** A client certificate with the clientAuth purpose and the given DNS names. */
    public static Issued client(Issued ca, String cn, String... dnsNames) {
        KeyPair keys = ecKeys();
        return new Issued(keys, sign(new X500Name("O=Partner,CN=" + cn), keys, issuerName(ca), ca.keys(), false,
                KeyPurposeId.id_kp_clientAuth, dnsNames));
    }

    /** A client certificate signed by its own key: any name at all, vouched for by nobody. */
    public static Issued selfSignedClient(String cn, String... dnsNames) {
        KeyPair keys = ecKeys();
        X500Name name = new X500Name("O=Partner,CN=" + cn);
        return new Issued(keys, sign(name, keys, name, keys, false, KeyPurposeId.id_kp_clientAuth, dnsNames));
    }

    /** A server certificate signed by {@code ca} for the given key. */
    public static X509Certificate server(Issued ca, KeyPair keys, String cn) {
        return sign(new X500Name("CN=" + cn), keys, issuerName(ca), ca.keys(), false, KeyPurposeId.id_kp_serverAuth,
                new String[] {cn});
    }

    private static X500Name issuerName(Issued ca) {
        return X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded());
    }

    private static X509Certificate sign(X500Name subject, KeyPair subjectKeys, X500Name issuer, KeyPair issuerKeys,
                                        boolean isCa, KeyPurposeId purpose, String[] dnsNames) {
        try {
            Instant now = Instant.now();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer,
                    BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(now.minus(Duration.ofHours(1))),
                    Date.from(now.plus(Duration.ofDays(30))), subject, subjectKeys.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(isCa
                    ? KeyUsage.keyCertSign | KeyUsage.cRLSign : KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            if (purpose != null) b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
            if (dnsNames.length > 0) {
                GeneralName[] names = new GeneralName[dnsNames.length];
                for (int i = 0; i < dnsNames.length; i++) names[i] = new GeneralName(GeneralName.dNSName, dnsNames[i]);
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            }
            String algorithm = issuerKeys.getPrivate().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
            return new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder(algorithm).build(issuerKeys.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A client-side context that trusts any server and presents {@code client} if given. */
    public static SSLContext clientContext(Issued client, X509Certificate... chain) {
        try {
            KeyManager[] keyManagers = null;
            if (client != null) {
                X509Certificate[] full = new X509Certificate[chain.length + 1];
                full[0] = client.certificate();
                System.arraycopy(chain, 0, full, 1, chain.length);
                keyManagers = new KeyManager[] {new AlwaysPresent(client.keys().getPrivate(), full)};
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers, new TrustManager[] {new TrustAll()}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static SSLContext trustAll() {
        return clientContext(null);
    }

    /** Writes objects as PEM (a PrivateKey becomes PKCS#1 / SEC1; wrap it in a JcaPKCS8Generator for PKCS#8). */
    public static Path writePem(Path file, Object... objects) {
        try (Writer w = Files.newBufferedWriter(file); JcaPEMWriter pem = new JcaPEMWriter(w)) {
            for (Object o : objects) pem.writeObject(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /**
     * Presents its certificate whatever CA names the server asks for (the JDK's own key manager would stay silent
     * for a certificate of another CA), so tests can see how the server treats a stranger's certificate.
     */
    private static final class AlwaysPresent extends X509ExtendedKeyManager {
        private final PrivateKey key;
        private final X509Certificate[] chain;

        AlwaysPresent(PrivateKey key, X509Certificate[] chain) {
            this.key = key;
            this.chain = chain;
        }

        @Override public String[] getClientAliases(String keyType, Principal[] issuers) { return new String[] {"client"}; }
        @Override public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) { return "client"; }
        @Override public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return "client";
        }
        @Override public String[] getServerAliases(String keyType, Principal[] issuers) { return null; }
        @Override public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) { return null; }
        @Override public X509Certificate[] getCertificateChain(String alias) { return chain.clone(); }
        @Override public PrivateKey getPrivateKey(String alias) { return key; }
    }

    private static final class TrustAll extends X509ExtendedTrustManager {
        @Override public void checkClientTrusted(X509Certificate[] c, String a) { }
        @Override public void checkServerTrusted(X509Certificate[] c, String a) { }
        @Override public void checkClientTrusted(X509Certificate[] c, String a, Socket s) { }
        @Override public void checkServerTrusted(X509Certificate[] c, String a, Socket s) { }
        @Override public void checkClientTrusted(X509Certificate[] c, String a, SSLEngine e) { }
        @Override public void checkServerTrusted(X509Certificate[] c, String a, SSLEngine e) { }
        @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
    }
}
