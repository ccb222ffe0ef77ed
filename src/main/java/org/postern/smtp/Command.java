package org.postern.smtp;

/** A syntactically valid command line, as {@link CommandParser} hands it to the session. */
sealed interface Command {

    Verb verb();

    /** HELO or EHLO with the client's name (RFC 5321 §4.1.1.1). */
    record Hello(Verb verb, HeloInfo helo) implements Command {
    }

    /**
     * MAIL FROM. {@code nonAscii} says the path holds UTF-8; the session refuses that unless the same command
     * carries SMTPUTF8 (RFC 6531 §3.4).
     */
    record Mail(MailFrom mailFrom, boolean nonAscii) implements Command {
        @Override public Verb verb() { return Verb.MAIL; }
    }

    /** RCPT TO. {@code nonAscii}: allowed only in a transaction whose MAIL carried SMTPUTF8 (RFC 6531 §3.4). */
    record Rcpt(RcptTo rcptTo, boolean nonAscii) implements Command {
        @Override public Verb verb() { return Verb.RCPT; }
    }

    /** BDAT with the exact chunk size in octets and the LAST marker (RFC 3030 §2). */
    record Bdat(long size, boolean last) implements Command {
        @Override public Verb verb() { return Verb.BDAT; }
    }

    /**
     * AUTH with its SASL mechanism (upper-cased) and the initial response when the client sent one (RFC 4954 §4;
     * "=" stands for an empty one). The response carries credentials: it is never logged or traced.
     */
    record Auth(String mechanism, java.util.Optional<String> initialResponse) implements Command {
        @Override public Verb verb() { return Verb.AUTH; }
        @Override public String toString() { return "Auth[" + mechanism + "]"; }
    }

    /** Every other verb: its arguments, if any, were checked and carry nothing the session needs. */
    record Simple(Verb verb) implements Command {
    }
}
