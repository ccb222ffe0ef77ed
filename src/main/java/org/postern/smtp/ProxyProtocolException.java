package org.postern.smtp;

import java.io.IOException;

/** A PROXY protocol header that is missing, garbled, truncated or of a kind we do not take (UDP, UNIX sockets). */
public final class ProxyProtocolException extends IOException {
    private static final long serialVersionUID = 1L;

    private final boolean closedBeforeHeader;

    public ProxyProtocolException(String message) {
        this(message, false);
    }

    private ProxyProtocolException(String message, boolean closedBeforeHeader) {
        super(message);
        this.closedBeforeHeader = closedBeforeHeader;
    }

    /** The peer closed without sending an octet: a balancer's TCP health check, not a client to answer. */
    static ProxyProtocolException closedBeforeHeader() {
        return new ProxyProtocolException("connection closed before a PROXY protocol header", true);
    }

    public boolean isClosedBeforeHeader() {
        return closedBeforeHeader;
    }
}
