package org.postern.queue;

import org.postern.trace.DecisionEntry;
import org.postern.trace.TraceRecord;
import org.postern.trace.TraceStatus;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Delivery status notifications (RFC 3464, in a multipart/report of RFC 6522) for outbound mail: "failed" when
 * recipients fail for good, "delayed" once (per recipient) when a message has waited {@code delayAfter}.
 *
 * <p>Who gets one: only the sender of mail a tenant's user submitted with SMTP AUTH — an address the submission
 * checked belongs to that user's tenant. Inbound mail, mail from connectors without AUTH and DSNs themselves
 * never get one, so the gateway can never send backscatter to a forged sender (ARCHITECTURE: no bounce to an
 * unverified sender). The DSN is queued as outbound mail with the null sender, which sends it from the high-risk
 * pool.
 */
final class DsnPolicy {

    private static final Pattern STATUS = Pattern.compile("\\b([245])\\.(\\d{1,3})\\.(\\d{1,3})\\b");
    private static final Pattern SAID = Pattern.compile(" said: (\\d{3}[ -].*?)(?: \\(in reply to [^)]*\\))?$");
    private static final DateTimeFormatter RFC5322 = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
    private static final int MAX_ORIGINAL_HEADERS = 64 * 1024;

    private final String hostname;
    private final Duration delayAfter;
    private final Clock clock;

    DsnPolicy(String hostname, Duration delayAfter, Clock clock) {
        this.hostname = hostname;
        this.delayAfter = delayAfter;
        this.clock = clock;
    }

    /** A DSN to queue: its envelope and its content. */
    record Dsn(Envelope envelope, byte[] content, List<String> delayedRecipients, List<String> failedRecipients, String originalRef) {

        /** The DSN's own trace record, so "where did my bounce go" has an answer: Queued, from the null sender. */
        TraceRecord trace(String node) {
            boolean failure = !failedRecipients.isEmpty();
            String about = (failure ? "failed" : "delayed") + " for message " + originalRef + ": "
                    + String.join(", ", failure ? failedRecipients : delayedRecipients);
            String alsoDelayed = failure && !delayedRecipients.isEmpty() ? "; delayed: " + String.join(", ", delayedRecipients) : "";
            DecisionEntry made = new DecisionEntry("DELIVERY/DeliveryStatusNotification", "queued",
                    (failure ? "dsn.failed: " : "dsn.delayed: ") + about + alsoDelayed, failure ? "" : "outbound.dsn-delay");
            return new TraceRecord(envelope.ref(), Optional.of(envelope.tenant()), envelope.receivedAt(), "", Optional.empty(),
                    Optional.empty(), Optional.of(""), envelope.recipients(), Optional.empty(),
                    Optional.of("Delivery status notification (" + about + ")"), content.length, OptionalInt.empty(),
                    TraceStatus.Queued, "DELIVERY", "", List.of(made), node);
        }
    }

    /** Whether this message's sender may ever get a DSN. */
    static boolean mayNotify(Envelope e) {
        return e.outbound() && !e.isDsn() && e.senderVerified() && !e.authUser().isBlank() && !e.mailFrom().isBlank();
    }

    /**
     * The DSN this attempt calls for, if any: recipients that failed in it, and pending ones past the delay
     * threshold not yet told.
     */
    Optional<Dsn> after(Envelope envelope, Path content, DeliveryState before, DeliveryState after, Instant now) throws IOException {
        if (!mayNotify(envelope)) return Optional.empty();
        List<RecipientState> failed = new ArrayList<>();
        List<RecipientState> delayed = new ArrayList<>();
        for (RecipientState r : after.recipients()) {
            boolean wasPending = before.recipient(r.address()).map(RecipientState::pending).orElse(false);
            if (wasPending && r.status() == RecipientState.Status.FAILED) failed.add(r);
            else if (r.pending() && !r.delayReported() && !delayAfter.isZero()
                    && !now.isBefore(envelope.receivedAt().plus(delayAfter))) delayed.add(r);
        }
        if (failed.isEmpty() && delayed.isEmpty()) return Optional.empty();
        byte[] body = build(envelope, content, failed, delayed, now);
        String ref = envelope.ref() + (failed.isEmpty() ? "DLY" : "DSN");
        Envelope dsn = Envelope.outbound(ref, envelope.tenant(), "", List.of(envelope.mailFrom()), now, "", "", true, false);
        return Optional.of(new Dsn(dsn, body, delayed.stream().map(RecipientState::address).toList(),
                failed.stream().map(RecipientState::address).toList(), envelope.ref()));
    }

