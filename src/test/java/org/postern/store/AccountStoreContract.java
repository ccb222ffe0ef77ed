package org.postern.store;

import org.junit.jupiter.api.Test;
import org.postern.account.AccountStore;
import org.postern.account.ApiTokens;
import org.postern.account.PasswordHasher;
import org.postern.account.Role;
import org.postern.admin.AuditLog;

import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Accounts, API tokens and the audit log, on both databases. */
abstract class AccountStoreContract extends StoreContract {

    private static final PasswordHasher FAST = new PasswordHasher(1024, 1, 1);

    private AccountStore accounts() {
        return new AccountStore(db.database().dataSource(), FAST, Clock.systemUTC());
    }

    private static String unique(String local) {
        return local + "-" + UUID.randomUUID().toString().substring(0, 8) + "@contoso.test";
    }

    @Test
    void verifiesTheRightPasswordOnlyAndCaseInsensitiveAddress() {
        String email = unique("alice");
        accounts().add("contoso", email, Role.TENANT_ADMIN, "correct horse");
        assertThat(accounts().verify(email.toUpperCase(java.util.Locale.ROOT), "correct horse"))
                .hasValueSatisfying(a -> {
                    assertThat(a.tenant()).isEqualTo("contoso");
                    assertThat(a.role()).isEqualTo(Role.TENANT_ADMIN);
                });
        assertThat(accounts().verify(email, "wrong")).isEmpty();
        assertThat(accounts().verify(unique("nobody"), "correct horse")).isEmpty();
        assertThat(accounts().list("contoso")).extracting(a -> a.email()).contains(email);
    }

    @Test
    void aRestrictionStaysUntilTheTenantLiftsItAndOnlyTheTenant() {
        var restrictions = new org.postern.account.SendingRestrictions(db.database().dataSource());
        String email = unique("burst");
        java.time.Instant at = java.time.Instant.parse("2026-11-28T10:00:00Z");
        assertThat(restrictions.isRestricted(email)).isFalse();
        assertThat(restrictions.restrict("contoso", email, "reached 5 recipients-per-hour", at)).isTrue();
        assertThat(restrictions.restrict("contoso", email, "again", at.plusSeconds(60))).isFalse();
        assertThat(restrictions.isRestricted(email.toUpperCase(java.util.Locale.ROOT))).isTrue();
        assertThat(restrictions.list("contoso")).anySatisfy(r -> {
            assertThat(r.email()).isEqualTo(email);
            assertThat(r.since()).isEqualTo(at);
            assertThat(r.reason()).isEqualTo("reached 5 recipients-per-hour");
        });
        assertThat(restrictions.lift("fabrikam", email)).isFalse();
        assertThat(restrictions.isRestricted(email)).isTrue();
        assertThat(restrictions.lift("contoso", email)).isTrue();
        assertThat(restrictions.isRestricted(email)).isFalse();
        assertThat(restrictions.lift("contoso", email)).isFalse();
    }

    @Test
    void anAddressBelongsToOneTenant() {
        String email = unique("bob");
        accounts().add("contoso", email, Role.USER, "pw1");
        assertThatThrownBy(() -> accounts().add("fabrikam", email, Role.USER, "pw2")).hasMessageContaining("another tenant");
        accounts().add("contoso", email, Role.TENANT_ADMIN, "pw3");
        assertThat(accounts().verify(email, "pw3")).hasValueSatisfying(a -> assertThat(a.role()).isEqualTo(Role.TENANT_ADMIN));
        assertThat(accounts().verify(email, "pw1")).isEmpty();
    }

    @Test
    void tokensResolveToTheirRoleAndTenantAndAreStoredHashed() {
        ApiTokens tokens = new ApiTokens(db.database().dataSource(), Clock.systemUTC());
        String op = tokens.create(Role.OPERATOR, Optional.empty());
        String admin = tokens.create(Role.TENANT_ADMIN, Optional.of("contoso"));
        assertThat(tokens.resolve(op)).hasValueSatisfying(p -> assertThat(p.role()).isEqualTo(Role.OPERATOR));
        assertThat(tokens.resolve(admin)).hasValueSatisfying(p -> assertThat(p.tenant()).contains("contoso"));
        assertThat(tokens.resolve(admin + "x")).isEmpty();
        assertThat(tokens.resolve("garbage")).isEmpty();
        Integer clear = Jdbc.query(db.database().dataSource(), "test", c -> {
            try (var ps = c.prepareStatement("SELECT COUNT(*) FROM api_token WHERE token_hash = ?")) {
                ps.setString(1, admin);
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
        assertThat(clear).isZero();
    }

    @Test
    void auditLogKeepsBeforeAndAfterNewestFirst() {
        AuditLog audit = new AuditLog(db.database().dataSource(), Clock.systemUTC());
        String tenant = "t" + UUID.randomUUID().toString().substring(0, 8);
        audit.record(tenant, "alice@contoso.test", "ip-block add", "{\"a\":1}", "{\"a\":2}");
        audit.record(tenant, "token:abcd", "tenant put", "{\"a\":2}", "{\"a\":3}");
        var entries = audit.list(tenant, 10, 0);
        assertThat(entries).extracting(AuditLog.Entry::action).containsExactly("tenant put", "ip-block add");
        assertThat(entries.get(1).before()).isEqualTo("{\"a\":1}");
        assertThat(entries.get(1).after()).isEqualTo("{\"a\":2}");
    }
}
