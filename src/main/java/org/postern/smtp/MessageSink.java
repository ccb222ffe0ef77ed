package org.postern.smtp;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Where the session streams the message content of one transaction (DATA or BDAT), unstuffed,
 * exactly as received with CRLF line ends. The session calls {@link #content()} for the bytes,
 * then exactly one of {@link #complete(long)} or {@link #abort(String)}. The session flushes the stream before
 * {@code complete} but never closes it: the stream belongs to the sink, which closes it in complete or abort.
 * An {@link IOException} from the stream makes the session finish reading the client's data and answer
 * {@code 451 4.3.0}, then abort.
 */
public interface MessageSink {

    OutputStream content() throws IOException;

    /**
     * All content arrived intact; decide and make it durable. The returned reply is the one answer to the
     * end of data: a 250 only once the message is on disk (fsync), else a refusal or temporary failure.
     */
    Reply complete(long size);

    /** The content will not be accepted (client vanished, smuggling, too large); release anything held. */
    void abort(String why);
}
