package org.postern.smtp;

/**
 * What an SMTP session asks its owner at each phase. The SMTP layer knows no tenant and no policy:
 * it parses, enforces protocol order and limits, and writes the replies it is given.
 *
 * <p>Every method that returns a {@link Reply} answers the command it is named after. A reply with
 * code 421 makes the session close the connection after writing it.</p>
 */
public interface SessionHandler {

    /** The banner to send, or a refusal (554 at greeting: the session then accepts only QUIT). */
    Reply connect(ConnectionInfo connection);

    /**
     * HELO/EHLO. A refusal is written as given; a positive reply is replaced by the standard one (our hostname,
     * then the EHLO keywords), whose shape RFC 5321 §4.1.1.1 fixes.
     */
    Reply helo(HeloInfo helo);

    /**
     * TLS is up; evidence only. RFC 3207 §4.2: everything learned before (the HELO name included) must be
     * forgotten; the client will send EHLO again.
     */
    void tlsEstablished(TlsInfo tls);

    /**
     * Whether this listener offers SMTP AUTH (RFC 4954). The session advertises it, and accepts AUTH, only once TLS
     * protects the connection (STARTTLS or implicit TLS); before that AUTH gets {@code 530 5.7.0}.
     */
    default boolean offersAuth() { return false; }

    /**
     * AUTH PLAIN or LOGIN: the credentials the client sent, decoded. Answers {@code 235 2.7.0} for a user it
     * accepts (the session is then authenticated as {@code user}) or a refusal ({@code 535 5.7.8} bad credentials,
     * {@code 454 4.7.0} while locked out). The password must never be logged.
     */
    default Reply authenticate(String mechanism, String user, String password) {
        return Reply.of(502, "5.5.1", "Error: AUTH not implemented");
    }

    Reply mailFrom(MailFrom mailFrom);

    Reply rcptTo(RcptTo rcptTo);

    /**
     * Called before the 354 to DATA / before the first BDAT chunk; a refusal here ends the transaction. A positive
     * reply is not written: the session answers DATA with its own 354, and BDAT with the chunk's reply.
     */
    Reply dataStart();

    /** A sink for this transaction's content; called after a positive {@link #dataStart()}. */
    MessageSink openMessage();

    /** RSET, a new MAIL after end of data, or HELO/EHLO: forget the current transaction. */
    void reset();

    /** A protocol-level refusal the session made on its own (syntax, sequence, limits), for the trace. */
    default void protocolRefusal(String command, Reply reply) { }

    /**
     * The client sent {@code octets} octets during the greet pause, before our banner (RFC 5321 §4.3.1: it must wait
     * for the greeting). Answers the refusal to send; the session then closes the connection.
     */
    default Reply earlyTalker(int octets, java.time.Duration pause) {
        return Reply.of(554, "5.7.1", "Protocol error: talking before the greeting");
    }

    /**
     * The listener takes the PROXY protocol and this connection's header was missing or garbled, or came from a peer
     * that is not a trusted proxy ({@code why} says which). {@code peer} names the connection's own peer, since the
     * client behind it is unknown. Answers the refusal to send; the connection is then closed. {@link #connect} is
     * not called for such a connection.
     */
    default Reply proxyRefused(ConnectionInfo peer, String why) {
        return Reply.of(554, "5.7.1", "Service unavailable; PROXY protocol header refused");
    }

    /** The connection ended (QUIT, timeout, drop); {@code reason} says which. */
    void closed(String reason);

    /**
     * A reference id the session may put on refusals it makes itself ("[ref=...]"), so the trace finds them.
     * Unlike the other methods it may be called from another thread (the server's shutdown), so it should be a
     * plain getter.
     */
    String reference();
}
