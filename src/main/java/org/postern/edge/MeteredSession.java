package org.postern.edge;

import org.postern.smtp.ConnectionInfo;
import org.postern.smtp.HeloInfo;
import org.postern.smtp.MailFrom;
import org.postern.smtp.MessageSink;
import org.postern.smtp.RcptTo;
import org.postern.smtp.Reply;
import org.postern.smtp.SessionHandler;
import org.postern.smtp.TlsInfo;
import org.slf4j.MDC;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A session as the listener sees it, with each phase timed ({@code postern_phase_seconds{phase}}) and the message's
 * reference in the logging context ({@code ref} in the MDC) while the phase runs, so every log line written about
 * the message carries its reference.
 */
final class MeteredSession implements SessionHandler {

    private final SessionHandler s;
    private final NodeMetrics metrics;

    MeteredSession(SessionHandler s, NodeMetrics metrics) {
        this.s = s;
        this.metrics = metrics;
    }

    private <T> T phase(String phase, Supplier<T> work) {
        long start = System.nanoTime();
        try (MDC.MDCCloseable ref = MDC.putCloseable("ref", s.reference())) {
            return work.get();
        } finally {
            metrics.phase(phase).record(NodeMetrics.since(start));
        }
    }

    private void quietly(Runnable work) {
        try (MDC.MDCCloseable ref = MDC.putCloseable("ref", s.reference())) {
            work.run();
        }
    }

    @Override public Reply connect(ConnectionInfo c) { return phase("CONNECT", () -> s.connect(c)); }
    @Override public Reply helo(HeloInfo h) { return phase("HELO", () -> s.helo(h)); }
    @Override public void tlsEstablished(TlsInfo tls) { quietly(() -> s.tlsEstablished(tls)); }
    @Override public boolean offersAuth() { return s.offersAuth(); }
    @Override public Reply authenticate(String mechanism, String user, String password) {
        return phase("AUTH", () -> s.authenticate(mechanism, user, password));
    }
    @Override public Reply mailFrom(MailFrom m) { return phase("MAIL", () -> s.mailFrom(m)); }
    @Override public Reply rcptTo(RcptTo r) { return phase("RCPT", () -> s.rcptTo(r)); }
    @Override public Reply dataStart() { return phase("DATA_START", s::dataStart); }
    @Override public void reset() { quietly(s::reset); }
    @Override public void protocolRefusal(String command, Reply reply) { quietly(() -> s.protocolRefusal(command, reply)); }
    @Override public Reply earlyTalker(int octets, java.time.Duration pause) { return phase("CONNECT", () -> s.earlyTalker(octets, pause)); }
    @Override public Reply proxyRefused(ConnectionInfo peer, String why) { return phase("CONNECT", () -> s.proxyRefused(peer, why)); }
    @Override public void closed(String reason) { quietly(() -> s.closed(reason)); }
    @Override public String reference() { return s.reference(); }

    @Override
    public MessageSink openMessage() {
        MessageSink sink = phase("DATA_START", s::openMessage);
        return new MessageSink() {
            public OutputStream content() throws IOException { return sink.content(); }
            public Reply complete(long size) { return phase("DATA", () -> sink.complete(size)); }
            public void abort(String why) { quietly(() -> sink.abort(why)); }
        };
    }
}
