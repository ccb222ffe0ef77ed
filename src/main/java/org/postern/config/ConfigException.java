package org.postern.config;

/** The configuration cannot be used; the message names the key and what is wrong with it. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) { super(message); }
    public ConfigException(String message, Throwable cause) { super(message, cause); }
}
