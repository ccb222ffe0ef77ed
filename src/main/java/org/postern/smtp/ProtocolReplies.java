package org.postern.smtp;

import java.util.ArrayList;
import java.util.List;

/**
 * Every reply the session writes on its own, in one catalogue, so wording and codes are reviewed in one place.
 * Handler replies are written as given. Refusals here get the session's {@code [ref=...]} added by the session.
 * Codes: RFC 5321 §4.2.2/§4.2.3, enhanced codes RFC 3463 (registry RFC 5248).
 */
final class ProtocolReplies {

    private ProtocolReplies() {
    }

    // --- positive ----------------------------------------------------------------------------------------------

    static Reply ok() { return Reply.of(250, "2.0.0", "Ok"); }

    /** RFC 5321 §3.5.3: VRFY need not verify; 252 says the message will be tried. */
    static Reply cannotVerify() {
        return Reply.of(252, "2.5.0", "Cannot VRFY user, but will accept message and attempt delivery");
    }

    static Reply help() {
        return Reply.of(214, "2.0.0", "Commands: EHLO HELO MAIL RCPT DATA BDAT RSET NOOP QUIT VRFY HELP STARTTLS AUTH");
    }

    static Reply bye() { return Reply.of(221, "2.0.0", "Bye"); }

    /** RFC 5321 §4.2: 354 has no enhanced code (RFC 2034 applies to 2xx, 4xx and 5xx). */
    static Reply startData() { return Reply.of(354, "", "End data with <CR><LF>.<CR><LF>"); }

    static Reply chunkReceived(long octets) { return Reply.of(250, "2.0.0", "Ok: " + octets + " octets received"); }

    /** RFC 3207 §4. */
    static Reply readyForTls() { return Reply.of(220, "2.0.0", "Ready to start TLS"); }

    /** RFC 5321 §4.1.1.1 fixes the shape of a positive HELO reply: the server's domain comes first. */
    static Reply heloAccepted(String hostname) { return Reply.of(250, "", hostname); }

    /** The EHLO reply: our domain, then one extension keyword per line (RFC 5321 §4.1.1.1). */
    static Reply ehloAccepted(String hostname, long maxMessageSize, boolean offerStartTls) {
        return ehloAccepted(hostname, maxMessageSize, offerStartTls, false);
    }

    /** @param offerAuth RFC 4954 §3: "AUTH" with the mechanisms, only where they may be used (under TLS) */
    static Reply ehloAccepted(String hostname, long maxMessageSize, boolean offerStartTls, boolean offerAuth) {
        return ehloAccepted(hostname, maxMessageSize, offerStartTls, offerAuth, false);
    }

    /** @param offerRequireTls RFC 8689 §4.1: REQUIRETLS, only over TLS (submission: where outbound delivery honours it) */
    static Reply ehloAccepted(String hostname, long maxMessageSize, boolean offerStartTls, boolean offerAuth, boolean offerRequireTls) {
        List<String> lines = new ArrayList<>();
        lines.add(hostname);
        lines.add("PIPELINING");                // RFC 2920
        lines.add("SIZE " + maxMessageSize);    // RFC 1870
        if (offerStartTls) lines.add("STARTTLS"); // RFC 3207 §4: not once TLS is active
        if (offerAuth) lines.add("AUTH PLAIN LOGIN");
        lines.add("ENHANCEDSTATUSCODES");       // RFC 2034
        lines.add("8BITMIME");                  // RFC 6152
        lines.add("SMTPUTF8");                  // RFC 6531
        lines.add("CHUNKING");                  // RFC 3030
        if (offerRequireTls) lines.add("REQUIRETLS");   // RFC 8689
        return new Reply(250, "", lines);
    }

    /** RFC 8689 §4.1 and §5: REQUIRETLS asked for on a connection without TLS. */
    static Reply requireTlsNeedsTls() { return Reply.of(530, "5.7.10", "REQUIRETLS needs a TLS session"); }

    // --- AUTH (RFC 4954 §4 and §6) -------------------------------------------------------------------------------

    /** RFC 4954 §6 / RFC 3207 §4: a plaintext password mechanism before TLS. */
    static Reply authNeedsTls() { return Reply.of(530, "5.7.0", "Must issue a STARTTLS command first"); }

    /** RFC 4954 §4: AUTH is not permitted once the session is authenticated. */
    static Reply alreadyAuthenticated() { return Reply.of(503, "5.5.1", "Error: already authenticated"); }

    /**
     * RFC 4954 §5: MAIL's AUTH= names who submitted the message originally; Postern ignores it (the session's own
     * AUTH is what counts). Where AUTH is not offered it is an unsupported parameter.
     */
    static Reply unsupportedParameter(String keyword) { return Reply.of(555, "5.5.4", "Unsupported parameter " + keyword); }

    static Reply unknownAuthMechanism() { return Reply.of(504, "5.5.4", "Unrecognized authentication type; use PLAIN or LOGIN"); }

    static Reply authCancelled() { return Reply.of(501, "5.0.0", "Authentication cancelled"); }

    static Reply badAuthEncoding() { return Reply.of(501, "5.5.2", "Cannot decode the authentication response"); }

    static Reply authLineTooLong() { return Reply.of(500, "5.5.6", "Authentication exchange line is too long"); }

    static Reply authorizationIdentityRefused() {
        return Reply.of(535, "5.7.8", "Authentication credentials invalid: authorization identity not allowed");
    }

    // --- sequence (RFC 5321 §4.1.4, 503) ----------------------------------------------------------------------

