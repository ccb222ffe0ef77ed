package org.postern.account;

/** A console (and later submission) user of one tenant; the address is the login name. */
public record Account(String email, String tenant, Role role) {

    public Principal principal() {
        return new Principal(email, role, java.util.Optional.of(tenant));
    }
}
