package org.postern.tenant;

/** A tenant document cannot be applied; the message names the tenant and the field. Nothing was applied. */
public final class TenantValidationException extends RuntimeException {
    public TenantValidationException(String message) { super(message); }
}
