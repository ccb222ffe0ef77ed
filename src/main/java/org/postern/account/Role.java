package org.postern.account;

import java.util.Arrays;
import java.util.Locale;

/** What a principal may do: the operator sees every tenant; a tenant admin one tenant; a user their own mail. */
public enum Role {
    OPERATOR("operator"), TENANT_ADMIN("tenant-admin"), USER("user");

    private final String wire;

    Role(String wire) { this.wire = wire; }

    /** The name in the CLI, the API and the store. */
    public String wire() { return wire; }

    public static Role parse(String s) {
        String want = s.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(r -> r.wire.equals(want)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown role '" + s + "' (operator, tenant-admin or user)"));
    }
}
