package org.postern.edge;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.postern.smtp.ConnectionInfo;
import org.postern.smtp.HeloInfo;
import org.postern.smtp.MailFrom;
import org.postern.smtp.MessageSink;
import org.postern.smtp.RcptTo;
import org.postern.smtp.Reply;
import org.postern.smtp.SessionHandler;
import org.postern.smtp.TlsInfo;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import static org.assertj.core.api.Assertions.assertThat;

/** Log lines written while a session decides carry the message's reference; each phase is timed. */
class MeteredSessionTest {

    @Test
    void logLinesDuringAPhaseCarryTheReferenceAndThePhaseIsTimed() {
        Logger logger = (Logger) LoggerFactory.getLogger("metered-session-test");
        ListAppender<ILoggingEvent> seen = new ListAppender<>();
        seen.start();
        logger.addAppender(seen);
        NodeMetrics metrics = new NodeMetrics();
        SessionHandler session = metrics.metered(new SessionHandler() {
            public Reply connect(ConnectionInfo c) { return null; }
            public Reply helo(HeloInfo h) { return null; }
            public void tlsEstablished(TlsInfo tls) { }
            public Reply mailFrom(MailFrom m) { return null; }
            public Reply rcptTo(RcptTo r) {
                logger.info("deciding a recipient");
                return Reply.of(250, "2.1.5", "ok");
            }
            public Reply dataStart() { return null; }
            public MessageSink openMessage() { return null; }
            public void reset() { }
            public void closed(String reason) { }
            public String reference() { return "1M8TESTREF"; }
        });
        session.rcptTo(null);
        assertThat(seen.list).singleElement().satisfies(e -> assertThat(e.getMDCPropertyMap()).containsEntry("ref", "1M8TESTREF"));
        assertThat(MDC.get("ref")).isNull();
        assertThat(metrics.registry().scrape()).contains("postern_phase_seconds_count{phase=\"RCPT\"} 1");
    }
}
