package org.postern.edge;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.testsupport.Downstreams;
import org.postern.testsupport.TestSmtpClient;
import org.postern.trace.DeliveryEvent;
import org.postern.trace.TraceStatus;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Accepted mail reaches each tenant's real downstream: Postfix smtp-sink and Dovecot LMTP. */
class TenantDeliveryTest {

    @TempDir Path dir;

    @Test
    void deliversToTheTenantsSmtpDownstream() {
        try (var sink = Downstreams.smtpSink(dir.resolve("sink"));
             RunningGateway gw = new RunningGateway(dir.resolve("gw"), """
                     tenants:
                       - { id: acme, domains: [acme.test], delivery: "smtp://127.0.0.1:%d" }
                     """.formatted(sink.port()));
             TestSmtpClient c = gw.client()) {
            c.greeting().assertCode(220);
            c.ehlo("client.example.org").assertCode(250);
            String ref = RunningGateway.ref(c.send("sender@example.org", List.of("ann@acme.test", "ben@acme.test"),
                    RunningGateway.wellFormed("sender@example.org", "Subject: to the sink\r\nMessage-ID: <sink-1@example.org>\r\n\r\n.leading dot\r\nbody\r\n")).assertCode(250));
            gw.awaitStatus(ref, TraceStatus.Delivered, Duration.ofSeconds(15));
            var message = sink.awaitMessages(1, Duration.ofSeconds(5)).get(0);
            assertThat(message.recipients()).containsExactlyInAnyOrder("ann@acme.test", "ben@acme.test");
            assertThat(message.mailFrom()).isEqualTo("sender@example.org");
            assertThat(message.header("X-Postern-Report")).startsWith("ref=" + ref + "; tenant=acme");
            assertThat(message.body()).startsWith(".leading dot\nbody");
            assertThat(gw.deliveries(ref)).extracting(DeliveryEvent::target).containsOnly("smtp://127.0.0.1:" + sink.port());
        }
    }

    @Test
    void lmtpDownstreamResultsArePerRecipient() {
        try (var lmtp = Downstreams.dovecotLmtp(dir.resolve("dovecot"));
             RunningGateway gw = new RunningGateway(dir.resolve("gw"), """
                     tenants:
                       - { id: acme, domains: [acme.test], delivery: "lmtp://127.0.0.1:%d" }
                     """.formatted(lmtp.port()));
             TestSmtpClient c = gw.client()) {
            c.greeting().assertCode(220);
            c.ehlo("client.example.org").assertCode(250);
            String ref = RunningGateway.ref(c.send("sender@example.org", List.of("ann@acme.test", "nosuchuser@acme.test"),
                    "Subject: lmtp\r\n\r\nhello\r\n").assertCode(250));
            gw.awaitStatus(ref, TraceStatus.Failed, Duration.ofSeconds(15));
            List<DeliveryEvent> events = gw.deliveries(ref);
            assertThat(events).filteredOn(e -> e.recipient().equals("ann@acme.test"))
                    .singleElement().satisfies(e -> assertThat(e.outcome()).isEqualTo(TraceStatus.Delivered));
            assertThat(events).filteredOn(e -> e.recipient().equals("nosuchuser@acme.test"))
                    .singleElement().satisfies(e -> {
                        assertThat(e.outcome()).isEqualTo(TraceStatus.Failed);
                        assertThat(e.detail()).contains("550");
                    });
        }
    }

    @Test
    void aDownstreamThatAnswers4xxDefersAndTheTraceSaysWhy() {
        try (var sink = Downstreams.smtpSinkTempFailing(dir.resolve("sink"), "RCPT");
             RunningGateway gw = new RunningGateway(dir.resolve("gw"), """
                     delivery: { retry-initial: 1h }
                     tenants:
                       - { id: acme, domains: [acme.test], delivery: "smtp://127.0.0.1:%d" }
                     """.formatted(sink.port()));
             TestSmtpClient c = gw.client()) {
            c.greeting().assertCode(220);
            c.ehlo("client.example.org").assertCode(250);
            String ref = RunningGateway.ref(c.send("sender@example.org", List.of("ann@acme.test"), "Subject: later\r\n\r\nx\r\n").assertCode(250));
            gw.awaitStatus(ref, TraceStatus.Deferred, Duration.ofSeconds(15));
            assertThat(gw.deliveries(ref)).singleElement().satisfies(e -> assertThat(e.detail()).contains("450"));
            assertThat(gw.gateway.spool().depth()).isEqualTo(1);
        }
    }

    @Test
    void aDownstreamThatRefuses5xxFailsWithoutBounce() {
        try (var sink = Downstreams.smtpSinkRejecting(dir.resolve("sink"), "RCPT");
             RunningGateway gw = new RunningGateway(dir.resolve("gw"), """
                     tenants:
                       - { id: acme, domains: [acme.test], delivery: "smtp://127.0.0.1:%d" }
                     """.formatted(sink.port()));
             TestSmtpClient c = gw.client()) {
            c.greeting().assertCode(220);
            c.ehlo("client.example.org").assertCode(250);
            String ref = RunningGateway.ref(c.send("sender@example.org", List.of("ann@acme.test"), "Subject: never\r\n\r\nx\r\n").assertCode(250));
            gw.awaitStatus(ref, TraceStatus.Failed, Duration.ofSeconds(15));
            RunningGateway.sleep(300);
            assertThat(gw.gateway.spool().depth()).isZero();
            assertThat(sink.messageCount()).isZero(); // refused at RCPT: nothing reached the downstream
        }
    }
}
