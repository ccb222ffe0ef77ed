package org.postern.smtp;

import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One mail transaction (RFC 5321 §3.3): from an accepted MAIL to the end of data, RSET, or a new EHLO. Holds the
 * message being received with BDAT, whose chunks arrive over several commands (RFC 3030 §2); a DATA message is
 * received within one command and needs no state here.
 */
final class Transaction {

    private static final Logger LOG = LoggerFactory.getLogger(Transaction.class);

    private final MailFrom mailFrom;
    private int recipientsTried;
    private int recipientsAccepted;
    private Chunked chunked;
    private boolean chunkingFailed;

    /** The BDAT message in progress: its sink and the checks that run across chunk boundaries. */
    record Chunked(MessageSink sink, ContentWriter writer, ContentGuard guard) {
    }

    Transaction(MailFrom mailFrom) {
        this.mailFrom = mailFrom;
    }

    MailFrom mailFrom() { return mailFrom; }

    /** RFC 6531 §3.4: SMTPUTF8 on MAIL allows UTF-8 in this transaction's RCPT paths. */
    boolean smtpUtf8() { return mailFrom.smtpUtf8(); }

    void recipientTried(boolean accepted) {
        recipientsTried++;
        if (accepted) recipientsAccepted++;
    }

    int recipientsTried() { return recipientsTried; }
    int recipientsAccepted() { return recipientsAccepted; }

    Optional<Chunked> chunked() { return Optional.ofNullable(chunked); }

    /** BDAT was used, successfully or not: DATA is no longer allowed (RFC 3030 §2). */
    boolean usedChunking() { return chunked != null || chunkingFailed; }

    void startChunking(Chunked message) { this.chunked = message; }

    boolean chunkingFailed() { return chunkingFailed; }

    /**
     * A BDAT was refused: the message is dropped and further chunks get 503 until RSET (RFC 3030 §2: "the
     * transaction should be considered failed").
     */
    void failChunking(String why) {
        abandon(why);
        chunkingFailed = true;
    }

    /** Aborts the BDAT message in progress, if any; the sink learns why. */
    void abandon(String why) {
        if (chunked != null) {
            Chunked message = chunked;
            chunked = null;
            try {
                message.sink().abort(why);
            } catch (RuntimeException e) {
                LOG.warn("message sink failed in abort", e);
            }
        }
    }

    /** The BDAT message reached its end and the sink had its say (complete or abort). */
    void finishChunking() {
        chunked = null;
    }
}
