package org.postern.queue;

import java.net.Socket;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Checks a server's certificate chain against DANE TLSA records (RFC 7672 §3.1): DANE-EE(3) — the leaf
 * certificate or its public key matches, nothing else is checked (no name, no expiry, §3.1.1); DANE-TA(2) — a
 * certificate of the chain matches and the leaf names the MX host (§3.1.2, §3.2.3). PKIX-TA(0) and PKIX-EE(1)
 * are not used for SMTP (§3.1.3). Matching: full certificate (0) or SubjectPublicKeyInfo (1), exact (0),
 * SHA-256 (1) or SHA-512 (2).
 */
final class DaneTrustManager extends X509ExtendedTrustManager {

    private final List<DanePolicies.Tlsa> records;
    private final String host;

    DaneTrustManager(List<DanePolicies.Tlsa> records, String host) {
        this.records = records;
        this.host = host.toLowerCase(Locale.ROOT);
    }

    /** True when some record is DANE-EE or DANE-TA; with none, TLS is still mandatory but unauthenticated (§3.1.3). */
    static boolean usable(List<DanePolicies.Tlsa> records) {
        return records.stream().anyMatch(r -> (r.usage() == 2 || r.usage() == 3) && r.selector() <= 1 && r.matchingType() <= 2);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        if (chain == null || chain.length == 0) throw new CertificateException("no certificate");
        if (!usable(records)) return;   // only unusable records: encrypted, not authenticated (§3.1.3)
        for (DanePolicies.Tlsa r : records) {
            if (r.usage() == 3 && matches(r, chain[0])) return;
        }
        for (DanePolicies.Tlsa r : records) {
            if (r.usage() != 2) continue;
            for (X509Certificate c : chain) {
                if (matches(r, c)) {
                    if (!names(chain[0], host)) throw new CertificateException("DANE-TA matched, but the certificate does not name " + host);
                    return;
                }
            }
        }
        throw new CertificateException("no TLSA record of " + host + " matches the server's certificate");
    }

    static boolean matches(DanePolicies.Tlsa r, X509Certificate c) throws CertificateEncodingException {
        byte[] selected = switch (r.selector()) {
            case 0 -> c.getEncoded();
            case 1 -> c.getPublicKey().getEncoded();
            default -> null;
        };
        if (selected == null) return false;
        byte[] value = switch (r.matchingType()) {
            case 0 -> selected;
            case 1 -> digest("SHA-256", selected);
            case 2 -> digest("SHA-512", selected);
            default -> null;
        };
        return value != null && MessageDigest.isEqual(value, r.data());
    }

    /** The leaf names the host in a DNS SAN (a "*." wildcard covers one label), RFC 6125 as RFC 7672 §3.2.3 asks. */
    static boolean names(X509Certificate leaf, String host) throws CertificateParsingException {
        var sans = leaf.getSubjectAlternativeNames();
        if (sans == null) return false;
        for (List<?> san : sans) {
            if (!Integer.valueOf(2).equals(san.get(0))) continue;
            String n = san.get(1).toString().toLowerCase(Locale.ROOT);
            if (n.equals(host)) return true;
            int dot = host.indexOf('.');
            if (n.startsWith("*.") && dot > 0 && host.substring(dot + 1).equals(n.substring(2))) return true;
        }
        return false;
    }

    private static byte[] digest(String algorithm, byte[] data) {
        try {
            return MessageDigest.getInstance(algorithm).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("a client-side trust manager");
    }

    @Override public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }

    @Override public String toString() {
        return "DANE " + Arrays.toString(records.toArray());
    }
}
