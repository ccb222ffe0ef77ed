package org.postern.outbound;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;
import org.postern.auth.dkim.DkimKeys;
import org.postern.store.Jdbc;

/**
 * Tenants' DKIM keys in the store, private halves sealed ({@link KeySealer}). {@code dkim keygen} makes an RSA
 * 2048 and an Ed25519 key (RFC 8463) — dual signing, so a receiver that knows only RSA still finds a signature it
 * verifies — or one of them. A single key is published at the selector itself; a pair at {@code S-rsa} and
 * {@code S-ed25519}, and the tenant's {@code dkim: [{domain, selector: S}]} selects both.
 */
public final class DkimKeyring {

    public enum Algorithm {
        RSA("rsa"), ED25519("ed25519");

        private final String wire;

        Algorithm(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }

        static Algorithm parse(String s) {
            for (Algorithm a : values()) if (a.wire.equalsIgnoreCase(s)) return a;
            throw new IllegalArgumentException("unknown DKIM algorithm '" + s + "' (rsa or ed25519)");
        }
    }

    /** A stored key as the admin sees it: where to publish what. */
    public record PublishedKey(String tenant, String domain, String selector, String baseSelector, Algorithm algorithm, String keyRecord) {
        /** The DNS name of the TXT record. */
        public String recordName() {
            return selector + "._domainkey." + domain;
        }
    }

    /** A key to sign with. */
    public record SigningKey(String domain, String selector, PrivateKey key) { }

    private final DataSource db;
    private final KeySealer sealer;
    private final Clock clock;

    public DkimKeyring(DataSource db, KeySealer sealer, Clock clock) {
        this.db = db;
        this.sealer = sealer;
        this.clock = clock;
    }

    /** Makes and stores new keys (replacing any at the same selectors); returns what to publish. */
    public List<PublishedKey> generate(String tenant, String domain, String selector, List<Algorithm> algorithms) {
        String d = domain.toLowerCase(Locale.ROOT);
        String s = selector.toLowerCase(Locale.ROOT);
        if (!d.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+")) throw new IllegalArgumentException("not a domain name: " + domain);
        if (!s.matches("[a-z0-9]([a-z0-9-]{0,40}[a-z0-9])?")) throw new IllegalArgumentException("a selector is one DNS label of letters, digits and '-': " + selector);
        if (algorithms.isEmpty()) throw new IllegalArgumentException("no algorithm");
        List<PublishedKey> out = new ArrayList<>();
        for (Algorithm a : algorithms) {
            String dnsSelector = algorithms.size() == 1 ? s : s + "-" + a.wire();
            KeyPair pair = generate(a);
            String record = DkimKeys.keyRecord(pair.getPublic());
            String sealed = sealer.seal(pair.getPrivate().getEncoded(), identity(tenant, d, dnsSelector));
            Jdbc.inTransaction(db, "storing a DKIM key", c -> {
                try (PreparedStatement del = c.prepareStatement("DELETE FROM dkim_key WHERE tenant_id = ? AND domain = ? AND selector = ?")) {
                    del.setString(1, tenant);
                    del.setString(2, d);
                    del.setString(3, dnsSelector);
                    del.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO dkim_key (tenant_id, domain, selector, base_selector, algorithm, "
                        + "sealed_key, key_record, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                    ps.setString(1, tenant);
                    ps.setString(2, d);
                    ps.setString(3, dnsSelector);
                    ps.setString(4, s);
                    ps.setString(5, a.wire());
                    ps.setString(6, sealed);
                    ps.setString(7, record);
                    ps.setObject(8, Jdbc.timestamp(clock.instant()));
                    return ps.executeUpdate();
                }
            });
            out.add(new PublishedKey(tenant, d, dnsSelector, s, a, record));
        }
        return out;
    }

    /** The keys the tenant's {@code dkim: {domain, selector}} entry selects, opened for signing (RSA first). */
    public List<SigningKey> signingKeys(String tenant, String domain, String baseSelector) {
        String d = domain.toLowerCase(Locale.ROOT);
        return Jdbc.query(db, "reading DKIM keys", c -> {
            List<SigningKey> keys = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT selector, algorithm, sealed_key FROM dkim_key "
                    + "WHERE tenant_id = ? AND domain = ? AND base_selector = ? ORDER BY algorithm DESC, selector")) {
                ps.setString(1, tenant);
                ps.setString(2, d);
                ps.setString(3, baseSelector.toLowerCase(Locale.ROOT));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String selector = rs.getString("selector");
                        Algorithm a = Algorithm.parse(rs.getString("algorithm"));
                        byte[] pkcs8 = sealer.open(rs.getString("sealed_key"), identity(tenant, d, selector));
                        keys.add(new SigningKey(d, selector, privateKey(a, pkcs8)));
                    }
                }
            }
            return keys;
        });
    }

    /** Every key of a tenant, for listing. */
    public List<PublishedKey> list(String tenant) {
        return Jdbc.query(db, "listing DKIM keys", c -> {
            List<PublishedKey> keys = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT domain, selector, base_selector, algorithm, key_record FROM dkim_key "
                    + "WHERE tenant_id = ? ORDER BY domain, selector")) {
                ps.setString(1, tenant);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        keys.add(new PublishedKey(tenant, rs.getString("domain"), rs.getString("selector"), rs.getString("base_selector"),
                                Algorithm.parse(rs.getString("algorithm")), rs.getString("key_record")));
                    }
                }
            }
            return keys;
        });
    }

    /** The sealed key is bound to its row: opened only for the tenant, domain and selector it was made for. */
    private static String identity(String tenant, String domain, String selector) {
        return "postern-dkim:" + tenant + ":" + domain + ":" + selector;
    }

    private static KeyPair generate(Algorithm a) {
        try {
            if (a == Algorithm.RSA) {
                KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                g.initialize(2048);
                return g.generateKeyPair();
            }
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a " + a.wire() + " key", e);
        }
    }

    private static PrivateKey privateKey(Algorithm a, byte[] pkcs8) {
        try {
            return KeyFactory.getInstance(a == Algorithm.RSA ? "RSA" : "Ed25519").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("stored DKIM key unreadable: " + e.getMessage(), e);
        }
    }

    /**
     * The TXT record in zone-file form, its value split into character-strings of at most 255 octets (RFC 1035
     * §3.3.14; an RSA 2048 key record is longer than one).
     */
    public static String zoneLine(PublishedKey k) {
        StringBuilder sb = new StringBuilder(k.recordName()).append(". IN TXT (");
        String v = k.keyRecord();
        for (int i = 0; i < v.length(); i += 255) sb.append(" \"").append(v, i, Math.min(v.length(), i + 255)).append('"');
        return sb.append(" )").toString();
    }
}
