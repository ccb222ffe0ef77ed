package org.postern.auth.spf;

/** A record or macro string that does not follow the RFC 7208 grammar: the check ends in permerror (§4.6). */
final class SpfSyntaxException extends Exception {
    SpfSyntaxException(String message) {
        super(message, null, false, false);
    }
}
