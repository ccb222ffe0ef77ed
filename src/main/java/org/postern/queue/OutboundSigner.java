package org.postern.queue;

import java.io.IOException;
import java.io.InputStream;

/** Signs outbound mail: the DKIM-Signature fields for a message, to be written before everything else. */
@FunctionalInterface
public interface OutboundSigner {

    /**
     * Complete header fields, each ending in CRLF, for the message as it will be sent ({@code message}: the
     * prepended headers, then the content); "" when nothing signs it.
     */
    String sign(Envelope envelope, InputStream message) throws IOException;

    OutboundSigner NONE = (envelope, message) -> "";
}
