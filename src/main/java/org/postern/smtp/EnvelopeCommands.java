package org.postern.smtp;

import java.io.IOException;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The commands that set up a session and a transaction: HELO/EHLO, STARTTLS, MAIL, RCPT, RSET. Each checks the
 * order RFC 5321 §4.1.4 requires before it asks the handler, and changes session state only after the answer.
 */
final class EnvelopeCommands {

    private static final Logger LOG = LoggerFactory.getLogger(EnvelopeCommands.class);

    private final SmtpSession session;
    private final SessionState state;
    private final Supplier<Optional<ServerTls>> tls;
    /** Set when the supplier failed: TLS is configured but not available right now (454 rather than 502). */
    private boolean tlsConfigured;

    EnvelopeCommands(SmtpSession session, Supplier<Optional<ServerTls>> tls) {
        this.session = session;
        this.state = session.state();
        this.tls = tls;
    }

    /**
     * RFC 5321 §4.1.4: a later EHLO resets the session "exactly as if a RSET command had been issued". A positive
     * handler answer is replaced by the reply whose shape §4.1.1.1 fixes: our domain, then the keywords.
     */
    void hello(Command.Hello hello) {
        reset("new " + hello.verb());
        state.forgetHelo();
        Reply answer = session.ask("helo", () -> session.handler().helo(hello.helo()));
        if (!answer.isPositive()) {
            session.answer(answer);
            return;
        }
        state.helo(hello.helo());
        String hostname = session.settings().hostname();
        session.reply(hello.verb() == Verb.EHLO
                ? ProtocolReplies.ehloAccepted(hostname, session.settings().maxMessageSize(), offerStartTls(), session.authAdvertised(),
                        offerRequireTls())
                : ProtocolReplies.heloAccepted(hostname));
    }

    /**
     * RFC 8689 §4.1: under TLS only, and on a listener that offers AUTH (submission), whose outbound delivery
     * honours it — before and after the client authenticated.
     */
    private boolean offerRequireTls() {
        return session.connection().tlsActive() && session.handler().offersAuth();
    }

    /** RFC 3207 §4: STARTTLS is offered only when we have TLS and it is not active yet. */
    private boolean offerStartTls() {
        return !session.connection().tlsActive() && serverTls().isPresent();
    }

    void mail(Command.Mail command) {
        MailFrom mailFrom = command.mailFrom();
        SmtpSettings settings = session.settings();
        if (state.transaction().isPresent()) {
            session.refuse("MAIL", ProtocolReplies.nestedMail());
        } else if (command.nonAscii() && !mailFrom.smtpUtf8()) {
            session.refuse("MAIL", ProtocolReplies.nonAsciiSender());
        } else if (mailFrom.requireTls() && !session.connection().tlsActive()) {
            session.refuse("MAIL", ProtocolReplies.requireTlsNeedsTls());
        } else if (mailFrom.requireTls() && !offerRequireTls()) {
            session.refuse("MAIL", ProtocolReplies.unsupportedParameter("REQUIRETLS"));   // the MX listener: inbound delivery does not promise it
        } else if (mailFrom.parameters().containsKey("AUTH") && !session.handler().offersAuth()) {
            // RFC 5321 §4.1.1.11: a parameter of an extension this listener does not offer.
            session.refuse("MAIL", ProtocolReplies.unsupportedParameter("AUTH"));
        } else if (mailFrom.declaredSize().orElse(0) > settings.maxMessageSize()) {
            // RFC 1870 §6.1: refuse at MAIL what is announced too large, before any content is sent.
            session.refuse("MAIL", ProtocolReplies.declaredSizeTooLarge());
        } else if (state.transactions() >= settings.maxTransactions()) {
            session.refuse("MAIL", ProtocolReplies.tooManyTransactions(settings.hostname()));
            session.close(CloseReason.TOO_MANY_TRANSACTIONS);
        } else {
            if (state.handlerHasTransaction()) session.tell("reset", () -> session.handler().reset());
            state.handlerHasTransaction(true);
            Reply answer = session.ask("mailFrom", () -> session.handler().mailFrom(mailFrom));
            session.answer(answer);
            if (answer.isPositive()) state.begin(new Transaction(mailFrom));
        }
    }

