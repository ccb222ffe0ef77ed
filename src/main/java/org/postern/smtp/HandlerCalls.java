package org.postern.smtp;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session's calls into its {@link SessionHandler}, made safe: a handler exception is our bug, not the
 * client's, so it is logged with its stack trace and turned into a temporary failure — nothing is ever accepted
 * by accident (fail closed). Also puts the handler's reference on the session's own refusals and reports them.
 */
final class HandlerCalls {

    private static final Logger LOG = LoggerFactory.getLogger(HandlerCalls.class);

    private final SessionHandler handler;
    private final String sessionId;

    HandlerCalls(SessionHandler handler, String sessionId) {
        this.handler = handler;
        this.sessionId = sessionId;
    }

    /** Asks the handler for a reply; on failure answers {@code onFailure}, as a reported refusal. */
    Reply ask(String what, Supplier<Reply> call, Reply onFailure) {
        try {
            return Objects.requireNonNull(call.get(), "handler returned no reply to " + what);
        } catch (RuntimeException e) {
            LOG.warn("session {}: handler failed in {}", sessionId, what, e);
            return refusal(what, onFailure);
        }
    }

    /** Runs a handler notification that has no reply; a failure is logged and ignored. */
    void tell(String what, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.warn("session {}: handler failed in {}", sessionId, what, e);
        }
    }

    /** A refusal the session makes itself: with the reference added, reported to the handler for the trace. */
    Reply refusal(String command, Reply reply) {
        Reply withRef = withReference(reply);
        tell("protocolRefusal", () -> handler.protocolRefusal(command, withRef));
        return withRef;
    }

    /** Appends {@code [ref=...]} to the last line (INTERFACES §5: every refusal names its reference). */
    Reply withReference(Reply reply) {
        String ref;
        try {
            ref = handler.reference();
        } catch (RuntimeException e) {
            ref = sessionId;
        }
        List<String> lines = new ArrayList<>(reply.lines());
        lines.set(lines.size() - 1, lines.get(lines.size() - 1) + " [ref=" + ref + "]");
        return new Reply(reply.code(), reply.enhanced(), lines);
    }
}
