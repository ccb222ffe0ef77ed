package org.postern.smtp;

import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DATA (RFC 5321 §4.1.1.4) and BDAT (RFC 3030): content streams into the handler's {@link MessageSink} and the
 * sink's answer is the one reply to the end of data. Whatever happens, the sink hears exactly one of complete or
 * abort, and after the end of data the transaction is over.
 */
final class MessageCommands {

    private static final Logger LOG = LoggerFactory.getLogger(MessageCommands.class);

    private final SmtpSession session;
    private final SessionState state;

    MessageCommands(SmtpSession session) {
        this.session = session;
        this.state = session.state();
    }

    void data() throws IOException {
        Optional<Reply> refusal = sequenceRefusal(Verb.DATA);
        if (refusal.isPresent()) {
            session.refuse("DATA", refusal.get());
            return;
        }
        Optional<MessageSink> opened = open();
        if (opened.isEmpty()) return;
        MessageSink sink = opened.get();
        SmtpSettings settings = session.settings();
        session.reply(ProtocolReplies.startData());
        session.connection().writer().flush();
        session.connection().readTimeout(settings.dataInitiationTimeout());
        ContentGuard guard = new ContentGuard(settings.maxDataLineLength());
        ContentWriter writer = new ContentWriter(sink, settings.maxMessageSize());
        DotStuffedReader.Outcome outcome;
        try {
            outcome = DotStuffedReader.read(session.connection().input(), guard, writer, this::dataBlockTimeout);
        } catch (IOException e) {
            abort(sink, e instanceof SocketTimeoutException ? "timeout during DATA" : "client vanished during DATA");
            throw e;
        }
        if (outcome == DotStuffedReader.Outcome.BARE_LF) {
            // Stop here: what follows may be smuggled commands. Reply and close without reading it.
            abort(sink, "bare LF in DATA");
            session.refuse("DATA", ProtocolReplies.bareLfInData());
            session.close(CloseReason.BARE_LF);
            return;
        }
        finish(Verb.DATA, sink, writer, guard);
    }

    void bdat(Command.Bdat chunk) throws IOException {
        session.connection().readTimeout(session.settings().dataBlockTimeout());
        Optional<Reply> refusal = sequenceRefusal(Verb.BDAT);
        if (refusal.isPresent()) {
            // RFC 3030 §2: a refused chunk is still read, or its octets would be taken for commands.
            ChunkReader.skip(session.connection().input(), chunk.size());
            session.refuse("BDAT", refusal.get());
            return;
        }
        Transaction transaction = state.transaction().orElseThrow();
        if (transaction.chunked().isEmpty()) {
            Optional<MessageSink> sink = open();
            if (sink.isEmpty()) {
                ChunkReader.skip(session.connection().input(), chunk.size());
                return;
            }
            SmtpSettings settings = session.settings();
            transaction.startChunking(new Transaction.Chunked(sink.get(),
                    new ContentWriter(sink.get(), settings.maxMessageSize()),
                    new ContentGuard(settings.maxDataLineLength())));
        }
        Transaction.Chunked message = transaction.chunked().orElseThrow();
        ChunkReader.transfer(session.connection().input(), chunk.size(), message.guard(), message.writer());
        Optional<Reply> failed = chunkRefusal(message);
        if (failed.isPresent()) {
            transaction.failChunking("BDAT refused: " + failed.get().text());
            session.refuse("BDAT", failed.get());
        } else if (!chunk.last()) {
            session.reply(ProtocolReplies.chunkReceived(chunk.size()));
        } else {
            message.guard().end();
            transaction.finishChunking();
            finish(Verb.BDAT, message.sink(), message.writer(), message.guard());
        }
    }