    private byte[] build(Envelope e, Path content, List<RecipientState> failed, List<RecipientState> delayed, Instant now) throws IOException {
        String boundary = "=_postern_" + Long.toHexString(ThreadLocalRandom.current().nextLong());
        boolean isFailure = !failed.isEmpty();
        StringBuilder m = new StringBuilder();
        m.append("From: Mail Delivery System <MAILER-DAEMON@").append(hostname).append(">\r\n");
        m.append("To: <").append(e.mailFrom()).append(">\r\n");
        m.append("Subject: ").append(isFailure ? "Undelivered Mail Returned to Sender" : "Delayed Mail (still being retried)").append("\r\n");
        m.append("Date: ").append(RFC5322.format(now)).append("\r\n");
        m.append("Message-ID: <").append(e.ref()).append('.').append(now.toEpochMilli()).append(".dsn@").append(hostname).append(">\r\n");
        m.append("Auto-Submitted: auto-replied\r\n");   // RFC 3834: no auto-reply to this
        m.append("MIME-Version: 1.0\r\n");
        m.append("Content-Type: multipart/report; report-type=delivery-status;\r\n\tboundary=\"").append(boundary).append("\"\r\n\r\n");
        m.append("This is a MIME-encapsulated delivery status notification (RFC 3464).\r\n\r\n");

        m.append("--").append(boundary).append("\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n");
        m.append("This is the mail system at host ").append(hostname).append(".\r\n\r\n");
        if (isFailure) {
            m.append("Your message (reference ").append(e.ref()).append(") could not be delivered to the following recipients:\r\n\r\n");
            for (RecipientState r : failed) m.append("<").append(r.address()).append(">: ").append(oneLine(r.detail())).append("\r\n");
        }
        if (!delayed.isEmpty()) {
            m.append(isFailure ? "\r\nDelivery to these recipients is delayed; it is still being tried:\r\n\r\n"
                    : "Your message (reference " + e.ref() + ") has not been delivered yet; it is still being tried:\r\n\r\n");
            for (RecipientState r : delayed) m.append("<").append(r.address()).append(">: ").append(oneLine(r.detail())).append("\r\n");
        }
        m.append("\r\n--").append(boundary).append("\r\nContent-Type: message/delivery-status\r\n\r\n");
        m.append("Reporting-MTA: dns; ").append(hostname).append("\r\n");
        m.append("X-Postern-Queue-ID: ").append(e.ref()).append("\r\n");
        m.append("Arrival-Date: ").append(RFC5322.format(e.receivedAt())).append("\r\n");
        for (RecipientState r : failed) recipientFields(m, r, "failed", "5.0.0");
        for (RecipientState r : delayed) {
            recipientFields(m, r, "delayed", "4.0.0");
            m.append("Will-Retry-Until: ").append(RFC5322.format(r.nextAttempt())).append("\r\n");
        }
        m.append("\r\n--").append(boundary).append("\r\nContent-Type: text/rfc822-headers\r\n\r\n");
        m.append(originalHeaders(e, content));
        m.append("\r\n--").append(boundary).append("--\r\n");
        return m.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void recipientFields(StringBuilder m, RecipientState r, String action, String defaultStatus) {
        m.append("\r\nFinal-Recipient: rfc822; ").append(r.address()).append("\r\n");
        m.append("Action: ").append(action).append("\r\n");
        m.append("Status: ").append(status(r.detail(), defaultStatus)).append("\r\n");
        Matcher said = SAID.matcher(oneLine(r.detail()));
        if (said.find()) m.append("Diagnostic-Code: smtp; ").append(said.group(1)).append("\r\n");
        else if (!r.detail().isBlank()) m.append("Diagnostic-Code: X-Postern; ").append(oneLine(r.detail())).append("\r\n");
        m.append("Last-Attempt-Date: ").append(RFC5322.format(r.nextAttempt())).append("\r\n");
    }

    /** The enhanced status code (RFC 3463) the downstream gave, when its class fits the action; else the default. */
    static String status(String detail, String defaultStatus) {
        Matcher s = STATUS.matcher(detail);
        while (s.find()) {
            if (s.group(1).charAt(0) == defaultStatus.charAt(0)) return s.group();
        }
        return defaultStatus;
    }

    private static String oneLine(String s) {
        return s.replaceAll("[\\r\\n]+", " ").strip();
    }

    /** The returned message's header section (never its body: RFC 3462 text/rfc822-headers). */
    private static String originalHeaders(Envelope e, Path content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = Files.newInputStream(content)) {
            byte[] buf = in.readNBytes(MAX_ORIGINAL_HEADERS);
            String text = new String(buf, StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            out.write((end < 0 ? text : text.substring(0, end + 2)).getBytes(StandardCharsets.UTF_8));
        }
        String h = out.toString(StandardCharsets.UTF_8);
        return h.endsWith("\r\n") ? h : h + "\r\n";
    }
}