    static Reply needHelo() { return Reply.of(503, "5.5.1", "Error: send HELO/EHLO first"); }
    static Reply needMail() { return Reply.of(503, "5.5.1", "Error: need MAIL command"); }
    static Reply needRcpt() { return Reply.of(503, "5.5.1", "Error: need RCPT command"); }
    static Reply nestedMail() { return Reply.of(503, "5.5.1", "Error: nested MAIL command"); }
    static Reply dataAfterBdat() { return Reply.of(503, "5.5.1", "Error: DATA after BDAT"); }
    static Reply rcptAfterBdat() { return Reply.of(503, "5.5.1", "Error: RCPT after BDAT"); }
    static Reply bdatAfterFailure() { return Reply.of(503, "5.5.1", "Error: BDAT after a failed BDAT; send RSET"); }
    static Reply tlsAlreadyActive() { return Reply.of(503, "5.5.1", "Error: TLS already active"); }
    static Reply transactionInProgress() { return Reply.of(503, "5.5.1", "Error: MAIL transaction in progress"); }

    /** RFC 5321 §3.1: after a 554 greeting the server waits for QUIT and answers 503 to anything else. */
    static Reply onlyQuit() { return Reply.of(503, "5.5.1", "Error: only QUIT is accepted on this connection"); }

    /** RFC 5321 §3.3: DATA when every RCPT was refused. */
    static Reply noValidRecipients() { return Reply.of(554, "5.5.1", "Error: no valid recipients"); }

    // --- syntax and features --------------------------------------------------------------------------------

    /** RFC 5321 §4.5.3.1.9 example reply for an over-long command line. */
    static Reply lineTooLong() { return Reply.of(500, "5.5.2", "Error: line too long"); }

    /** RFC 5321 §2.3.8: lines end in CRLF. */
    static Reply bareLfInCommand() { return Reply.of(500, "5.5.2", "Error: bare <LF> received; lines end in CRLF"); }

    static Reply notImplemented(Verb verb) { return Reply.of(502, "5.5.1", "Error: " + verb + " not implemented"); }

    static Reply crossProtocol() {
        return Reply.of(221, "2.7.0", "Error: this is an SMTP server, not an HTTP server or proxy; goodbye");
    }

    /** RFC 6531 §3.5: 550 for MAIL, 553 for RCPT, with X.6.7 (RFC 5248). */
    static Reply nonAsciiSender() {
        return Reply.of(550, "5.6.7", "Non-ASCII sender address requires the SMTPUTF8 parameter");
    }

    static Reply nonAsciiRecipient() {
        return Reply.of(553, "5.6.7", "Non-ASCII recipient address requires SMTPUTF8 in MAIL");
    }

    // --- limits ----------------------------------------------------------------------------------------------

    /** RFC 1870 §6.1: SIZE over the fixed maximum. */
    static Reply declaredSizeTooLarge() {
        return Reply.of(552, "5.3.4", "Message size exceeds fixed maximum message size");
    }

    static Reply messageTooLarge() {
        return Reply.of(552, "5.3.4", "Message size exceeds fixed maximum message size");
    }

    /** RFC 5321 §4.5.3.1.9: "552 Too much mail data" covers a content line past our hard cap. */
    static Reply contentLineTooLong(int max) {
        return Reply.of(552, "5.3.4", "Message has a line longer than " + max + " octets");
    }

    static Reply tooManyErrors(String hostname) {
        return Reply.of(421, "4.7.0", hostname + " Error: too many errors");
    }

    static Reply tooManyCommands(String hostname) {
        return Reply.of(421, "4.7.0", hostname + " Error: too many commands");
    }

    static Reply tooManyTransactions(String hostname) {
        return Reply.of(421, "4.7.0", hostname + " Error: too many messages in one session");
    }

    static Reply timeout(String hostname) { return Reply.of(421, "4.4.2", hostname + " Error: timeout exceeded"); }

    static Reply shuttingDown(String hostname) {
        return Reply.of(421, "4.3.2", hostname + " Service shutting down, closing connection");
    }

    // --- content ---------------------------------------------------------------------------------------------

    /** INTERFACES §5, Postfix {@code smtpd_forbid_bare_newline}: a bare LF in DATA ends the session. */
    static Reply bareLfInData() { return Reply.of(521, "5.5.2", "Error: bare <LF> received, closing"); }

    /** Bare LF in BDAT content: refused at BDAT LAST, since it may later be relayed with DATA. */
    static Reply bareLfInChunk() { return Reply.of(554, "5.6.0", "Message contains a bare <LF>"); }

    static Reply malformedEndOfData() { return Reply.of(554, "5.6.0", "Malformed end of data"); }

    /** {@code CR . CR} or a dot line ended by a bare CR inside BDAT content: a DATA end for lenient servers. */
    static Reply bareCrDotInChunk() { return Reply.of(554, "5.6.0", "Message contains a dot next to a bare <CR>"); }

    // --- local failures --------------------------------------------------------------------------------------

    static Reply storageFailed() { return Reply.of(451, "4.3.0", "Error: temporary storage failure, try again later"); }

    static Reply internalError() { return Reply.of(451, "4.3.0", "Error: internal error, try again later"); }

    static Reply internalErrorClosing(String hostname) {
        return Reply.of(421, "4.3.0", hostname + " Error: internal error, closing connection");
    }

    static Reply tlsUnavailable() { return Reply.of(454, "4.7.0", "TLS not available due to temporary reason"); }
}