    /** Order checks shared by DATA and BDAT (RFC 5321 §3.3, RFC 3030 §2). */
    private Optional<Reply> sequenceRefusal(Verb verb) {
        Optional<Transaction> transaction = state.transaction();
        if (transaction.isEmpty()) return Optional.of(ProtocolReplies.needMail());
        Transaction t = transaction.get();
        if (verb == Verb.DATA && t.usedChunking()) return Optional.of(ProtocolReplies.dataAfterBdat());
        if (verb == Verb.BDAT && t.chunkingFailed()) return Optional.of(ProtocolReplies.bdatAfterFailure());
        if (t.recipientsAccepted() == 0) {
            return Optional.of(t.recipientsTried() > 0 ? ProtocolReplies.noValidRecipients()
                    : ProtocolReplies.needRcpt());
        }
        return Optional.empty();
    }

    /** Asks the handler to start the message; a refusal ends the transaction (see SessionHandler#dataStart). */
    private Optional<MessageSink> open() {
        SessionHandler handler = session.handler();
        Reply start = session.ask("dataStart", handler::dataStart);
        if (!start.isPositive()) {
            session.answer(start);
            state.endTransaction();
            return Optional.empty();
        }
        try {
            return Optional.of(java.util.Objects.requireNonNull(handler.openMessage(), "openMessage returned null"));
        } catch (RuntimeException e) {
            LOG.warn("handler failed in openMessage", e);
            session.refuse("DATA", ProtocolReplies.internalError());
            state.endTransaction();
            return Optional.empty();
        }
    }

    /** A chunk that ends the message early: too large, a line past the cap, or the sink failing. */
    private Optional<Reply> chunkRefusal(Transaction.Chunked message) {
        if (message.writer().tooLarge()) return Optional.of(ProtocolReplies.messageTooLarge());
        if (message.guard().lineTooLong()) {
            return Optional.of(ProtocolReplies.contentLineTooLong(session.settings().maxDataLineLength()));
        }
        if (message.writer().sinkFailed()) return Optional.of(ProtocolReplies.storageFailed());
        return Optional.empty();
    }

    /** The end of data: refuse what the checks found, else let the sink decide. The transaction ends here. */
    private void finish(Verb verb, MessageSink sink, ContentWriter writer, ContentGuard guard) {
        state.endTransaction();
        writer.flush();
        Optional<Reply> refusal = contentRefusal(verb, writer, guard);
        if (refusal.isPresent()) {
            abort(sink, refusal.get().text());
            session.refuse(verb.name(), refusal.get());
            return;
        }
        long started = System.nanoTime();
        Reply answer = session.ask("complete", () -> sink.complete(writer.size()));
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        if (took.compareTo(session.settings().dataTerminationTimeout()) > 0) {
            LOG.warn("end of data took {} ms, longer than the client waits (RFC 5321 §4.5.3.2.6); it may retry "
                    + "and cause a duplicate", took.toMillis());
        }
        session.answer(answer);
        if (answer.isPositive()) state.messageAccepted();
    }

    private Optional<Reply> contentRefusal(Verb verb, ContentWriter writer, ContentGuard guard) {
        if (guard.bareLf()) return Optional.of(ProtocolReplies.bareLfInChunk()); // BDAT only: DATA stopped earlier
        if (guard.malformedDot()) {
            return Optional.of(verb == Verb.DATA ? ProtocolReplies.malformedEndOfData()
                    : ProtocolReplies.bareCrDotInChunk());
        }
        if (writer.tooLarge()) return Optional.of(ProtocolReplies.messageTooLarge());
        if (guard.lineTooLong()) {
            return Optional.of(ProtocolReplies.contentLineTooLong(session.settings().maxDataLineLength()));
        }
        if (writer.sinkFailed()) return Optional.of(ProtocolReplies.storageFailed());
        return Optional.empty();
    }

    private void dataBlockTimeout() {
        try {
            session.connection().readTimeout(session.settings().dataBlockTimeout());
        } catch (SocketException e) {
            LOG.trace("setting the data block timeout: {}", e.toString());
        }
    }

    private void abort(MessageSink sink, String why) {
        session.tell("abort", () -> sink.abort(why));
    }
}
