package org.postern.account;

import org.postern.store.Jdbc;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Bearer tokens for the REST API: 256 random bits, shown once at creation ({@code pst_} + base64url) and stored as
 * their SHA-256 digest. A high-entropy token needs no slow KDF: the digest cannot be brute-forced back.
 */
public final class ApiTokens {

    private static final String PREFIX = "pst_";
    private final DataSource db;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public ApiTokens(DataSource db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Makes a token for the role (and tenant, unless operator); returns the token, which is not kept. */
    public String create(Role role, Optional<String> tenant) {
        Principal shape = new Principal("token", role, tenant); // validates role and tenant together
        byte[] bits = new byte[32];
        random.nextBytes(bits);
        String token = PREFIX + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
        Jdbc.inTransaction(db, "creating a token", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO api_token (token_hash, role, tenant_id, created_at) VALUES (?, ?, ?, ?)")) {
                ps.setString(1, digest(token));
                ps.setString(2, shape.role().wire());
                ps.setString(3, shape.tenant().orElse(null));
                ps.setObject(4, Jdbc.timestamp(clock.instant()));
                return ps.executeUpdate();
            }
        });
        return token;
    }

    /** Who the token belongs to; empty for an unknown or malformed token. */
    public Optional<Principal> resolve(String token) {
        if (!token.startsWith(PREFIX) || token.length() > 100) return Optional.empty();
        String hash = digest(token);
        return Jdbc.query(db, "checking a token", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT role, tenant_id FROM api_token WHERE token_hash = ?")) {
                ps.setString(1, hash);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) return Optional.<Principal>empty();
                    return Optional.of(new Principal("token:" + hash.substring(0, 8), Role.parse(rs.getString("role")),
                            Optional.ofNullable(rs.getString("tenant_id"))));
                }
            }
        });
    }

    static String digest(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
