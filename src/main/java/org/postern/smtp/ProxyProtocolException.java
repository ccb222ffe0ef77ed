package org.postern.smtp;

import java.io.IOException;

/** A PROXY protocol header that is missing, garbled, truncated or of a kind we do not take (UDP, UNIX sockets). */
public final class ProxyProtocolException extends IOException {
    private static final long serialVersionUID = 1L;

    public ProxyProtocolException(String message) {
        super(message);
    }
}
