package org.postern.queue;

import java.io.IOException;
import java.io.InputStream;

/** Signs outbound mail: the DKIM-Signature fields for a message, to be written before everything else. */
@FunctionalInterface
public interface OutboundSigner {

    /** The message as it will be sent (the prepended headers, then the content), readable as often as needed. */
    @FunctionalInterface
    interface MessageSource {
        InputStream open() throws IOException;
    }

    /** Complete header fields, each ending in CRLF, to put in front of the message; "" when nothing signs it. */
    String sign(Envelope envelope, MessageSource message) throws IOException;

    OutboundSigner NONE = (envelope, message) -> "";
}
