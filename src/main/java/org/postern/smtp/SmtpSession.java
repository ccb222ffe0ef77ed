package org.postern.smtp;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection, on its own virtual thread: greeting, the command loop, the session's limits, and the
 * plumbing every command shares — refusals with {@code [ref=...]}, the error count, closing. The verbs themselves
 * are in {@link EnvelopeCommands} (HELO/EHLO, MAIL, RCPT, RSET, STARTTLS) and {@link MessageCommands} (DATA, BDAT).
 *
 * <p>Security stance: the session trusts no octet. Lines are bytes until parsed; replies go out only in order;
 * input that could desynchronise client and server (bare LF in DATA, plaintext after STARTTLS) ends the
 * conversation or is thrown away. The client's mistakes are logged at DEBUG, never with stack traces.</p>
 */
final class SmtpSession implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(SmtpSession.class);
    private static final Duration LINGER = Duration.ofMillis(200);

    private final SmtpSettings settings;
    private final SessionHandler handler;
    private final HandlerCalls calls;
    private final ConnectionInfo connectionInfo;
    private final SmtpConnection connection;
    private final SessionState state = new SessionState();
    private final EnvelopeCommands envelope;
    private final MessageCommands message;
    private final AuthCommand auth;
    private final boolean implicitTls;
    private final long startedNanos = System.nanoTime();
    private CloseReason closing;
    private volatile boolean shutdownRequested;
    private volatile boolean idle;
    private volatile boolean writeStalled;

    SmtpSession(SmtpSettings settings, SessionHandler handler, ConnectionInfo connectionInfo,
                SmtpConnection connection, Supplier<Optional<ServerTls>> tls) {
        this(settings, handler, connectionInfo, connection, tls, false);
    }

    /** @param implicitTls the TLS handshake comes before the greeting (RFC 8314 §3.3) */
    SmtpSession(SmtpSettings settings, SessionHandler handler, ConnectionInfo connectionInfo,
                SmtpConnection connection, Supplier<Optional<ServerTls>> tls, boolean implicitTls) {
        this.settings = settings;
        this.handler = handler;
        this.calls = new HandlerCalls(handler, connectionInfo.sessionId());
        this.connectionInfo = connectionInfo;
        this.connection = connection;
        this.envelope = new EnvelopeCommands(this, tls);
        this.message = new MessageCommands(this);
        this.auth = new AuthCommand(this);
        this.implicitTls = implicitTls;
    }

    @Override
    public void run() {
        CloseReason reason = CloseReason.INTERNAL_ERROR;
        try {
            reason = converse();
            connection.writer().flush();
        } catch (SocketTimeoutException e) {
            reason = CloseReason.TIMEOUT;
            sendLastWords(calls.refusal("TIMEOUT", ProtocolReplies.timeout(settings.hostname())));
        } catch (IOException e) {
            reason = shutdownRequested ? CloseReason.SHUTDOWN
                    : writeStalled ? CloseReason.WRITE_STALLED : CloseReason.DISCONNECTED;
            LOG.debug("session {}: connection ended: {}", connectionInfo.sessionId(), e.toString());
        } catch (RuntimeException e) {
            LOG.warn("session {}: internal error", connectionInfo.sessionId(), e);
            sendLastWords(calls.refusal("INTERNAL", ProtocolReplies.internalErrorClosing(settings.hostname())));
        } finally {
            end(reason);
        }
    }

    private CloseReason converse() throws IOException {
        // RFC 8314 §3.3: on an implicit-TLS port the handshake comes first, before any SMTP.
        Optional<TlsInfo> implicit = Optional.empty();
        if (implicitTls) {
            implicit = envelope.implicitTls();
            if (implicit.isEmpty()) return CloseReason.TLS_FAILED;
        }
        Reply greeting = ask("connect", () -> handler.connect(connectionInfo));
        implicit.ifPresent(info -> tell("tlsEstablished", () -> handler.tlsEstablished(info)));
        if (greeting.isPositive() && !settings.greetPause().isZero()) {
            int early = connection.octetsBeforeGreeting(settings.greetPause());
            if (early > 0) {
                connection.writer().send(ask("earlyTalker", () -> handler.earlyTalker(early, settings.greetPause())));
                return CloseReason.EARLY_TALKER;
            }
        }
        connection.writer().send(greeting);
        if (greeting.code() == 421) return CloseReason.HANDLER_CLOSED;
        // RFC 5321 §3.1: after a 554 greeting, wait for QUIT and answer 503 to anything else.
        state.refuseAllButQuit(!greeting.isPositive());
        while (closing == null) {
            if (shutdownRequested && state.transaction().isEmpty()) {
                refuse("SHUTDOWN", ProtocolReplies.shuttingDown(settings.hostname()));
                return CloseReason.SHUTDOWN;
            }
            if (state.errors() >= settings.maxErrors()) {
                refuse("LIMIT", ProtocolReplies.tooManyErrors(settings.hostname()));
                return CloseReason.TOO_MANY_ERRORS;
            }
            connection.readTimeout(settings.commandTimeout());
            SmtpInput.Line line = readCommandLine();
            if (state.countCommand() > settings.maxCommands()) {
                refuse("LIMIT", ProtocolReplies.tooManyCommands(settings.hostname()));
                return CloseReason.TOO_MANY_COMMANDS;
            }
            Optional<Verb> verb = handleLine(line);
            // RFC 2920 §3.1: the last command of a group gets its replies now, even if more input is buffered.
            if (verb.map(Verb::endsGroup).orElse(false)) connection.writer().flush();
        }
        return closing;
    }

    /** Reads the next line; while waiting with nothing in progress, a shutdown may answer 421 for us. */
    private SmtpInput.Line readCommandLine() throws IOException {
        connection.writer().flush();
        idle = state.transaction().isEmpty() && connection.input().buffered() == 0;
        try {
            return connection.input().readLine(settings.maxCommandLineLength());
        } finally {
            idle = false;
        }
    }

    private Optional<Verb> handleLine(SmtpInput.Line line) throws IOException {
        switch (line.ending()) {
            case TOO_LONG -> {
                refuse("LINE", ProtocolReplies.lineTooLong());
                return Optional.empty();
            }
            case BARE_LF -> {
                refuse(label(line.bytes()), ProtocolReplies.bareLfInCommand());
                return Optional.empty();
            }
            case CRLF -> { }
        }
        Command command;
        try {
            command = CommandParser.parse(line.bytes());
        } catch (SmtpSyntaxException e) {
            refuse(label(line.bytes()), e.reply());
            return Optional.empty();
        }
        dispatch(command);
        return Optional.of(command.verb());
    }

    private void dispatch(Command command) throws IOException {
        Verb verb = command.verb();
        if (state.refusingAllButQuit() && verb != Verb.QUIT) {
            if (command instanceof Command.Bdat bdat) ChunkReader.skip(connection.input(), bdat.size());
            refuse(verb.name(), ProtocolReplies.onlyQuit());
            return;
        }
        if (verb.crossProtocol()) {
            refuse(verb.name(), ProtocolReplies.crossProtocol());
            close(CloseReason.CROSS_PROTOCOL);
            return;
        }
        if (!verb.allowedBeforeHelo() && state.helo().isEmpty()) {
            if (command instanceof Command.Bdat bdat) ChunkReader.skip(connection.input(), bdat.size());
            refuse(verb.name(), ProtocolReplies.needHelo());
            return;
        }
        switch (command) {
            case Command.Hello hello -> envelope.hello(hello);
            case Command.Mail mail -> envelope.mail(mail);
            case Command.Rcpt rcpt -> envelope.rcpt(rcpt);
            case Command.Bdat bdat -> message.bdat(bdat);
            case Command.Auth a -> auth.auth(a);
            case Command.Simple simple -> simple(simple.verb());
        }
    }

    private void simple(Verb verb) throws IOException {
        switch (verb) {
            case DATA -> message.data();
            case RSET -> envelope.rset();
            case STARTTLS -> envelope.startTls();
            case NOOP -> reply(ProtocolReplies.ok());
            case VRFY -> reply(ProtocolReplies.cannotVerify());
            case HELP -> reply(ProtocolReplies.help());
            case QUIT -> {
                reply(ProtocolReplies.bye());
                close(CloseReason.QUIT);
            }
            case EXPN -> refuse(verb.name(), ProtocolReplies.notImplemented(verb));
            default -> throw new IllegalStateException("no simple handling for " + verb);
        }
    }

    // --- what the command classes share ----------------------------------------------------------------------

    SmtpSettings settings() { return settings; }
    SessionHandler handler() { return handler; }
    SmtpConnection connection() { return connection; }
    SessionState state() { return state; }
    boolean authAdvertised() { return auth.advertised(); }

    /** Queues a positive reply the session makes itself. */
    void reply(Reply reply) {
        connection.writer().queue(reply);
    }

    /** Queues a refusal the session makes itself: with its reference, reported to the handler, counted. */
    void refuse(String command, Reply reply) {
        connection.writer().queue(calls.refusal(command, reply));
        state.countError();
    }

    /** Queues the handler's answer as given; refusals count as errors, and a 421 ends the session. */
    void answer(Reply reply) {
        connection.writer().queue(reply);
        if (!reply.isPositive()) state.countError();
        if (reply.code() == 421) close(CloseReason.HANDLER_CLOSED);
    }

    void close(CloseReason reason) {
        if (closing == null) closing = reason;
    }

    /** Asks the handler; a failure there becomes a temporary refusal (see {@link HandlerCalls}). */
    Reply ask(String what, Supplier<Reply> call) {
        return calls.ask(what, call, what.equals("connect")
                ? ProtocolReplies.internalErrorClosing(settings.hostname()) : ProtocolReplies.internalError());
    }

    /** Runs a handler notification that has no reply; a failure is logged and ignored. */
    void tell(String what, Runnable call) {
        calls.tell(what, call);
    }

    /** The verb of an unparsable line, for the trace, or UNKNOWN; never the raw (possibly hostile) text. */
    private static String label(byte[] line) {
        int end = 0;
        while (end < line.length && end < 16 && line[end] != ' ') end++;
        return Verb.lookup(new String(line, 0, end, StandardCharsets.ISO_8859_1)).map(Verb::name).orElse("UNKNOWN");
    }

    // --- ending -----------------------------------------------------------------------------------------------

    private void sendLastWords(Reply reply) {
        try {
            connection.writer().send(reply);
        } catch (IOException e) {
            LOG.debug("session {}: could not send {}: {}", connectionInfo.sessionId(), reply.code(), e.toString());
        }
    }

    private void end(CloseReason reason) {
        state.transaction().ifPresent(t -> t.abandon("session ended: " + reason.label()));
        if (reason.lastReplySent()) lingerBeforeClose();
        connection.closeQuietly();
        tell("closed", () -> handler.closed(reason.label()));
        LOG.info("session {} client={}:{} end={} commands={} messages={} errors={} tls={} ms={}",
                connectionInfo.sessionId(), connectionInfo.clientAddress().getHostAddress(),
                connectionInfo.clientPort(), reason.label(), state.commands(), state.messages(),
                state.errorsTotal(), connection.tlsActive(), Duration.ofNanos(System.nanoTime() - startedNanos).toMillis());
    }

    /**
     * Closing a socket with unread input makes TCP send RST, which can destroy our last reply before the client
     * reads it. So: half-close, then read and drop what is still arriving, briefly.
     */
    private void lingerBeforeClose() {
        try {
            connection.writer().flush();
            connection.lingerAndDrain(LINGER);
        } catch (IOException | RuntimeException e) {
            LOG.trace("linger: {}", e.toString());
        }
    }

    // --- called by the server from other threads -------------------------------------------------------------

    /**
     * Graceful shutdown: an idle session (waiting for a command, no transaction) gets 421 now; a busy one
     * finishes its transaction and gets 421 before its next command.
     */
    void requestShutdown() {
        shutdownRequested = true;
        ReplyWriter writer = connection.writer();
        writer.exclusively(() -> {
            if (!idle) return;
            writer.queue(calls.withReference(ProtocolReplies.shuttingDown(settings.hostname())));
            try {
                writer.flush();
            } catch (IOException e) {
                LOG.trace("shutdown reply: {}", e.toString());
            }
            connection.closeQuietly();
        });
    }

    /** After the grace period: close whatever the session is doing. */
    void forceClose() {
        shutdownRequested = true;
        connection.closeQuietly();
    }

    /** Java sockets have no write timeout; the server's watchdog calls this to end a write blocked too long. */
    void closeIfWriteStalled(long nowNanos) {
        if (connection.writer().blockedWriteNanos(nowNanos) > settings.commandTimeout().toNanos()) {
            writeStalled = true;
            connection.closeQuietly();
        }
    }
}
