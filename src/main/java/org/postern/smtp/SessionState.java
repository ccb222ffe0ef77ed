package org.postern.smtp;

import java.util.Optional;

/**
 * What the session knows about the conversation so far, and its counters. Only the session's own thread touches
 * it. RFC 5321 §4.1.4 and RFC 3207 §4.2 say when parts of it must be forgotten; the command classes do that.
 */
final class SessionState {

    private boolean refuseAllButQuit;
    private HeloInfo helo;
    private Transaction transaction;
    /** The handler has seen a MAIL since its last reset(): the next MAIL must reset it first. */
    private boolean handlerHasTransaction;
    /** The user AUTH accepted; kept for the whole connection (RFC 4954 §4: AUTH only once per session). */
    private String authenticatedUser;
    private int commands;
    private int errors;
    private int errorsTotal;
    private int transactions;
    private int messages;

    void refuseAllButQuit(boolean refuse) { this.refuseAllButQuit = refuse; }
    boolean refusingAllButQuit() { return refuseAllButQuit; }

    Optional<HeloInfo> helo() { return Optional.ofNullable(helo); }
    void helo(HeloInfo value) { this.helo = value; }
    void forgetHelo() { this.helo = null; }

    Optional<Transaction> transaction() { return Optional.ofNullable(transaction); }

    void begin(Transaction t) {
        this.transaction = t;
        transactions++;
    }

    /** The transaction is over (end of data, refusal of DATA, RSET, EHLO); any BDAT message must be settled. */
    void endTransaction() { this.transaction = null; }

    boolean handlerHasTransaction() { return handlerHasTransaction; }
    void handlerHasTransaction(boolean value) { this.handlerHasTransaction = value; }

    Optional<String> authenticatedUser() { return Optional.ofNullable(authenticatedUser); }
    void authenticated(String user) { this.authenticatedUser = user; }

    int countCommand() { return ++commands; }
    int commands() { return commands; }

    void countError() {
        errors++;
        errorsTotal++;
    }

    /** Errors since the last delivered message: Postfix's hard error limit counts errors "without delivering mail". */
    int errors() { return errors; }
    int errorsTotal() { return errorsTotal; }

    int transactions() { return transactions; }

    void messageAccepted() {
        messages++;
        errors = 0;
    }

    int messages() { return messages; }
}
