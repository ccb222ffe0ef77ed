package org.postern.store;

/** The configuration/trace store could not be reached or refused a write; callers fail closed (451 4.3.0). */
public final class StoreUnavailableException extends RuntimeException {
    public StoreUnavailableException(String message, Throwable cause) { super(message, cause); }
}
