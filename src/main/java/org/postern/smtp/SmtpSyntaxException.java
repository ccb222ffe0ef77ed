package org.postern.smtp;

/**
 * A command line the parser refuses. It carries the permanent (5xx) reply the session writes, before the session
 * adds its {@code [ref=...]}; the parser never throws anything else for client input.
 */
public final class SmtpSyntaxException extends Exception {

    private final transient Reply reply;

    SmtpSyntaxException(Reply reply) {
        super(reply.toString(), null, false, false);
        if (!reply.isPermanent()) throw new IllegalArgumentException("a syntax refusal is permanent: " + reply);
        this.reply = reply;
    }

    SmtpSyntaxException(int code, String enhanced, String text) {
        this(Reply.of(code, enhanced, text));
    }

    public Reply reply() {
        return reply;
    }
}
