package org.postern.queue;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the delivery agent for a message's target and runs one attempt; always returns one result per recipient.
 * SMTP and LMTP connections left idle by a clean transaction are kept a moment for the next message to the same
 * server ({@link SmtpConnectionCache}); {@link #close()} lets them go.
 */
final class DeliveryAgents implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DeliveryAgents.class);

    private final DeliverySettings settings;
    private final Clock clock;
    private final SmtpConnectionCache connections;
    private final java.util.Optional<MxDelivery> internet;

    DeliveryAgents(DeliverySettings settings, Clock clock) {
        this(settings, java.util.Optional.empty(), clock);
    }

    DeliveryAgents(DeliverySettings settings, java.util.Optional<OutboundSettings> outbound, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.connections = new SmtpConnectionCache(settings.workers());
        this.internet = outbound.map(o -> new MxDelivery(settings, o, connections,
                new DestinationLimits(o.destinationConcurrency(), o.destinationRate())));
    }

    List<RecipientResult> deliver(Envelope envelope, Path content, List<String> recipients) {
        DeliveryTarget target;
        try {
            target = DeliveryTarget.parse(envelope.deliveryTarget());
        } catch (IllegalArgumentException e) {
            return all(recipients, RecipientResult.Outcome.FAILED, "invalid delivery target " + e.getMessage());
        }
        try {
            return switch (target) {
                case DeliveryTarget.Smtp s -> new SmtpClient(false, s.host(), s.port(), settings, connections).deliver(envelope, content, recipients);
                case DeliveryTarget.Lmtp l -> new SmtpClient(true, l.host(), l.port(), settings, connections).deliver(envelope, content, recipients);
                case DeliveryTarget.Maildir m -> new MaildirDelivery(m.root(), settings.hostname(), clock).deliver(envelope, content, recipients);
                case DeliveryTarget.Internet i -> internet.isPresent() ? internet.get().deliver(envelope, content, recipients)
                        : all(recipients, RecipientResult.Outcome.DEFERRED, "outbound delivery is not configured on this node");
            };
        } catch (RuntimeException e) {
            // A bug must not lose mail: defer, so the message is kept and tried again.
            log.error("delivery of {} to {} failed unexpectedly", envelope.ref(), target, e);
            return all(recipients, RecipientResult.Outcome.DEFERRED, "internal error: " + e);
        }
    }

    private static List<RecipientResult> all(List<String> recipients, RecipientResult.Outcome outcome, String detail) {
        return recipients.stream().map(r -> new RecipientResult(r, outcome, detail)).toList();
    }

    /** Says QUIT to the idle connections; deliveries after this open their own and do not keep them. */
    @Override
    public void close() {
        connections.close();
    }
}