    void rcpt(Command.Rcpt command) {
        Optional<Transaction> transaction = state.transaction();
        if (transaction.isEmpty()) {
            session.refuse("RCPT", ProtocolReplies.needMail());
        } else if (transaction.get().usedChunking()) {
            session.refuse("RCPT", ProtocolReplies.rcptAfterBdat());
        } else if (command.nonAscii() && !transaction.get().smtpUtf8()) {
            session.refuse("RCPT", ProtocolReplies.nonAsciiRecipient());
        } else {
            Reply answer = session.ask("rcptTo", () -> session.handler().rcptTo(command.rcptTo()));
            session.answer(answer);
            transaction.get().recipientTried(answer.isPositive());
        }
    }

    void rset() {
        reset("RSET");
        session.reply(ProtocolReplies.ok());
    }

    /** Forgets the transaction (aborting a BDAT message in progress) and tells the handler (RFC 5321 §4.1.1.5). */
    private void reset(String why) {
        state.transaction().ifPresent(t -> t.abandon(why));
        state.endTransaction();
        state.handlerHasTransaction(false);
        session.tell("reset", () -> session.handler().reset());
    }

    /**
     * RFC 3207. After our 220 the connection switches to TLS; plaintext the client pipelined after STARTTLS is
     * discarded (CVE-2011-0411), and everything learned before, the EHLO name included, is forgotten (§4.2):
     * the client must EHLO again. A failed handshake ends the session quietly: there is no channel left to
     * reply on.
     */
    void startTls() throws IOException {
        Optional<ServerTls> serverTls = serverTls();
        if (session.connection().tlsActive()) {
            session.refuse("STARTTLS", ProtocolReplies.tlsAlreadyActive());
        } else if (serverTls.isEmpty()) {
            session.refuse("STARTTLS", tlsConfigured ? ProtocolReplies.tlsUnavailable()
                    : ProtocolReplies.notImplemented(Verb.STARTTLS));
        } else if (state.transaction().isPresent()) {
            session.refuse("STARTTLS", ProtocolReplies.transactionInProgress());
        } else {
            session.reply(ProtocolReplies.readyForTls());
            session.connection().writer().flush();
            int discarded;
            try {
                discarded = session.connection().startTls(serverTls.get(), session.settings().commandTimeout());
            } catch (IOException e) {
                LOG.debug("TLS handshake failed: {}", e.toString());
                session.close(CloseReason.TLS_FAILED);
                return;
            }
            if (discarded > 0) LOG.debug("discarded {} plaintext octets pipelined after STARTTLS", discarded);
            reset("STARTTLS");
            state.forgetHelo();
            TlsInfo info = serverTls.get().describe(session.connection().tlsSocket());
            session.tell("tlsEstablished", () -> session.handler().tlsEstablished(info));
        }
    }

    /**
     * Implicit TLS (RFC 8314 §3.3, the "submissions" port): the handshake before the greeting. Empty when it failed
     * or no TLS is configured; the session then ends quietly.
     */
    Optional<TlsInfo> implicitTls() {
        Optional<ServerTls> serverTls = serverTls();
        if (serverTls.isEmpty()) return Optional.empty();
        try {
            session.connection().startTls(serverTls.get(), session.settings().commandTimeout());
        } catch (IOException e) {
            LOG.debug("implicit TLS handshake failed: {}", e.toString());
            return Optional.empty();
        }
        return Optional.of(serverTls.get().describe(session.connection().tlsSocket()));
    }

    private Optional<ServerTls> serverTls() {
        try {
            return tls.get();
        } catch (RuntimeException e) {
            LOG.warn("TLS is not available: {}", e.toString());
            tlsConfigured = true;
            return Optional.empty();
        }
    }
}
