package org.postern.content;

/** An SPF, DKIM or DMARC result as the SCL needs it (RFC 8601 result names); NONE when not checked or absent. */
public enum AuthResult {
    PASS, FAIL, SOFTFAIL, NEUTRAL, NONE, TEMPERROR, PERMERROR
}
