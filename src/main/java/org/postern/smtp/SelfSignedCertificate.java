package org.postern.smtp;

import com.google.common.net.InetAddresses;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A self-signed server certificate for the hostname, made when the operator configured none, so STARTTLS works
 * out of the box. Opportunistic SMTP TLS does not authenticate the server (RFC 7435), so encryption without a CA
 * signature is still worth having. RSA 2048 rather than EC, because every TLS 1.2 client can use it; made once per
 * {@link ServerTls}, i.e. once per process start, and kept in memory only.
 */
record SelfSignedCertificate(PrivateKey privateKey, X509Certificate certificate) {

    private static final Duration VALIDITY = Duration.ofDays(365);

    static SelfSignedCertificate generate(String hostname) throws TlsConfigurationException {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair keys = generator.generateKeyPair();
            X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, hostname).build();
            Instant now = Instant.now();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
                    new BigInteger(63, new SecureRandom()).add(BigInteger.ONE),
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(VALIDITY)), name, keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(subjectAltName(hostname)));
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
            return new SelfSignedCertificate(keys.getPrivate(), certificate);
        } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
            throw new TlsConfigurationException("cannot make a self-signed certificate for " + hostname, e);
        }
    }

    private static GeneralName subjectAltName(String hostname) {
        return InetAddresses.isInetAddress(hostname)
                ? new GeneralName(GeneralName.iPAddress, hostname)
                : new GeneralName(GeneralName.dNSName, hostname);
    }
}
